"""Drawing lots (services/lots.py): a tie the rules settle by lot, drawn with a seed or
recorded, checked again; signing before the draw refused; who may draw; the old
`lot_winner` path routed to the draw."""

from __future__ import annotations

import hashlib
import json
from dataclasses import replace
from datetime import date, timedelta
from importlib import resources

import pytest
from election_fixtures import (
    CALENDAR,
    CEC,
    CITY_KATO,
    DOCUMENTS,
    NOW,
    OTHER_POST_KATO,
    POST_KATOS,
    REGION_DAY,
    REGION_KATO,
    URALSK_DAY,
    OpenSitting,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
)
from sqlalchemy import update
from sqlalchemy.orm import Session

from saylau.db.tables.election import ProtocolRow
from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.election import ContestStatus, Eligibility, ProtocolId, SittingId
from saylau.rules.decisions import decision_json
from saylau.services import events, lots, protocols, results, sitting_life
from saylau.services.audit.verify import verify_log
from saylau.services.errors import Conflict, InvalidInput, Refused
from saylau.services.protocols import ProtocolSubmission

SEED = "48213907655108243391"


def lot_rules() -> dict[str, object]:
    """kz-akim-2013 with its tie settled by lot (no shipped preset says `lot`)."""
    preset = resources.files("saylau.rules").joinpath("presets/kz-akim-2013.json")
    data: dict[str, object] = json.loads(preset.read_text("utf-8"))
    return data | {"name": "kz-akim-2013-lot", "tie": "lot"}


@pytest.fixture
def event_id(session: Session, uralsk: Uralsk) -> int:
    return events.create_event(
        session=session,
        principal=CEC,
        name="Akim elections 2013 (ties by lot)",
        rules=lot_rules(),
        calendar=CALENDAR,
        voting_days={REGION_KATO: REGION_DAY, CITY_KATO: URALSK_DAY},
        post_katos=[*POST_KATOS, OTHER_POST_KATO],
        min_candidates=2,
        eligibility=Eligibility(min_age=25, required_documents=DOCUMENTS),
        now=NOW,
    )


@pytest.fixture
def opened(session: Session, uralsk: Uralsk, event_id: int) -> OpenSitting:
    return open_uralsk_sitting(session, uralsk, event_id, absent=2)  # 17 present of 19


def _submit(session: Session, contest: int, round_no: int, votes: dict[str, int], **kw: int):  # type: ignore[no-untyped-def]
    return protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counts(17, votes, **kw)),
        now=NOW,
    )


def _tied(session: Session, opened: OpenSitting) -> tuple[int, list[int], ProtocolId]:
    """Krugloozerny: 8-8-1 in round 1, 8-8 (one blank) in round 2: a lot is required."""
    contest = opened.contests[2]
    c = opened.candidates[contest]
    _submit(session, contest, 1, {str(c[0]): 8, str(c[1]): 8, str(c[2]): 1})
    done = _submit(session, contest, 2, {str(c[0]): 8, str(c[1]): 8}, blank=1)
    assert done.decision is not None
    assert (done.decision.kind, done.decision.tied) == ("lot_required", (str(c[0]), str(c[1])))
    return contest, c, done.protocol_id


def _draw(session: Session, pid: int, who: Principal = CEC, **draw: object) -> lots.LotResult:
    return lots.draw_lot(
        session=session,
        principal=who,
        protocol_id=ProtocolId(pid),
        draw=lots.LotDraw(**draw),  # type: ignore[arg-type]
        now=NOW,
    )


