"""The round and contest state machine: every change of a round's or a contest's state is made
here, inside the caller's transaction, as rules/contest_state.py's table says
(docs/state-machine.md).

A round is decided (a protocol accepted or corrected, a lot drawn) or reopened (its protocol
annulled); what follows — the repeat voting opened, re-balloted, cancelled or kept, the contest's
result — is derived from the rounds as they then stand, not from the step before. So applying
a decision twice, or a correction that keeps the decision, changes nothing and writes no entry.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in, update_rows
from saylau.db.tables.appeals import RepeatElectionRow
from saylau.db.tables.election import ContestRow, NominationRow, RoundRow
from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    ContestStatus,
    EventId,
    RoundId,
    RoundStatus,
    SittingId,
)
from saylau.domain.structure import PostId
from saylau.rules.contest_state import (
    ContestOutcome,
    NextRound,
    NextRoundStep,
    contest_outcome,
    next_round_step,
)
from saylau.rules.decide import Decision, DecisionKind
from saylau.rules.decisions import decision_from_json, decision_json
from saylau.services import audit
from saylau.services.errors import Refused

__all__ = [
    "RoundDecided",
    "apply_decisions",
    "lock_contests",
    "open_repeat_contest",
    "reopen_round",
]


@dataclass(frozen=True)
class RoundDecided:
    """A round's decision, as its accepted protocol (or a lot drawn on it) gives it."""

    round_id: RoundId
    contest_id: ContestId
    sitting_id: SittingId
    round_no: int
    decision: Decision


@dataclass
class _Round:
    """A stored round as the machine changes it (a plain copy: thousands per batch)."""

    id: int | None  # None: to be inserted
    contest_id: int
    sitting_id: int
    round_no: int
    status: str
    standing: list[int]
    decision: dict[str, Any] | None


class _Changes:
    """The rows to write and the audit entries to append, collected for one bulk write each."""

    def __init__(self) -> None:
        self.decided: list[_Round] = []
        self.opened: list[_Round] = []  # new, reopened or re-balloted
        self.cancelled: list[_Round] = []


def lock_contests(*, session: Session, contest_ids: Sequence[ContestId]) -> None:
    """Lock the contests' rows (on PostgreSQL; SQLite's write lock already serializes) before
    anything of their rounds is read or changed: every step of the machine on one contest
    then runs after the other, so a correction of round 1 and a submission of round 2 cannot
    both see round 2 as it was. Called first by every service that changes a round."""
    if session.get_bind().dialect.name != "postgresql":
        return  # a SELECT first would only open a read snapshot before the write lock
    ct = table_of(ContestRow)
    stmt = select(ct.c.id).order_by(ct.c.id).with_for_update()
    select_in(session, stmt, ct.c.id, contest_ids)


def apply_decisions(
    *, session: Session, actor: str, decided: Sequence[RoundDecided]
) -> dict[RoundId, int]:
    """Decide each round as given and carry out what follows; returns round id -> the number
    of the repeat voting its decision leads to. Refused (`later_round_decided`) when the
    decision no longer leads to a later round that is already decided, and (`repeat_called`)
    when it would change the result of a contest whose repeat election has been called."""
    if not decided:
        return {}
    rounds = _load_rounds(session, {d.contest_id for d in decided})
    anyone = _registered(session, [d for d in decided if _opens_to_anyone(d.decision)])
    changes = _Changes()
    leads_to: dict[RoundId, int] = {}
    for d in decided:
        rnd = rounds[(d.contest_id, d.round_no)]
        encoded = decision_json(d.decision)
        if rnd.status != RoundStatus.DECIDED or rnd.decision != encoded:
            rnd.status, rnd.decision = RoundStatus.DECIDED, encoded
            changes.decided.append(rnd)
        wanted = None
        if d.decision.kind is DecisionKind.NEXT_ROUND:
            standing = d.decision.standing
            wanted = [int(s) for s in standing] if standing is not None else anyone[d.contest_id]
            leads_to[d.round_id] = d.round_no + 1
        _step_next_round(rounds, changes, rnd, wanted)
    _write(session, actor, changes)
    # A contest whose round was decided anew is recorded as decided with it, changed or not
    # (round 1 deciding repeat voting leaves it `voting`); one whose rounds stand unchanged is not.
    anew = {r.contest_id for r in changes.decided}
    _settle_contests(
        session, actor, rounds, {d.contest_id for d in decided}, "contest.decide", anew
    )
    return leads_to


