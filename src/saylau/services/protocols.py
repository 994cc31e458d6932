"""Round protocols: submission and correction, the public entry points, and storing a version.

A protocol that breaks a control relation is kept as a rejected draft with its violations
(services/protocol_evaluation.py checks and decides it). An accepted one's decision is carried
out by the state machine (services/contest_state.py): repeat voting opened, a result set.
Corrections are new versions; signature and publication are recorded on a version.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, insert_rows
from saylau.db.tables.election import ContestRow, ProtocolRow, ProtocolVoteRow, RoundRow
from saylau.db.tables.structure import PostRow, TerritoryRow
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    ContestId,
    EventId,
    ProtocolId,
    ProtocolInput,
    ProtocolStatus,
    RoundId,
    RoundStatus,
    SittingId,
)
from saylau.rules.decide import Decision
from saylau.rules.decisions import decision_json
from saylau.rules.input import text_problem
from saylau.rules.protocol import Violation
from saylau.services import audit, contest_state, resolve
from saylau.services.errors import Conflict, InvalidInput, NotFound, Refused, unknown_ids
from saylau.services.permissions import (
    Action,
    authorize,
    contest_territories,
    protocol_territories,
)
from saylau.services.protocol_evaluation import (
    Evaluated,
    LockedRound,
    closed_round,
    evaluate,
    load_context,
    lock_rounds,
)
from saylau.services.transaction import transaction


@dataclass(frozen=True)
class ProtocolSubmission:
    """The protocol of round `round_no` of a contest; `counts.votes` is keyed by nomination id
    or by the candidate's exact full name."""

    contest_id: ContestId
    round_no: int
    counts: ProtocolInput


@dataclass(frozen=True)
class SubmissionResult:
    protocol_id: ProtocolId
    contest_id: ContestId
    round_no: int
    version: int
    status: ProtocolStatus
    violations: tuple[Violation, ...] = ()
    decision: Decision | None = None
    next_round_no: int | None = None


# --- submission ----------------------------------------------------------------------------


def submit_protocol(
    *, session: Session, principal: Principal, submission: ProtocolSubmission, now: datetime
) -> SubmissionResult:
    return submit_protocols(
        session=session, principal=principal, submissions=[submission], now=now
    )[0]


def submit_protocols(
    *,
    session: Session,
    principal: Principal,
    submissions: Sequence[ProtocolSubmission],
    now: datetime,
) -> list[SubmissionResult]:
    """Store each protocol as a new version of its round: accepted and decided when every
    control relation holds, else a rejected draft with its violations. A round that already
    has an accepted protocol refuses with Conflict (a change is a correction)."""
    if not submissions:
        raise InvalidInput.one(
            "no_protocol",
            "no protocol given: expected one protocol object or a list of them",
            where="submissions",
        )
    keys = [(s.contest_id, s.round_no) for s in submissions]
    if len(set(keys)) != len(keys):
        (contest_id, round_no), *_ = [k for k in keys if keys.count(k) > 1]
        raise InvalidInput.one(
            "round_twice",
            f"a round is given twice in one submission (contest {contest_id}, round {round_no})",
            where="submissions",
            contest=contest_id,
            round=round_no,
        )
    try:
        with transaction(session=session):
            actor = authorize(
                session=session,
                principal=principal,
                action=Action.PROTOCOL_SUBMIT,
                territories=lambda: contest_territories(
                    session=session, contest_ids={s.contest_id for s in submissions}
                ),
            )
            rounds = lock_rounds(session=session, keys=keys)
            for rnd in rounds.values():
                if rnd.status != RoundStatus.OPEN:
                    raise closed_round(session=session, rnd=rnd)
            ctx = load_context(session=session, rounds=list(rounds.values()))
            evaluated = [
                evaluate(ctx, rounds[(s.contest_id, s.round_no)], s.counts) for s in submissions
            ]
            return _store(session, actor, evaluated, now, reason=None)
    except IntegrityError as e:
        # Only reachable when the row lock was bypassed (it should not be): same answer.
        raise Conflict.one(
            "concurrent_submission", f"another submission of the same round won: {e.orig}"
        ) from None


# --- storing and applying ------------------------------------------------------------------


def _violation_json(v: Violation) -> dict[str, Any]:
    return {"code": v.code, "message": v.message, "field": v.field, "numbers": dict(v.numbers)}


def _store(
    session: Session,
    actor: str,
    evaluated: Sequence[Evaluated],
    now: datetime,
    *,
    reason: str | None,
) -> list[SubmissionResult]:
    rows = [
        {
            "round_id": ev.round_id,
            "version": ev.version,
            "status": ev.status,
            **ev.counts.counts(),
            "lot_winner": None,
            "violations": [_violation_json(v) for v in ev.violations],
            "decision": decision_json(ev.decision) if ev.decision else None,
            "correction_reason": reason,
            "submitted_by": actor,
            "submitted_at": now,
        }
        for ev in evaluated
    ]
    ids = insert_ids(session, ProtocolRow, rows)
    votes = [
        {"protocol_id": pid, "nomination_id": nid, "votes": ev.votes.get(nid, 0)}
        for pid, ev in zip(ids, evaluated, strict=True)
        for nid in dict.fromkeys([*ev.standing, *ev.votes])
    ]
    insert_rows(session, ProtocolVoteRow, votes)
    accepted = [(pid, ev) for pid, ev in zip(ids, evaluated, strict=True) if not ev.violations]
    rejected = [pid for pid, ev in zip(ids, evaluated, strict=True) if ev.violations]
    audit.record_many(
        session=session,
        actor=actor,
        action="protocol.reject",
        object_type="protocol",
        object_ids=rejected,
    )
    audit.record_many(
        session=session,
        actor=actor,
        action="protocol.correct" if reason else "protocol.accept",
        object_type="protocol",
        object_ids=[pid for pid, _ev in accepted],
    )
    next_rounds = contest_state.apply_decisions(
        session=session,
        actor=actor,
        decided=[
            contest_state.RoundDecided(
                RoundId(ev.round_id),
                ContestId(ev.contest_id),
                SittingId(ev.sitting_id),
                ev.round_no,
                ev.decision,
            )
            for _pid, ev in accepted
            if ev.decision is not None
        ],
    )
    return [
        SubmissionResult(
            protocol_id=ProtocolId(pid),
            contest_id=ev.contest_id,
            round_no=ev.round_no,
            version=ev.version,
            status=ev.status,
            violations=tuple(ev.violations),
            decision=ev.decision,
            next_round_no=next_rounds.get(ev.round_id),
        )
        for pid, ev in zip(ids, evaluated, strict=True)
    ]


