"""Round protocols: control relations, rejected drafts, the decision, and what follows from it.

A protocol that breaks a control relation is kept as a rejected draft with its violations. An
accepted one is decided by the rules engine: repeat voting opens the next round with the
standing candidates; a failure marks the contest for a repeat election; a win sets the result.
Corrections are new versions; signature and publication are recorded on a version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, insert_rows, select_in, update_rows
from saylau.db.tables.election import (
    ContestRow,
    ElectionEventRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    ProtocolVoteRow,
    RoundRow,
    SittingRow,
)
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    ContestStatus,
    ProtocolId,
    ProtocolInput,
    ProtocolStatus,
    RoundStatus,
)
from saylau.rules.decide import Decision, DecisionKind, decide
from saylau.rules.decisions import decision_json
from saylau.rules.errors import InputError
from saylau.rules.input import text_problem
from saylau.rules.model import RuleSet
from saylau.rules.protocol import Violation, check_protocol, to_round_counts
from saylau.services import audit, sitting_figures
from saylau.services import sittings as _sittings  # noqa: F401  (registers the round loader)
from saylau.services.errors import Conflict, InvalidInput, NotFound, Refused, unknown_ids
from saylau.services.events import rule_set_of
from saylau.services.permissions import (
    Action,
    authorize,
    contest_territories,
    protocol_territories,
)
from saylau.services.transaction import transaction

# A round as read for submission: a plain row of the round table (thousands per batch), with
# the attributes of RoundRow (id, contest_id, round_no, sitting_id, status, standing).
_Round = Row[Any]


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


@dataclass
class _Evaluated:
    """One protocol checked (and decided when it passes), ready to be stored."""

    round: _Round
    version: int
    counts: ProtocolInput
    votes: dict[int, int]
    violations: list[Violation] = field(default_factory=list)
    decision: Decision | None = None

    def __post_init__(self) -> None:
        # Plain copies: the row expires when the batch's updates are applied.
        self.round_id = self.round.id
        self.contest_id = self.round.contest_id
        self.round_no = self.round.round_no
        self.sitting_id = self.round.sitting_id
        self.standing = list(self.round.standing)

    @property
    def status(self) -> ProtocolStatus:
        return ProtocolStatus.REJECTED if self.violations else ProtocolStatus.ACCEPTED


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
            rounds = _lock_rounds(session, keys)
            for rnd in rounds.values():
                if rnd.status != RoundStatus.OPEN:
                    raise _closed_round(session, rnd)
            ctx = _load_context(session, list(rounds.values()))
            evaluated = [
                _evaluate(ctx, rounds[(s.contest_id, s.round_no)], s.counts) for s in submissions
            ]
            return _store(session, actor, evaluated, now, reason=None)
    except IntegrityError as e:
        # Only reachable when the row lock was bypassed (it should not be): same answer.
        raise Conflict.one(
            "concurrent_submission", f"another submission of the same round won: {e.orig}"
        ) from None


def _lock_rounds(
    session: Session, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], _Round]:
    """Bump each round's lock_version first: a row lock on PostgreSQL (a concurrent submission
    of the same round waits, then sees this one's result), the write lock on SQLite."""
    t = table_of(RoundRow)
    session.execute(
        update(t)
        .where((t.c.contest_id == bindparam("b_contest")) & (t.c.round_no == bindparam("b_round")))
        .values(lock_version=t.c.lock_version + 1),
        # In one order, so that two batches locking the same rounds cannot deadlock.
        [{"b_contest": c, "b_round": r} for c, r in sorted(keys)],
    )
    session.expire_all()
    wanted = set(keys)
    found: dict[tuple[int, int], _Round] = {}
    for row in select_in(session, select(t), t.c.contest_id, [c for c, _r in keys]):
        if (row.contest_id, row.round_no) in wanted:
            found[(row.contest_id, row.round_no)] = row
    missing = [k for k in keys if k not in found]
    if missing:
        c, r = missing[0]
        raise NotFound.one(
            "unknown_round", f"contest {c} has no round {r}", where="round", contest=c, round=r
        )
    return found


def _closed_round(session: Session, rnd: _Round) -> Conflict | Refused:
    if rnd.status == RoundStatus.CANCELLED:
        return Refused(
            f"round {rnd.round_no} of contest {rnd.contest_id} was cancelled by a correction"
        )
    current = session.scalar(
        select(ProtocolRow.version).where(
            ProtocolRow.round_id == rnd.id, ProtocolRow.status == ProtocolStatus.ACCEPTED
        )
    )
    return Conflict(
        f"round {rnd.round_no} of contest {rnd.contest_id} already has an accepted protocol"
        f" (version {current}); a change is a correction: saylau protocol correct"
    )


