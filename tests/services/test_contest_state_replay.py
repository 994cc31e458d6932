"""The state machine's property (docs/state-machine.md): any sequence of submissions,
corrections (keeping, changing, undoing a decision), lots, signatures, publications and
annulments leaves the database as a fresh replay of the accepted versions would, and the audit
log verifies. On SQLite: each example starts from a copy of one prepared database."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from importlib import resources
from itertools import count
from pathlib import Path
from typing import Any

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
    build_uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
)
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session

from saylau.db.base import Base
from saylau.db.engine import make_engine, make_session_factory
from saylau.db.tables.election import ContestRow, ProtocolRow, ProtocolVoteRow, RoundRow
from saylau.domain.accounts import Role
from saylau.domain.election import (
    COUNT_FIELDS,
    ContestId,
    Eligibility,
    ProtocolId,
    ProtocolInput,
    ProtocolStatus,
    RoundStatus,
)
from saylau.rules.decisions import decision_from_json
from saylau.rules.lots import LotMethod
from saylau.services import annulment, events, lots, protocols, results
from saylau.services.audit.verify import verify_log
from saylau.services.errors import ServiceError
from saylau.services.protocols import ProtocolSubmission
from saylau.services.transaction import transaction

SEEDS = ("48213907655108243391", "11111111112222222222", "90817263544536271809")
PRESENT = 17


@dataclass(frozen=True)
class Prepared:
    path: Path
    contest: int
    candidates: tuple[int, ...]
    secretary: int


def _rules(tie: str) -> dict[str, object]:
    preset = resources.files("saylau.rules").joinpath("presets/kz-akim-2013.json")
    data: dict[str, object] = json.loads(preset.read_text("utf-8"))
    return data | {"name": f"kz-akim-2013-tie-{tie}", "tie": tie}


def _prepare(folder: Path, tie: str) -> Prepared:
    """Uralsk's sitting open, 17 of 19 present; one contest of three candidates is played."""
    path = folder / f"tie-{tie}.db"
    engine = make_engine(f"sqlite:///{path}")
    Base.metadata.create_all(engine)
    with make_session_factory(engine)() as session:
        uralsk = build_uralsk(session)
        event_id = events.create_event(
            session=session,
            principal=CEC,
            name=f"Akim elections 2013 (tie: {tie})",
            rules=_rules(tie),
            calendar=CALENDAR,
            voting_days={REGION_KATO: REGION_DAY, CITY_KATO: URALSK_DAY},
            post_katos=[*POST_KATOS, OTHER_POST_KATO],
            min_candidates=2,
            eligibility=Eligibility(min_age=25, required_documents=DOCUMENTS),
            now=NOW,
        )
        opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
        contest = opened.contests[2]
        prepared = Prepared(path, contest, tuple(opened.candidates[contest]), uralsk.secretary_id)
    engine.dispose()
    return prepared


@pytest.fixture(scope="module")
def prepared(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Prepared]:
    folder = tmp_path_factory.mktemp("contest_state")
    return {tie: _prepare(folder, tie) for tie in ("lot", "fail")}


_copies = count()


@contextmanager
def _copy(p: Prepared) -> Iterator[Session]:
    """A session on a fresh copy of the prepared database, removed afterwards."""
    path = p.path.with_name(f"copy-{next(_copies)}.db")
    shutil.copyfile(p.path, path)
    engine: Engine = make_engine(f"sqlite:///{path}")
    try:
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()
        path.unlink(missing_ok=True)


# --- the operations --------------------------------------------------------------------------

