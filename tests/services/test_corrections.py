"""Corrections through the contest state machine: keep, change or undo a decision; refused when
the correction names another contest or round than the protocol it corrects (issue 8)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from election_fixtures import CEC, NOW, POST_KATOS, OpenSitting, Uralsk, counts, open_uralsk_sitting
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from saylau.db.engine import make_session_factory
from saylau.db.tables.audit import AuditEntryRow
from saylau.db.tables.election import ContestRow, RoundRow
from saylau.domain.election import ContestStatus, ProtocolStatus, RoundStatus
from saylau.services import protocols, repeat_elections
from saylau.services.audit.verify import verify_log
from saylau.services.errors import Refused, ServiceError
from saylau.services.protocols import ProtocolSubmission


@pytest.fixture
def opened(session: Session, uralsk: Uralsk, event_id: int) -> OpenSitting:
    return open_uralsk_sitting(session, uralsk, event_id, absent=2)  # 17 present of 19


def _votes(ids: list[int], numbers: tuple[int, ...]) -> dict[str, int]:
    return {str(i): n for i, n in zip(ids, numbers, strict=True)}


def _submit(session: Session, contest: int, round_no: int, votes: dict[str, int], **kw: int):  # type: ignore[no-untyped-def]
    return protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counts(17, votes, **kw)),
        now=NOW,
    )


def _correct(session: Session, protocol_id: int, votes: dict[str, int], **kw: object):  # type: ignore[no-untyped-def]
    blank = int(kw.pop("blank", 0))  # type: ignore[call-overload]
    return protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=protocol_id,
        counts=counts(17, votes, blank=blank),
        reason="recount",
        now=NOW,
        **kw,  # type: ignore[arg-type]
    )


def _rounds(session: Session, contest: int) -> list[tuple[int, str, list[int]]]:
    session.expire_all()
    return [
        (r.round_no, r.status, list(r.standing))
        for r in session.scalars(
            select(RoundRow).where(RoundRow.contest_id == contest).order_by(RoundRow.round_no)
        )
    ]


def test_a_correction_that_keeps_the_repeat_voting_changes_no_round(
    session: Session, opened: OpenSitting
) -> None:
    """Issue 8: round 1 goes 7/6/4 and a correction moves one vote to blank; the decision
    (repeat voting between the first two) is unchanged. It used to insert round 2 again and
    fail with an IntegrityError."""
    contest = opened.contests[1]
    b = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(b, (7, 6, 4)))
    assert first.next_round_no == 2
    before = _rounds(session, contest)
    fixed = _correct(session, first.protocol_id, _votes(b, (7, 5, 4)), blank=1)
    assert (fixed.status, fixed.version, fixed.next_round_no) == (ProtocolStatus.ACCEPTED, 2, 2)
    assert fixed.decision is not None and fixed.decision.kind == "next_round"
    assert (
        _rounds(session, contest)
        == before
        == [
            (1, RoundStatus.DECIDED, b),
            (2, RoundStatus.OPEN, b[:2]),
        ]
    )
    # The round opened by the kept decision still takes its protocol.
    second = _submit(session, contest, 2, _votes(b[:2], (9, 8)))
    assert second.status is ProtocolStatus.ACCEPTED
    assert verify_log(session=session).is_ok


def test_a_correction_that_keeps_the_decision_twice_is_idempotent(
    session: Session, opened: OpenSitting
) -> None:
    contest = opened.contests[1]
    b = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(b, (7, 6, 4)))
    fixed = _correct(session, first.protocol_id, _votes(b, (7, 5, 4)), blank=1)
    rounds = _rounds(session, contest)
    entries = session.scalar(select(func.count()).select_from(AuditEntryRow))
    again = _correct(session, fixed.protocol_id, _votes(b, (7, 5, 4)), blank=1)
    assert again.version == 3 and _rounds(session, contest) == rounds
    # A protocol version superseded and one stored; no round or contest entry: nothing changed.
    added = session.scalars(
        select(AuditEntryRow.action).where(AuditEntryRow.seq > entries).order_by(AuditEntryRow.seq)
    )
    assert list(added) == ["protocol.supersede", "protocol.correct"]
    assert verify_log(session=session).is_ok


def test_a_correction_that_changes_who_stands_restands_the_unused_round(
    session: Session, opened: OpenSitting
) -> None:
    contest = opened.contests[1]
    b = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(b, (7, 6, 4)))
    fixed = _correct(session, first.protocol_id, _votes(b, (7, 4, 6)))
    assert fixed.next_round_no == 2
    assert _rounds(session, contest) == [
        (1, RoundStatus.DECIDED, b),
        (2, RoundStatus.OPEN, [b[0], b[2]]),
    ]
    assert verify_log(session=session).is_ok


def test_a_correction_naming_another_contest_or_round_is_refused(
    session: Session, opened: OpenSitting
) -> None:
    """Issue 8: a correction file naming contest 271037000 round 7, applied to protocol 2, was
    silently applied to contest 2 round 1."""
    derkul, zachagansk = opened.contests[0], opened.contests[1]
    a, b = opened.candidates[derkul], opened.candidates[zachagansk]
    _submit(session, derkul, 1, _votes(a, (10, 5, 2)))
    second = _submit(session, zachagansk, 1, _votes(b, (10, 5, 2)))
    for contest, round_no in [(POST_KATOS[2], 7), (POST_KATOS[2], 1), (POST_KATOS[1], 7)]:
        with pytest.raises(Refused) as refused:
            _correct(session, second.protocol_id, _votes(b, (5, 10, 2)), contest=contest,
                     round_no=round_no)  # fmt: skip
        assert refused.value.problems[0].code == "other_round"
        assert refused.value.message == (
            f"the correction names contest {contest} round {round_no}, but protocol"
            f" {second.protocol_id} is the protocol of contest {zachagansk}"
            f" ({POST_KATOS[1]}) round 1"
        )
    session.expire_all()
    assert session.get_one(ContestRow, zachagansk).elected_nomination_id == b[0]
    # The contest by id or by KATO, with its round: applied.
    current = second.protocol_id
    for ref, numbers in [(str(zachagansk), (5, 10, 2)), (POST_KATOS[1], (4, 11, 2))]:
        done = _correct(session, current, _votes(b, numbers), contest=ref, round_no=1)
        assert (done.status, done.decision.elected) == (ProtocolStatus.ACCEPTED, str(b[1]))
        current = done.protocol_id
    session.expire_all()
    assert session.get_one(ContestRow, zachagansk).elected_nomination_id == b[1]


def test_a_correction_breaking_a_tie_elects(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    """Round 2 tied (kz-akim-2013: the contest fails); a recount finds one more vote."""
    contest = opened.contests[2]
    c = opened.candidates[contest]
    _submit(session, contest, 1, _votes(c, (8, 8, 1)))
    tie = _submit(session, contest, 2, _votes(c[:2], (8, 8)), blank=1)
    assert tie.decision is not None and tie.decision.kind == "failed"  # kz-akim-2013: tie fails
    fixed = _correct(session, tie.protocol_id, _votes(c[:2], (9, 8)))
    assert fixed.decision is not None and fixed.decision.kind == "elected"
    session.expire_all()
    row = session.get_one(ContestRow, contest)
    assert (row.status, row.elected_nomination_id, row.failure_reason) == (
        ContestStatus.ELECTED,
        c[0],
        None,
    )


def test_a_correction_of_a_failed_contest_with_a_repeat_election_is_refused(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    from datetime import date

    contest = opened.contests[2]
    c = opened.candidates[contest]
    _submit(session, contest, 1, _votes(c, (8, 8, 1)))
    tie = _submit(session, contest, 2, _votes(c[:2], (8, 8)), blank=1)
    repeat_elections.call_repeat_election(
        session=session,
        principal=CEC,
        contest_id=contest,
        voting_day=date(2013, 8, 28),
        on=date(2013, 8, 12),
        now=NOW,
    )
    with pytest.raises(Refused) as refused:
        _correct(session, tie.protocol_id, _votes(c[:2], (9, 8)))
    assert refused.value.problems[0].code == "repeat_called"
    session.expire_all()
    assert session.get_one(ContestRow, contest).status == ContestStatus.REPEAT_ELECTION


def _in_thread(engine: Engine, act: Any, barrier: threading.Barrier, out: list[Any]) -> None:
    with make_session_factory(engine)() as session:
        barrier.wait()
        try:
            out.append(act(session))
        except ServiceError as e:
            out.append(e)


def test_a_correction_undoing_repeat_voting_and_its_submission_at_once(
    engine: Engine, session: Session, opened: OpenSitting
) -> None:
    """Round 1 decided repeat voting; at the same time one user corrects round 1 to a majority
    (which cancels round 2) and another submits round 2. The contest's lock lets one of them
    go first: either round 2 is cancelled and its submission refused, or round 2 is decided and
    the correction refused; never a decided round 2 cancelled."""
    outcomes = set()
    for contest in opened.contests:
        c = opened.candidates[contest]
        first = _submit(session, contest, 1, _votes(c, (7, 6, 4)))
        out: list[Any] = []
        acts = [
            lambda s, c=c, first=first: protocols.correct_protocol(
                session=s,
                principal=CEC,
                protocol_id=first.protocol_id,
                counts=counts(17, _votes(c, (9, 6, 2))),
                reason="recount",
                now=NOW,
            ),
            lambda s, c=c, contest=contest: protocols.submit_protocol(
                session=s,
                principal=CEC,
                submission=ProtocolSubmission(contest, 2, counts(17, _votes(c[:2], (9, 8)))),
                now=NOW,
            ),
        ]
        barrier = threading.Barrier(2)
        threads = [
            threading.Thread(target=_in_thread, args=(engine, a, barrier, out)) for a in acts
        ]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
        refused = [o for o in out if isinstance(o, ServiceError)]
        assert len(out) == 2 and len(refused) == 1, out
        session.expire_all()
        rounds = _rounds(session, contest)
        row = session.get_one(ContestRow, contest)
        if rounds[1][1] == RoundStatus.CANCELLED:
            assert (row.status, row.decided_round, row.elected_nomination_id) == (
                "elected",
                1,
                c[0],
            )
            outcomes.add("correction first")
        else:
            assert rounds[1][1] == RoundStatus.DECIDED
            assert refused[0].problems[0].code == "later_round_decided"
            assert (row.status, row.decided_round, row.elected_nomination_id) == (
                "elected",
                2,
                c[0],
            )
            outcomes.add("submission first")
    assert outcomes  # which went first is up to the scheduler
    assert verify_log(session=session).is_ok