@dataclass
class _Context:
    """What checking and deciding a batch of rounds needs, loaded with a few queries."""

    versions: dict[int, int]  # round id -> highest version stored
    names: dict[int, dict[str, list[int]]]  # contest id -> full name -> nomination ids
    nominations: dict[int, set[int]]  # contest id -> its nomination ids
    birth_dates: dict[int, date]  # nomination id -> birth date
    sittings: dict[int, SittingRow]
    rule_sets: dict[int, RuleSet]  # sitting id -> its event's rule set
    figures: dict[int, sitting_figures.RoundFigures] = field(default_factory=dict)  # by round


def _load_context(session: Session, rounds: Sequence[_Round]) -> _Context:
    sitting_ids = sorted({r.sitting_id for r in rounds})
    ctx = _Context({}, {}, {}, {}, {}, {})
    versions = select(ProtocolRow.round_id, func.max(ProtocolRow.version))
    versions = versions.group_by(ProtocolRow.round_id)
    rows = select_in(session, versions, ProtocolRow.round_id, [r.id for r in rounds])
    ctx.versions.update({rid: int(v) for rid, v in rows})
    nt, pt = table_of(NominationRow), table_of(PersonRow)  # Core columns: plain rows
    stmt = select(nt.c.id, nt.c.contest_id, pt.c.full_name, pt.c.birth_date)
    stmt = stmt.join(pt, pt.c.id == nt.c.person_id)
    for nid, cid, name, born in select_in(
        session, stmt, nt.c.contest_id, [r.contest_id for r in rounds]
    ):
        ctx.names.setdefault(cid, {}).setdefault(name, []).append(nid)
        ctx.nominations.setdefault(cid, set()).add(nid)
        ctx.birth_dates[nid] = born
    for sitting in session.scalars(select(SittingRow).where(SittingRow.id.in_(sitting_ids))):
        ctx.sittings[sitting.id] = sitting
    events = {s.event_id for s in ctx.sittings.values()}
    by_event = {
        e.id: rule_set_of(e)
        for e in session.scalars(select(ElectionEventRow).where(ElectionEventRow.id.in_(events)))
    }
    ctx.rule_sets = {sid: by_event[s.event_id] for sid, s in ctx.sittings.items()}
    ctx.figures = sitting_figures.round_figures(session=session, rounds=rounds)
    return ctx


def _evaluate(ctx: _Context, rnd: _Round, counts: ProtocolInput) -> _Evaluated:
    version = ctx.versions.get(rnd.id, 0) + 1
    ctx.versions[rnd.id] = version
    if counts.lot_winner:
        # A lot is its own act (services/lots.py), recorded with how it was drawn; a protocol
        # naming a winner used to be stored with no lot at all (and lot_winner NULL).
        raise InvalidInput.one(
            "lot_by_draw",
            f"lot_winner {counts.lot_winner!r}: a protocol records the votes only; a tie is"
            " decided by lot afterwards with saylau lot draw PROTOCOL",
            where="lot_winner",
            contest=rnd.contest_id,
            round=rnd.round_no,
        )
    counts, disagree = sitting_figures.fill(ctx.figures[rnd.id], counts)
    votes = _resolve_votes(ctx, rnd, counts.votes)
    ev = _Evaluated(rnd, version, counts, votes)
    sitting = ctx.sittings[rnd.sitting_id]
    # The protocol with its candidates resolved to nomination ids: what is checked and stored.
    pc = replace(counts, votes={str(k): v for k, v in votes.items()}, lot_winner=None)
    ev.violations = check_protocol(pc) + disagree + _record_violations(rnd, sitting, counts, votes)
    if ev.violations:
        return ev
    try:
        ev.decision = decide(
            ctx.rule_sets[rnd.sitting_id],
            rnd.round_no,
            to_round_counts(pc),
            standing=[str(n) for n in rnd.standing],
            birth_dates={str(n): ctx.birth_dates[n] for n in rnd.standing},
        )
    except InputError as e:
        ev.violations = [Violation("decision_refused", str(e), {}, e.path)]
    return ev