# Votes for the ballot's first, second and third candidate (the rest of 17 ballots blank): a
# majority, repeat voting between two (and the same again with a vote moved to blank, or with
# another second), ties at the top and at the cut-off, and any split.
VOTES = st.one_of(
    st.sampled_from([(8, 8, 1), (9, 8, 0), (8, 9, 0), (7, 6, 4)]),
    st.sampled_from(
        [(10, 5, 2), (5, 10, 2), (7, 6, 4), (7, 5, 4), (7, 4, 6), (8, 8, 1), (6, 5, 5), (9, 8, 0)]
    ),
    st.tuples(*[st.integers(0, 9)] * 3).filter(lambda v: sum(v) <= PRESENT),
)
SUBMIT = st.tuples(st.just("submit"), VOTES, st.just(False))
OPS = st.tuples(
    # Round 1 is always submitted first; a draft (True) breaks a control relation.
    SUBMIT,
    st.lists(
        st.one_of(
            st.tuples(st.just("submit"), VOTES, st.booleans()),
            st.tuples(st.just("submit"), st.just((8, 8, 1)), st.just(False)),  # a tie
            st.tuples(st.just("correct"), VOTES, st.integers(0, 3)),  # which decided round
            st.tuples(st.just("correct"), VOTES, st.integers(0, 3)),
            st.tuples(st.just("lot"), st.sampled_from([*SEEDS, "0", "1"]), st.integers(0, 3)),
            st.tuples(st.just("lot"), st.sampled_from([*SEEDS, "0", "1"]), st.integers(0, 3)),
            st.tuples(st.just("sign"), st.integers(0, 3), st.none()),
            st.tuples(st.just("publish"), st.integers(0, 3), st.none()),
            st.tuples(st.just("annul"), st.integers(0, 3), st.none()),
        ),
        max_size=10,
    ),
).map(lambda first_rest: [first_rest[0], *first_rest[1]])


def _rounds(session: Session, contest: int) -> list[RoundRow]:
    session.expire_all()
    return list(
        session.scalars(
            select(RoundRow)
            .where(RoundRow.contest_id == contest, RoundRow.status != RoundStatus.CANCELLED)
            .order_by(RoundRow.round_no)
        )
    )


def _accepted(session: Session, round_id: int) -> ProtocolRow | None:
    return session.scalar(
        select(ProtocolRow).where(
            ProtocolRow.round_id == round_id, ProtocolRow.status == ProtocolStatus.ACCEPTED
        )
    )


def _counts(standing: list[int], votes: tuple[int, ...], *, broken: bool = False) -> ProtocolInput:
    given = dict(zip(standing, votes, strict=False))
    blank = PRESENT - sum(given.values())
    made = counts(PRESENT, {str(n): v for n, v in given.items()}, blank=max(blank, 0))
    if broken or blank < 0:
        return ProtocolInput(**(made.counts() | {"ballots_cast": PRESENT + 1}), votes=made.votes)
    return made


def _run(session: Session, p: Prepared, op: tuple[str, Any, Any]) -> None:
    """One operation on whatever the contest's state makes it apply to; a refusal is a fine
    outcome (nothing is stored: the property then checks that)."""
    kind, a, b = op
    rounds = _rounds(session, p.contest)
    decided = [r for r in rounds if r.status == RoundStatus.DECIDED]
    signer = commission_user(p.secretary, Role.SECRETARY)
    try:
        if kind == "submit":
            (rnd,) = [r for r in rounds if r.status == RoundStatus.OPEN] or [rounds[-1]]
            done = protocols.submit_protocol(
                session=session,
                principal=CEC,
                submission=ProtocolSubmission(
                    ContestId(p.contest), rnd.round_no, _counts(list(rnd.standing), a, broken=b)
                ),
                now=NOW,
            )
            event(
                f"submit round {rnd.round_no}: {done.decision.kind if done.decision else 'draft'}"
            )
            return
        if not decided:
            return
        awaiting = [r for r in decided if (r.decision or {}).get("kind") == "lot_required"]
        if kind == "lot" and awaiting:
            decided = awaiting
        rnd = decided[(a if kind != "correct" and kind != "lot" else b) % len(decided)]
        protocol = _accepted(session, rnd.id)
        assert protocol is not None
        pid = ProtocolId(protocol.id)
        if kind == "correct":
            before = _state(session, p.contest)["rounds"]
            done = protocols.correct_protocol(
                session=session,
                principal=CEC,
                protocol_id=pid,
                counts=_counts(list(rnd.standing), a),
                reason="recount",
                now=NOW,
            )
            old = decision_from_json(protocol.decision)
            how = "keep" if done.decision == old else "change"
            after = _state(session, p.contest)["rounds"]
            shape = [(n, status, standing) for n, status, standing, *_r in after]
            if shape != [(n, status, standing) for n, status, standing, *_r in before]:
                how += f", rounds {len(before)} -> {len(after)} ({after[-1][1]})"
            event(f"correct round {rnd.round_no}: {how if done.decision else 'draft'}")
        elif kind == "lot":
            draw = (
                lots.LotDraw(seed=a)
                if len(a) > 1
                else lots.LotDraw(
                    winner=rnd.standing[int(a) % len(rnd.standing)],
                    drawn_by="Chair A.",
                    witnesses=("Member C.",),
                )
            )
            lots.draw_lot(session=session, principal=CEC, protocol_id=pid, draw=draw, now=NOW)
        elif kind == "sign":
            results.sign_protocol(session=session, principal=signer, protocol_id=pid, now=NOW)
        elif kind == "publish":
            results.publish_protocol(session=session, principal=CEC, protocol_id=pid, now=NOW)
        else:
            with transaction(session=session):
                annulment.annul_protocol(session=session, actor=CEC.actor, protocol_id=pid)
    except ServiceError as e:
        session.rollback()
        event(f"{kind} refused: {e.problems[0].code}")
        return
    event(f"{kind} done")