# --- corrections ---------------------------------------------------------------------------


def correct_protocol(
    *,
    session: Session,
    principal: Principal,
    protocol_id: ProtocolId,
    counts: ProtocolInput,
    reason: str,
    now: datetime,
    contest: str | None = None,
    round_no: int | None = None,
) -> SubmissionResult:
    """A new version of an accepted protocol, with the reason. If it breaks a control relation
    it is kept as a rejected draft and the accepted version stays current. Its decision may
    keep, change or undo the old one: the state machine (services/contest_state.py) keeps,
    re-ballots, opens or cancels the repeat voting, unless a later round it no longer leads to
    is already decided (refused: correct the later round first). `contest` (an id or the post's
    KATO) and `round_no`, when the correction names them, must be the protocol's own
    (refused: `other_round`). A published protocol is corrected only by a role allowed
    PUBLISHED_CORRECT (regional, CEC)."""
    if not reason.strip():
        raise InvalidInput.one("no_reason", "a correction needs its reason", where="reason")
    if bad_text := text_problem(reason.strip(), limits.REASON):
        raise InvalidInput.one("bad_reason", f"reason: {bad_text}", where="reason")
    old = session.get(ProtocolRow, protocol_id)
    if old is None:
        raise unknown_ids("protocol", [protocol_id], where="protocol_id")
    with transaction(session=session):
        rnd = lock_rounds(session=session, keys=[_round_key(session, old.round_id)])
        rnd_row = next(iter(rnd.values()))
        session.refresh(old)
        action = Action.PUBLISHED_CORRECT if old.published_at else Action.PROTOCOL_CORRECT
        actor = authorize(
            session=session,
            principal=principal,
            action=action,
            territories=lambda: protocol_territories(session=session, protocol_ids=[protocol_id]),
        )
        if contest is not None or round_no is not None:
            _check_target(session, protocol_id, rnd_row, contest, round_no)
        if old.status != ProtocolStatus.ACCEPTED:
            raise Conflict.one(
                "not_current",
                f"protocol {protocol_id} (version {old.version}) is {old.status}; correct the"
                " accepted version of the round",
                where="protocol_id",
                protocol=protocol_id,
                version=old.version,
            )
        ev = evaluate(load_context(session=session, rounds=[rnd_row]), rnd_row, counts)
        if ev.violations:
            return _store(session, actor, [ev], now, reason=reason.strip())[0]
        pt = table_of(ProtocolRow)
        session.execute(
            update(pt).where(pt.c.id == protocol_id).values(status=ProtocolStatus.SUPERSEDED)
        )
        audit.record(
            session=session,
            actor=actor,
            action="protocol.supersede",
            object_type="protocol",
            object_id=protocol_id,
        )
        return _store(session, actor, [ev], now, reason=reason.strip())[0]


def _round_key(session: Session, round_id: int) -> tuple[int, int]:
    row = session.execute(
        select(RoundRow.contest_id, RoundRow.round_no).where(RoundRow.id == round_id)
    ).one()
    return int(row[0]), int(row[1])


def _check_target(
    session: Session,
    protocol_id: ProtocolId,
    rnd: LockedRound,
    contest: str | None,
    round_no: int | None,
) -> None:
    """A correction naming a contest (id or post KATO, resolved in the protocol's event) or a
    round other than the protocol's own is refused: it was meant for another protocol."""
    event_id, kato = session.execute(
        select(ContestRow.event_id, TerritoryRow.kato)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(TerritoryRow, TerritoryRow.id == PostRow.territory_id)
        .where(ContestRow.id == rnd.contest_id)
    ).one()
    named = None
    if contest is not None:
        try:
            named = resolve.find_contest(session=session, event_id=EventId(event_id), ref=contest)
        except NotFound:
            named = None
    same_contest = contest is None or named == rnd.contest_id
    if same_contest and (round_no is None or round_no == rnd.round_no):
        return
    names = " ".join(
        part
        for part in (
            f"contest {contest}" if contest is not None else "",
            f"round {round_no}" if round_no is not None else "",
        )
        if part
    )
    raise Refused.one(
        "other_round",
        f"the correction names {names}, but protocol {protocol_id} is the protocol of contest"
        f" {rnd.contest_id} ({kato}) round {rnd.round_no}",
        where="contest" if not same_contest else "round",
        contest=rnd.contest_id,
        round=rnd.round_no,
    )