def _resolve_votes(ctx: _Context, rnd: _Round, votes: Mapping[str, int]) -> dict[int, int]:
    """Votes keyed by nomination id; names are matched among the contest's nominations."""
    own = ctx.nominations.get(rnd.contest_id, set())
    names = ctx.names.get(rnd.contest_id, {})
    resolved: dict[int, int] = {}
    given_as: dict[int, str] = {}
    for key, n in votes.items():
        is_id = key.isascii() and key.isdigit() and len(key) < 19 and int(key) in own
        ids = [int(key)] if is_id else names.get(key, [])
        if len(ids) != 1:
            raise InvalidInput.one(
                "unknown_candidate",
                f"votes.{key}: no single candidate of contest {rnd.contest_id} with this id or"
                f" name; candidates: {', '.join(map(str, sorted(own)))}",
                where=f"votes.{key}",
                contest=rnd.contest_id,
            )
        if ids[0] in given_as:
            # By name and by id, the same candidate: summing would count one line twice.
            raise InvalidInput.one(
                "candidate_twice",
                f"votes.{key}: nomination {ids[0]} is also given as votes.{given_as[ids[0]]};"
                " name each candidate once",
                where=f"votes.{key}",
                nomination=ids[0],
            )
        given_as[ids[0]] = key
        resolved[ids[0]] = int(n)
    return resolved


def _record_violations(
    rnd: _Round, sitting: SittingRow, counts: ProtocolInput, votes: Mapping[int, int]
) -> list[Violation]:
    """What the protocol must agree with in the sitting's own records (its members and
    present: sitting_figures.fill)."""
    found: list[Violation] = []
    standing = set(rnd.standing)
    for nid, n in votes.items():
        if nid not in standing and n:
            found.append(
                Violation(
                    "not_standing",
                    f"{n} votes for nomination {nid}, who does not stand in round {rnd.round_no}",
                    {"votes": n},
                    f"votes.{nid}",
                )
            )
    return found


# --- storing and applying ------------------------------------------------------------------


def _violation_json(v: Violation) -> dict[str, Any]:
    return {"code": v.code, "message": v.message, "field": v.field, "numbers": dict(v.numbers)}