def _replay(session: Session, p: Prepared, accepted: list[dict[str, Any]]) -> None:
    """Only the accepted versions, in round order, with their lots, signatures, publications."""
    signer = commission_user(p.secretary, Role.SECRETARY)
    for version in accepted:
        votes = {str(n): v for n, v in version["votes"].items()}
        done = protocols.submit_protocol(
            session=session,
            principal=CEC,
            submission=ProtocolSubmission(
                ContestId(p.contest),
                version["round_no"],
                ProtocolInput(**version["counts"], votes=votes),
            ),
            now=NOW,
        )
        assert done.status is ProtocolStatus.ACCEPTED, done
        lot = version["decision"].lot
        if lot is not None:
            draw = (
                lots.LotDraw(seed=lot.seed)
                if lot.method is LotMethod.SEED
                else lots.LotDraw(
                    winner=int(lot.winner), drawn_by=lot.drawn_by, witnesses=lot.witnesses
                )
            )
            lots.draw_lot(
                session=session, principal=CEC, protocol_id=done.protocol_id, draw=draw, now=NOW
            )
        if version["signed"]:
            results.sign_protocol(
                session=session, principal=signer, protocol_id=done.protocol_id, now=NOW
            )
        if version["published"]:
            results.publish_protocol(
                session=session, principal=CEC, protocol_id=done.protocol_id, now=NOW
            )


def _state(session: Session, contest: int) -> dict[str, Any]:
    """What the property compares: no ids, times, versions or audit entries."""
    session.expire_all()
    c = session.get_one(ContestRow, contest)
    rounds = []
    for r in _rounds(session, contest):
        protocol = _accepted(session, r.id)
        accepted = None
        if protocol is not None:
            votes = session.execute(
                select(ProtocolVoteRow.nomination_id, ProtocolVoteRow.votes).where(
                    ProtocolVoteRow.protocol_id == protocol.id
                )
            )
            accepted = {
                "round_no": r.round_no,
                "counts": {f: getattr(protocol, f) for f in COUNT_FIELDS},
                "votes": dict(sorted((int(n), int(v)) for n, v in votes)),
                "decision": decision_from_json(protocol.decision),
                "lot_winner": protocol.lot_winner,
                "signed": protocol.signed_at is not None,
                "published": protocol.published_at is not None,
            }
        decision = None if r.decision is None else decision_from_json(r.decision)
        rounds.append((r.round_no, r.status, list(r.standing), decision, accepted))
    return {
        "contest": (c.status, c.elected_nomination_id, c.failure_reason, c.decided_round),
        "rounds": rounds,
    }


@settings(
    max_examples=50,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate, Phase.target, Phase.shrink],
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(tie=st.sampled_from(["lot", "fail"]), ops=OPS)
def test_any_sequence_leaves_what_a_replay_of_the_accepted_versions_gives(
    prepared: dict[str, Prepared], tie: str, ops: list[tuple[str, Any, Any]]
) -> None:
    p = prepared[tie]
    with _copy(p) as session:
        for op in ops:
            _run(session, p, op)
        state = _state(session, p.contest)
        assert verify_log(session=session).is_ok
    accepted = [a for *_r, a in state["rounds"] if a is not None]
    with _copy(p) as fresh:
        _replay(fresh, p, accepted)
        assert _state(fresh, p.contest) == state, ops