def test_a_seeded_draw_elects_the_smallest_hash_and_checks_out(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest, c, pid = _tied(session, opened)
    (found,) = results.contest_results(session=session, event_id=event_id, contest_ids=[contest])
    assert found.status is ContestStatus.LOT_REQUIRED
    before = verify_log(session=session).num_entries
    hashes = {
        n: hashlib.sha256(f"saylau-lot-v1 {SEED} {contest} 2 {n}".encode()).hexdigest()
        for n in c[:2]
    }
    expected = min(hashes, key=lambda n: hashes[n])
    done = _draw(session, pid, seed=SEED, drawn_by="Chair Amanov", witnesses=("Deputy 1",))
    assert (done.contest_id, done.round_no, done.decision.elected) == (contest, 2, str(expected))
    lot = done.decision.lot
    assert lot is not None
    assert (lot.method, lot.seed, lot.tied, lot.winner) == (
        "seed",
        SEED,
        (str(c[0]), str(c[1])),
        str(expected),
    )
    (found,) = results.contest_results(session=session, event_id=event_id, contest_ids=[contest])
    assert (found.status, found.elected_id, found.decided_round) == (
        ContestStatus.ELECTED,
        expected,
        2,
    )
    view = results.show_protocol(session=session, protocol_id=pid)
    assert view.decision is not None
    assert decision_json(view.decision)["lot"] == {
        "method": "seed",
        "tied": [str(c[0]), str(c[1])],
        "winner": str(expected),
        "seed": SEED,
        "drawn_by": "Chair Amanov",
        "witnesses": ["Deputy 1"],
    }
    log = verify_log(session=session)
    assert log.is_ok
    assert log.num_entries == before + 3  # lot.draw, round.decide, contest.decide
    check = lots.check_lot(session=session, protocol_id=pid)
    assert (check.ok, check.expected, check.hashes) == (
        True,
        str(expected),
        {str(n): h for n, h in hashes.items()},
    )
    with pytest.raises(Conflict) as again:
        _draw(session, pid, seed=SEED)
    assert [p.code for p in again.value.problems] == ["no_lot_awaited"]


def test_a_tampered_winner_is_a_mismatch(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    _contest, c, pid = _tied(session, opened)
    done = _draw(session, pid, seed=SEED)
    loser = next(str(n) for n in c[:2] if str(n) != done.decision.elected)
    stored = decision_json(done.decision)
    stored["elected"] = loser
    stored["lot"] = {**stored["lot"], "winner": loser}  # type: ignore[dict-item]
    pt = ProtocolRow.__table__
    session.execute(update(pt).where(pt.c.id == pid).values(decision=stored, lot_winner=int(loser)))
    session.commit()
    session.expire_all()
    check = lots.check_lot(session=session, protocol_id=pid)
    assert not check.ok
    assert check.expected == done.decision.elected
    assert [m.split(" is ")[0] for m in check.mismatches] == [
        "lot.winner",
        "decision.elected",
        "protocol.lot_winner",
    ]
    assert not verify_log(session=session).is_ok  # the log notices too


def test_a_recorded_draw_needs_who_drew_and_a_witness_and_a_tied_winner(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    _contest, c, pid = _tied(session, opened)
    with pytest.raises(InvalidInput) as refused:
        _draw(session, pid, winner=c[1], drawn_by="Chair Amanov")
    assert [p.code for p in refused.value.problems] == ["lot_unwitnessed"]
    with pytest.raises(InvalidInput) as refused:
        _draw(session, pid, winner=c[2], drawn_by="Chair Amanov", witnesses=("Deputy 1",))
    assert [p.code for p in refused.value.problems] == ["not_tied"]
    with pytest.raises(InvalidInput) as refused:
        _draw(session, pid, winner=c[1], seed=SEED)
    assert [p.code for p in refused.value.problems] == ["lot_method"]
    done = _draw(
        session, pid, winner=c[1], drawn_by="Chair Amanov", witnesses=("Deputy 1", "Deputy 2")
    )
    assert done.decision.lot is not None
    assert (done.decision.elected, done.decision.lot.method, done.decision.lot.seed) == (
        str(c[1]),
        "recorded",
        None,
    )
    assert done.decision.lot.witnesses == ("Deputy 1", "Deputy 2")
    check = lots.check_lot(session=session, protocol_id=pid)
    assert (check.ok, check.expected, check.hashes) == (True, None, {})


@pytest.mark.parametrize(
    ("seed", "code"),
    [("٤٨٢١٣٩٠٧٦٥٥١٠٨٢٤٣٣٩١", "bad_seed"), ("1234567", "bad_seed")],
)
def test_a_bad_seed_is_refused_and_nothing_is_stored(
    session: Session, event_id: int, opened: OpenSitting, seed: str, code: str
) -> None:
    _contest, _c, pid = _tied(session, opened)
    before = verify_log(session=session).num_entries
    with pytest.raises(InvalidInput) as refused:
        _draw(session, pid, seed=seed)
    assert [p.code for p in refused.value.problems] == [code]
    assert verify_log(session=session).num_entries == before


def test_no_lot_is_drawn_while_the_sitting_is_adjourned(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest, c, pid = _tied(session, opened)
    sid = SittingId(opened.sitting_id)
    at = NOW + timedelta(hours=2)
    sitting_life.adjourn_sitting(
        session=session, principal=CEC, sitting_id=sid, reason="recess", now=at
    )
    before = verify_log(session=session).num_entries
    with pytest.raises(Refused) as refused:
        _draw(session, pid, seed=SEED)
    assert str(refused.value) == (
        f"no lot is drawn at sitting {sid}: it is adjourned: saylau sitting resume first"
    )
    (problem,) = refused.value.problems
    assert (problem.code, problem.where, dict(problem.numbers)) == (
        "sitting_adjourned",
        f"sitting {sid}",
        {"sitting": sid},
    )
    with pytest.raises(Refused):  # a recorded draw as well
        _draw(session, pid, winner=c[0], drawn_by="Chair Amanov", witnesses=("Deputy 1",))
    assert verify_log(session=session).num_entries == before
    (found,) = results.contest_results(session=session, event_id=event_id, contest_ids=[contest])
    assert found.status is ContestStatus.LOT_REQUIRED
    sitting_life.resume_sitting(
        session=session, principal=CEC, sitting_id=sid, now=at + timedelta(minutes=30)
    )
    done = _draw(session, pid, seed=SEED)
    assert done.decision.kind == "elected" and done.decision.elected in {str(c[0]), str(c[1])}


def test_a_protocol_awaiting_a_lot_cannot_be_signed(
    session: Session, uralsk: Uralsk, event_id: int, opened: OpenSitting
) -> None:
    _contest, _c, pid = _tied(session, opened)
    secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
    with pytest.raises(Refused) as refused:
        results.sign_protocol(session=session, principal=secretary, protocol_id=pid, now=NOW)
    assert [p.code for p in refused.value.problems] == ["lot_awaited"]
    _draw(session, pid, seed=SEED)
    results.sign_protocol(session=session, principal=secretary, protocol_id=pid, now=NOW)
    assert results.show_protocol(session=session, protocol_id=pid).signed_at == NOW


def test_a_protocol_without_a_tie_awaits_no_lot(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[0]
    a = opened.candidates[contest]
    done = _submit(session, contest, 1, {str(a[0]): 10, str(a[1]): 5, str(a[2]): 2})
    with pytest.raises(Conflict) as refused:
        _draw(session, done.protocol_id, seed=SEED)
    assert [p.code for p in refused.value.problems] == ["no_lot_awaited"]
    with pytest.raises(Conflict) as refused:
        lots.check_lot(session=session, protocol_id=done.protocol_id)
    assert [p.code for p in refused.value.problems] == ["no_lot"]


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.CHAIR, True),
        (Role.SECRETARY, True),
        (Role.REGIONAL, True),
        (Role.CEC_ADMIN, True),
        (Role.MEMBER, False),
        (Role.OBSERVER, False),
    ],
)
def test_who_may_draw(
    session: Session, uralsk: Uralsk, opened: OpenSitting, role: Role, allowed: bool
) -> None:
    _contest, _c, pid = _tied(session, opened)
    who = {
        Role.CHAIR: commission_user(uralsk.chair_id, Role.CHAIR),
        Role.SECRETARY: commission_user(uralsk.secretary_id, Role.SECRETARY),
        Role.MEMBER: commission_user(uralsk.member_id, Role.MEMBER),
        Role.REGIONAL: Principal(UserId(50), Role.REGIONAL, scope=REGION_KATO),
        Role.CEC_ADMIN: CEC,
        Role.OBSERVER: Principal(UserId(51), Role.OBSERVER),
    }[role]
    if allowed:
        assert _draw(session, pid, who, seed=SEED).decision.kind == "elected"
        return
    with pytest.raises(Refused) as refused:
        _draw(session, pid, who, seed=SEED)
    assert [p.code for p in refused.value.problems] == ["forbidden"]


def test_a_chair_out_of_scope_may_not_draw(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    _contest, _c, pid = _tied(session, opened)
    elsewhere = Principal(UserId(52), Role.CHAIR, scope="273400000", member_id=uralsk.chair_id)
    with pytest.raises(Refused) as refused:
        _draw(session, pid, elsewhere, seed=SEED)
    assert [p.code for p in refused.value.problems] == ["out_of_scope"]


def test_a_protocol_naming_a_lot_winner_is_routed_to_the_draw(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    """Regression: a correction with `lot_winner` was accepted, stored lot_winner as NULL and
    elected the winner with no word of a lot."""
    contest, c, pid = _tied(session, opened)
    before = verify_log(session=session).num_entries
    named = replace(counts(17, {str(c[0]): 8, str(c[1]): 8}, blank=1), lot_winner=str(c[0]))
    with pytest.raises(InvalidInput) as refused:
        protocols.correct_protocol(
            session=session,
            principal=CEC,
            protocol_id=pid,
            counts=named,
            reason="the lot was drawn",
            now=NOW,
        )
    assert [(p.code, p.where) for p in refused.value.problems] == [("lot_by_draw", "lot_winner")]
    assert verify_log(session=session).num_entries == before
    (found,) = results.contest_results(session=session, event_id=event_id, contest_ids=[contest])
    assert (found.status, found.elected_id) == (ContestStatus.LOT_REQUIRED, None)
    with pytest.raises(InvalidInput):
        protocols.submit_protocol(
            session=session,
            principal=CEC,
            submission=ProtocolSubmission(
                opened.contests[0], 1, replace(named, votes={}, lot_winner=str(c[0]))
            ),
            now=NOW,
        )


def test_fr_maire_ties_of_the_same_birth_date_go_to_the_lot() -> None:
    """The shipped presets with a lot: none has `tie: lot`; fr-maire's `oldest` falls back to a
    lot when the tied were born on the same day (rules/decide.py)."""
    from saylau.rules.decide import decide
    from saylau.rules.presets import load_rule_set
    from saylau.rules.round_counts import RoundCounts

    rules = load_rule_set("fr-maire")
    c = RoundCounts(members=9, present=9, ballots_cast=9, invalid=0, blank=1, against_all=0,
                    votes={"7": 4, "8": 4})  # fmt: skip
    born = {"7": date(1960, 1, 1), "8": date(1960, 1, 1)}
    d = decide(rules, 3, c, standing=["7", "8"], birth_dates=born)
    assert (d.kind, d.tied) == ("lot_required", ("7", "8"))


def test_corrections_around_a_drawn_lot(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    """A correction of round 1 keeping its decision leaves round 2 and its lot alone; one of
    round 2 keeping the tie awaits a new draw (a lot belongs to the count it settled)."""
    contest, c, pid = _tied(session, opened)
    drawn = _draw(session, pid, seed=SEED)
    (first,) = [
        p
        for p in results.protocol_versions(session=session, contest_id=contest, round_no=1)
        if p.status == "accepted"
    ]
    votes = {str(c[0]): 8, str(c[1]): 7, str(c[2]): 1}
    protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=first.id,
        counts=counts(17, votes, blank=1),
        reason="recount",
        now=NOW,
    )
    (found,) = results.contest_results(session=session, contest_ids=[contest], event_id=event_id)
    assert (found.status, found.elected_id) == (ContestStatus.ELECTED, int(drawn.decision.elected))
    again = protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=pid,
        counts=counts(17, {str(c[0]): 8, str(c[1]): 8}, blank=1),
        reason="recount",
        now=NOW,
    )
    assert again.decision is not None and again.decision.kind == "lot_required"
    (found,) = results.contest_results(session=session, contest_ids=[contest], event_id=event_id)
    assert (found.status, found.elected_id) == (ContestStatus.LOT_REQUIRED, None)
    redrawn = _draw(session, again.protocol_id, seed=SEED)
    assert redrawn.decision.elected == drawn.decision.elected  # the same seed, the same winner
    assert verify_log(session=session).is_ok