def reopen_round(*, session: Session, actor: str, round_id: RoundId) -> None:
    """Open a decided round again without a decision (its protocol annulled): the repeat voting
    its decision opened is cancelled when unused, else refused (`later_round_accepted`); the
    contest goes back to voting. Refused (`repeat_called`) once the contest has its repeat
    election."""
    contest_id = session.scalar(select(RoundRow.contest_id).where(RoundRow.id == round_id))
    assert contest_id is not None
    _refuse_if_repeat_called(session, [contest_id], "its protocols are no longer annulled")
    rounds = _load_rounds(session, {ContestId(contest_id)})
    (rnd,) = [r for r in rounds.values() if r.id == round_id]
    later = rounds.get((contest_id, rnd.round_no + 1))
    if later is not None and later.status == RoundStatus.DECIDED:
        raise Refused.one(
            "later_round_accepted",
            f"round {later.round_no} of contest {contest_id} has an accepted protocol;"
            f" annul it before round {rnd.round_no}",
            round=later.round_no,
        )
    changes = _Changes()
    _step_next_round(rounds, changes, rnd, None)
    _write(session, actor, changes)
    rnd.status, rnd.decision = RoundStatus.OPEN, None
    assert rnd.id is not None
    update_rows(
        session,
        table_of(RoundRow),
        [{"b_id": rnd.id, "status": RoundStatus.OPEN, "decision": None}],
    )
    session.expire_all()
    audit.record(
        session=session, actor=actor, action="round.reopen", object_type="round", object_id=rnd.id
    )
    _settle_contests(session, actor, rounds, {contest_id}, "contest.reopen", {contest_id})


def open_repeat_contest(
    *, session: Session, actor: str, event_id: EventId, post_id: PostId
) -> ContestId:
    """The new contest (`pending`) of a failed contest's post in its repeat event; the failed
    contest keeps `repeat_election` and its rounds (services/repeat_elections.py calls it once
    it has checked that the contest failed, under the contest's lock)."""
    ct = table_of(ContestRow)
    new_id = session.scalar(
        insert(ct)
        .values(event_id=event_id, post_id=post_id, status=ContestStatus.PENDING)
        .returning(ct.c.id)
    )
    assert new_id is not None
    audit.record(
        session=session,
        actor=actor,
        action="contest.create",
        object_type="contest",
        object_id=new_id,
    )
    return ContestId(new_id)


# --- the steps -----------------------------------------------------------------------------


def _step_next_round(
    rounds: dict[tuple[int, int], _Round], changes: _Changes, rnd: _Round, wanted: list[int] | None
) -> None:
    """Bring the round after `rnd` to what the decision wants (`wanted`: its ballot, or None)."""
    key = (rnd.contest_id, rnd.round_no + 1)
    later = rounds.get(key)
    live = later if later is not None and later.status != RoundStatus.CANCELLED else None
    stored = None if live is None else NextRound(RoundStatus(live.status), tuple(live.standing))
    match next_round_step(wanted, stored):
        case NextRoundStep.NONE | NextRoundStep.KEEP:
            return
        case NextRoundStep.OPEN:
            assert wanted is not None
            if later is None:  # else the cancelled row is opened again, with its number
                later = _Round(None, rnd.contest_id, rnd.sitting_id, key[1], "", [], None)
                rounds[key] = later
            later.status, later.standing = RoundStatus.OPEN, wanted
            changes.opened.append(later)
        case NextRoundStep.RESTAND:
            assert live is not None and wanted is not None
            live.standing = wanted
            changes.opened.append(live)
        case NextRoundStep.CANCEL:
            assert live is not None
            live.status = RoundStatus.CANCELLED
            changes.cancelled.append(live)
        case NextRoundStep.REFUSE:
            assert live is not None
            raise Refused.one(
                "later_round_decided",
                f"the correction changes the decision of round {rnd.round_no}, but round"
                f" {live.round_no} already has an accepted protocol; correct round"
                f" {live.round_no} first",
                round=rnd.round_no,
                later_round=live.round_no,
            )