def _store(
    session: Session,
    actor: str,
    evaluated: Sequence[_Evaluated],
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
    next_rounds = _apply_decisions(session, actor, [ev for _pid, ev in accepted])
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


def _apply_decisions(
    session: Session, actor: str, accepted: Sequence[_Evaluated]
) -> dict[int, int]:
    """Decide the rounds, open repeat voting, set results; returns round id -> next round no."""
    if not accepted:
        return {}
    rt, ct = table_of(RoundRow), table_of(ContestRow)
    update_rows(
        session,
        rt,
        [
            {
                "b_id": ev.round_id,
                "status": RoundStatus.DECIDED,
                "decision": decision_json(ev.decision),
            }
            for ev in accepted
            if ev.decision
        ],
    )
    contest_updates, new_rounds, opened = [], [], {}
    for ev in accepted:
        d = ev.decision
        assert d is not None
        update_row: dict[str, Any] = {
            "b_id": ev.contest_id,
            "status": ContestStatus.VOTING,
            "failure_reason": None,
            "elected_nomination_id": None,
            "decided_round": None,
        }
        if d.kind is DecisionKind.NEXT_ROUND:
            standing = (
                [int(s) for s in d.standing]
                if d.standing is not None
                else _still_standing(session, ev.contest_id)
            )
            new_rounds.append(
                {
                    "contest_id": ev.contest_id,
                    "sitting_id": ev.sitting_id,
                    "round_no": ev.round_no + 1,
                    "status": RoundStatus.OPEN,
                    "standing": standing,
                    "lock_version": 0,
                }
            )
            opened[ev.round_id] = ev.round_no + 1
        elif d.kind is DecisionKind.ELECTED:
            assert d.elected is not None
            update_row |= {
                "status": ContestStatus.ELECTED,
                "elected_nomination_id": int(d.elected),
                "decided_round": d.round,
            }
        elif d.kind is DecisionKind.FAILED:
            update_row |= {
                "status": ContestStatus.REPEAT_ELECTION,
                "failure_reason": d.reason.value if d.reason else None,
                "decided_round": d.round,
            }
        else:
            update_row |= {"status": ContestStatus.LOT_REQUIRED}
        contest_updates.append(update_row)
    update_rows(session, ct, contest_updates)
    round_ids = [ev.round_id for ev in accepted] + _open_rounds(session, new_rounds)
    session.expire_all()
    audit.record_many(
        session=session,
        actor=actor,
        action="round.decide",
        object_type="round",
        object_ids=[ev.round_id for ev in accepted],
    )
    audit.record_many(
        session=session,
        actor=actor,
        action="round.open",
        object_type="round",
        object_ids=round_ids[len(accepted) :],
    )
    audit.record_many(
        session=session,
        actor=actor,
        action="contest.decide",
        object_type="contest",
        object_ids=[ev.contest_id for ev in accepted],
    )
    return opened


def _open_rounds(session: Session, rounds: list[dict[str, Any]]) -> list[int]:
    """Insert the next rounds; one cancelled by an earlier correction is reopened instead."""
    if not rounds:
        return []
    rt = table_of(RoundRow)
    cancelled = {
        (c, n): i
        for i, c, n in session.execute(
            select(rt.c.id, rt.c.contest_id, rt.c.round_no).where(
                rt.c.contest_id.in_({r["contest_id"] for r in rounds}),
                rt.c.status == RoundStatus.CANCELLED,
            )
        )
    }
    fresh = [r for r in rounds if (r["contest_id"], r["round_no"]) not in cancelled]
    reopened = [
        {
            "b_id": cancelled[(r["contest_id"], r["round_no"])],
            "status": RoundStatus.OPEN,
            "standing": r["standing"],
        }
        for r in rounds
        if (r["contest_id"], r["round_no"]) in cancelled
    ]
    update_rows(session, rt, reopened)
    ids = [r["b_id"] for r in reopened]
    if fresh:
        ids += insert_ids(session, RoundRow, fresh)
    return ids


def _still_standing(session: Session, contest_id: ContestId) -> list[int]:
    """After an `open` round anyone registered (and not withdrawn) may stand again."""
    return list(
        session.scalars(
            select(NominationRow.id)
            .where(
                NominationRow.contest_id == contest_id,
                NominationRow.status == CandidateStatus.REGISTERED,
            )
            .order_by(NominationRow.id)
        )
    )


# --- corrections ---------------------------------------------------------------------------


def correct_protocol(
    *,
    session: Session,
    principal: Principal,
    protocol_id: ProtocolId,
    counts: ProtocolInput,
    reason: str,
    now: datetime,
) -> SubmissionResult:
    """A new version of an accepted protocol, with the reason. If it breaks a control relation
    it is kept as a rejected draft and the accepted version stays current. If it changes the
    round's decision, the repeat voting that decision opened is cancelled, unless that round
    already has an accepted protocol (then it is refused: correct the later round first).
    A published protocol is corrected only by a role allowed PUBLISHED_CORRECT (regional, CEC)."""
    if not reason.strip():
        raise InvalidInput.one("no_reason", "a correction needs its reason", where="reason")
    if bad_text := text_problem(reason.strip(), limits.REASON):
        raise InvalidInput.one("bad_reason", f"reason: {bad_text}", where="reason")
    old = session.get(ProtocolRow, protocol_id)
    if old is None:
        raise unknown_ids("protocol", [protocol_id], where="protocol_id")
    with transaction(session=session):
        rnd = _lock_rounds(session, [_round_key(session, old.round_id)])
        rnd_row = next(iter(rnd.values()))
        session.refresh(old)
        action = Action.PUBLISHED_CORRECT if old.published_at else Action.PROTOCOL_CORRECT
        actor = authorize(
            session=session,
            principal=principal,
            action=action,
            territories=lambda: protocol_territories(session=session, protocol_ids=[protocol_id]),
        )
        if old.status != ProtocolStatus.ACCEPTED:
            raise Conflict.one(
                "not_current",
                f"protocol {protocol_id} (version {old.version}) is {old.status}; correct the"
                " accepted version of the round",
                where="protocol_id",
                protocol=protocol_id,
                version=old.version,
            )
        ev = _evaluate(_load_context(session, [rnd_row]), rnd_row, counts)
        if ev.violations:
            return _store(session, actor, [ev], now, reason=reason.strip())[0]
        assert ev.decision is not None
        if decision_json(ev.decision) != old.decision:
            _undo_decision(session, actor, rnd_row)
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


def _undo_decision(session: Session, actor: str, rnd: _Round) -> None:
    """Withdraw what the round's old decision caused: the next round it opened, if unused."""
    later = session.scalar(
        select(RoundRow).where(
            RoundRow.contest_id == rnd.contest_id,
            RoundRow.round_no == rnd.round_no + 1,
            RoundRow.status != RoundStatus.CANCELLED,
        )
    )
    if later is None:
        return
    if later.status != RoundStatus.OPEN or session.scalar(
        select(func.count())
        .select_from(ProtocolRow)
        .where(ProtocolRow.round_id == later.id, ProtocolRow.status == ProtocolStatus.ACCEPTED)
    ):
        raise Refused.one(
            "later_round_decided",
            f"the correction changes the decision of round {rnd.round_no}, but round"
            f" {later.round_no} already has an accepted protocol; correct round"
            f" {later.round_no} first",
            round=rnd.round_no,
            later_round=later.round_no,
        )
    rt = table_of(RoundRow)
    # Kept, with its number: a later decision that opens this round again reopens this row.
    session.execute(update(rt).where(rt.c.id == later.id).values(status=RoundStatus.CANCELLED))
    session.expire_all()
    audit.record(
        session=session, actor=actor, action="round.cancel", object_type="round", object_id=later.id
    )