def _write(session: Session, actor: str, changes: _Changes) -> None:
    """The collected round changes, in bulk, each with its audit entry."""
    rt = table_of(RoundRow)
    update_rows(session, rt, [{"b_id": r.id, "status": r.status} for r in changes.cancelled])
    update_rows(
        session,
        rt,
        [{"b_id": r.id, "status": r.status, "decision": r.decision} for r in changes.decided],
    )
    existing = [r for r in changes.opened if r.id is not None]
    update_rows(
        session,
        rt,
        [{"b_id": r.id, "status": r.status, "standing": r.standing} for r in existing],
    )
    fresh = [r for r in changes.opened if r.id is None]
    if fresh:
        ids = insert_ids(
            session,
            RoundRow,
            [
                {
                    "contest_id": r.contest_id,
                    "sitting_id": r.sitting_id,
                    "round_no": r.round_no,
                    "status": r.status,
                    "standing": r.standing,
                    "lock_version": 0,
                }
                for r in fresh
            ],
        )
        for r, new_id in zip(fresh, ids, strict=True):
            r.id = new_id
    session.expire_all()
    for action, changed in [
        ("round.cancel", changes.cancelled),
        ("round.decide", changes.decided),
        ("round.open", changes.opened),
    ]:
        audit.record_many(
            session=session,
            actor=actor,
            action=action,
            object_type="round",
            object_ids=[r.id for r in changed if r.id is not None],
        )


def _settle_contests(
    session: Session,
    actor: str,
    rounds: dict[tuple[int, int], _Round],
    contest_ids: set[ContestId] | set[int],
    action: str,
    recorded: set[int],
) -> None:
    """Each contest's outcome from its last round that is not cancelled, written where it
    changed; the audit entry is appended for those and for the contests `recorded`."""
    last: dict[int, _Round] = {}
    for r in rounds.values():
        if r.status != RoundStatus.CANCELLED and (
            r.contest_id not in last or r.round_no > last[r.contest_id].round_no
        ):
            last[r.contest_id] = r
    ct = table_of(ContestRow)
    columns = (ct.c.id, ct.c.status, ct.c.elected_nomination_id, ct.c.failure_reason)
    stored = {
        row.id: ContestOutcome(
            ContestStatus(row.status),
            row.elected_nomination_id,
            row.failure_reason,
            row.decided_round,
        )
        for row in select_in(session, select(*columns, ct.c.decided_round), ct.c.id, contest_ids)
    }
    changed: dict[int, ContestOutcome] = {}
    for cid in sorted(contest_ids):
        r = last[cid]
        decision = None if r.decision is None else decision_from_json(r.decision)
        outcome = contest_outcome(RoundStatus(r.status), decision)
        if outcome != stored[cid]:
            changed[cid] = outcome
    _refuse_if_repeat_called(session, list(changed), "its result no longer changes")
    update_rows(
        session,
        ct,
        [
            {
                "b_id": cid,
                "status": o.status,
                "elected_nomination_id": o.elected,
                "failure_reason": o.failure_reason,
                "decided_round": o.decided_round,
            }
            for cid, o in changed.items()
        ],
    )
    session.expire_all()
    audit.record_many(
        session=session,
        actor=actor,
        action=action,
        object_type="contest",
        object_ids=sorted(set(changed) | recorded),
    )


def _refuse_if_repeat_called(session: Session, contest_ids: Sequence[int], what: str) -> None:
    if not contest_ids:
        return
    rt = table_of(RepeatElectionRow)
    stmt = select(rt.c.failed_contest_id, rt.c.id)
    called = select_in(session, stmt, rt.c.failed_contest_id, contest_ids)
    if called:
        contest, repeat = sorted(called)[0]
        raise Refused.one(
            "repeat_called",
            f"contest {contest} already has repeat election {repeat}: {what}",
            contest=contest,
            repeat_election=repeat,
        )


# --- reading -------------------------------------------------------------------------------


def _load_rounds(session: Session, contest_ids: set[ContestId]) -> dict[tuple[int, int], _Round]:
    rt = table_of(RoundRow)
    columns = (rt.c.id, rt.c.contest_id, rt.c.sitting_id, rt.c.round_no, rt.c.status)
    stmt = select(*columns, rt.c.standing, rt.c.decision)
    return {
        (r.contest_id, r.round_no): _Round(
            r.id, r.contest_id, r.sitting_id, r.round_no, r.status, list(r.standing), r.decision
        )
        for r in select_in(session, stmt, rt.c.contest_id, contest_ids)
    }


def _opens_to_anyone(decision: Decision) -> bool:
    return decision.kind is DecisionKind.NEXT_ROUND and decision.standing is None


def _registered(session: Session, decided: Sequence[RoundDecided]) -> dict[int, list[int]]:
    """After an `open` round anyone registered (and not withdrawn) may stand again."""
    nt = table_of(NominationRow)
    stmt = select(nt.c.contest_id, nt.c.id).where(nt.c.status == CandidateStatus.REGISTERED)
    found: dict[int, list[int]] = {d.contest_id: [] for d in decided}
    for cid, nid in sorted(select_in(session, stmt, nt.c.contest_id, list(found))):
        found[cid].append(nid)
    return found
