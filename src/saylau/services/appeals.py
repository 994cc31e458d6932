"""The registry of appeals and complaints: filed against a registration or refusal, a
sitting's conduct or a protocol, to a commission or a court; the deadline computed from the
procedure's rule data (rules/appeals.py); the decision and its effect carried out here, in the
same transaction: a refusal overturned reinstates the registration, a registration overturned
cancels it, a protocol overturned is annulled and its round voted again (services/annulment.py).
An upheld appeal against a sitting's conduct is recorded without an automatic effect.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in, update_rows
from saylau.db.tables.appeals import AppealRow, RepeatElectionRow
from saylau.db.tables.election import (
    ElectionEventRow,
    NominationRow,
    ProtocolRow,
    RoundRow,
    SittingRow,
)
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.appeals import (
    Appeal,
    AppealDecision,
    AppealId,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    NewAppeal,
)
from saylau.domain.election import CandidateStatus, ContestId, EventId, ProtocolId, SittingId
from saylau.domain.structure import TerritoryId
from saylau.rules.appeals import decision_deadline, is_at_once
from saylau.rules.input import text_problem
from saylau.rules.procedure import procedure_for
from saylau.services import audit
from saylau.services.annulment import annul_protocol
from saylau.services.errors import Conflict, InvalidInput, NotFound, Problem, Refused
from saylau.services.events import voting_days_of
from saylau.services.permissions import (
    Action,
    authorize,
    contest_territories,
    sitting_territories,
)
from saylau.services.transaction import transaction


@dataclass(frozen=True)
class _Target:
    """What an appeal concerns, as found in the stored records."""

    event_id: int
    contest_id: int | None
    sitting_id: int | None
    voting_day: date
    state: str  # the nomination's status or the protocol's status ("" for a sitting)


# --- filing --------------------------------------------------------------------------------


def file_appeal(
    *, session: Session, principal: Principal, appeal: NewAppeal, now: datetime
) -> AppealId:
    return file_appeals(session=session, principal=principal, appeals=[appeal], now=now)[0]


def file_appeals(
    *, session: Session, principal: Principal, appeals: Sequence[NewAppeal], now: datetime
) -> list[AppealId]:
    """Record appeals as they arrive (all or none; every problem listed), each with the
    deadline for its decision."""
    with transaction(session=session):
        targets = _targets(session, appeals)
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.APPEAL_FILE,
            territories=lambda: _territories(session, targets),
        )
        problems: list[Problem] = []
        rows: list[dict[str, Any]] = []
        rule_sets = _rule_set_names(session, {t.event_id for t in targets.values()})
        for n, a in enumerate(appeals):
            where = f"appeals[{n}]"
            target = targets.get((a.subject, a.object_id))
            problems += _text_problems(a, where)
            if target is None:
                problems.append(
                    Problem("not_found", f"no {_object_name(a.subject)} {a.object_id}", where)
                )
                continue
            problems += _subject_problems(a, target, where)
            procedure = procedure_for(rule_sets[target.event_id])
            if procedure is None:
                problems.append(
                    Problem(
                        "no_appeal_rules",
                        f"no appeal rules for rule set {rule_sets[target.event_id]!r}",
                        where,
                    )
                )
                continue
            rules = procedure.appeals
            rows.append(
                {
                    "event_id": target.event_id,
                    "contest_id": target.contest_id,
                    "subject": a.subject,
                    "object_id": a.object_id,
                    "appellant": a.appellant.strip(),
                    "filed_on": a.filed_on,
                    "authority_kind": a.authority_kind,
                    "authority": a.authority.strip(),
                    "grounds": a.grounds.strip(),
                    "voting_day": target.voting_day,
                    "deadline": decision_deadline(rules, a.filed_on, target.voting_day),
                    "is_at_once": is_at_once(rules, a.filed_on, target.voting_day),
                    "outcome": None,
                    "decision_reason": None,
                    "decided_on": None,
                    "effect": None,
                    "recorded_at": now,
                }
            )
        if problems:
            raise InvalidInput(f"{len(problems)} problem(s): no appeal filed", problems=problems)
        ids = insert_ids(session, AppealRow, rows)
        audit.record_many(
            session=session, actor=actor, action="appeal.file", object_type="appeal", object_ids=ids
        )
        return [AppealId(i) for i in ids]


def _object_name(subject: AppealSubject) -> str:
    return {
        AppealSubject.REGISTRATION: "nomination",
        AppealSubject.REFUSAL: "nomination",
        AppealSubject.SITTING: "sitting",
        AppealSubject.PROTOCOL: "protocol",
    }[subject]


# The longest text stored in each field (db/tables/appeals.py's columns).
_TEXT_LIMITS = {"appellant": limits.NAME, "authority": limits.NAME, "grounds": limits.APPEAL_TEXT}


def _text_problems(a: NewAppeal, where: str) -> list[Problem]:
    problems = []
    for name, max_length in _TEXT_LIMITS.items():
        value = str(getattr(a, name))
        if not value.strip():
            problems.append(Problem("empty_field", f"{name} is empty", f"{where}.{name}"))
        elif (why := text_problem(value, max_length)) is not None:
            problems.append(Problem("bad_text", f"{name}: {why}", f"{where}.{name}"))
    return problems


def _subject_problems(a: NewAppeal, target: _Target, where: str) -> list[Problem]:
    expected = {
        AppealSubject.REGISTRATION: CandidateStatus.REGISTERED,
        AppealSubject.REFUSAL: CandidateStatus.REFUSED,
    }.get(a.subject)
    if expected is not None and target.state != expected:
        return [
            Problem(
                "wrong_subject",
                f"nomination {a.object_id} is {target.state}, not {expected}: appeal the"
                " decision it has",
                f"{where}.subject",
            )
        ]
    return []


def _targets(
    session: Session, appeals: Sequence[NewAppeal]
) -> dict[tuple[AppealSubject, int], _Target]:
    """Each appealed object's event, contest, voting day and state, a few queries per kind."""
    wanted: dict[str, set[int]] = {}
    for a in appeals:
        wanted.setdefault(_object_name(a.subject), set()).add(a.object_id)
    found: dict[tuple[AppealSubject, int], _Target] = {}
    nt, st = table_of(NominationRow), table_of(SittingRow)
    pt, rt = table_of(ProtocolRow), table_of(RoundRow)
    if wanted.get("nomination"):
        rows = list(
            select_in(
                session,
                select(nt.c.id, nt.c.event_id, nt.c.contest_id, nt.c.status),
                nt.c.id,
                sorted(wanted["nomination"]),
            )
        )
        days = voting_days_of(
            session=session, contest_ids=sorted({ContestId(r.contest_id) for r in rows})
        )
        for r in rows:
            t = _Target(r.event_id, r.contest_id, None, days[r.contest_id], r.status)
            found[(AppealSubject.REGISTRATION, r.id)] = t
            found[(AppealSubject.REFUSAL, r.id)] = t
    if wanted.get("sitting"):
        stmt = select(st.c.id, st.c.event_id, st.c.day)
        for r in select_in(session, stmt, st.c.id, sorted(wanted["sitting"])):
            found[(AppealSubject.SITTING, r.id)] = _Target(r.event_id, None, r.id, r.day, "")
    if wanted.get("protocol"):
        stmt = (
            select(pt.c.id, pt.c.status, rt.c.contest_id, st.c.event_id, st.c.day)
            .select_from(pt)
            .join(rt, rt.c.id == pt.c.round_id)
            .join(st, st.c.id == rt.c.sitting_id)
        )
        for r in select_in(session, stmt, pt.c.id, sorted(wanted["protocol"])):
            found[(AppealSubject.PROTOCOL, r.id)] = _Target(
                r.event_id, r.contest_id, None, r.day, r.status
            )
    return found


def _territories(
    session: Session, targets: dict[tuple[AppealSubject, int], _Target] | Iterable[_Target]
) -> set[TerritoryId]:
    items = list(targets.values()) if isinstance(targets, dict) else list(targets)
    contests = {ContestId(t.contest_id) for t in items if t.contest_id is not None}
    sittings = {SittingId(t.sitting_id) for t in items if t.sitting_id is not None}
    return contest_territories(session=session, contest_ids=contests) | sitting_territories(
        session=session, sitting_ids=sittings
    )


def _rule_set_names(session: Session, event_ids: set[int]) -> dict[int, str | None]:
    rows = session.execute(
        select(ElectionEventRow.id, ElectionEventRow.rule_set_name).where(
            ElectionEventRow.id.in_(event_ids)
        )
    )
    return {int(i): name for i, name in rows}


# --- deciding ------------------------------------------------------------------------------


def decide_appeal(
    *, session: Session, principal: Principal, decision: AppealDecision, now: datetime
) -> str | None:
    return decide_appeals(session=session, principal=principal, decisions=[decision], now=now)[0]


def decide_appeals(
    *,
    session: Session,
    principal: Principal,
    decisions: Sequence[AppealDecision],
    now: datetime,
) -> list[str | None]:
    """Record decisions (all or none) and carry out each upheld appeal's effect; returns each
    decision's effect (None when it has none)."""
    if len({d.appeal_id for d in decisions}) != len(decisions):
        raise InvalidInput.one("decided_twice", "an appeal is decided twice in one batch")
    with transaction(session=session):
        at = table_of(AppealRow)
        rows = {
            r.id: r
            for r in select_in(session, select(at), at.c.id, [d.appeal_id for d in decisions])
        }
        targets = [
            _Target(r.event_id, r.contest_id, r.object_id, r.voting_day, "")
            if r.subject == AppealSubject.SITTING
            else _Target(r.event_id, r.contest_id, None, r.voting_day, "")
            for r in rows.values()
        ]
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.APPEAL_DECIDE,
            territories=lambda: _territories(session, targets),
        )
        problems = _decision_problems(decisions, rows)
        if problems:
            raise Refused(f"{len(problems)} problem(s): no appeal decided", problems=problems)
        effects = [
            _carry_out(session, actor, rows[d.appeal_id], d)
            if d.outcome is AppealOutcome.UPHELD
            else None
            for d in decisions
        ]
        update_rows(
            session,
            at,
            [
                {
                    "b_id": d.appeal_id,
                    "outcome": d.outcome,
                    "decision_reason": d.reason.strip(),
                    "decided_on": d.decided_on,
                    "effect": effect,
                }
                for d, effect in zip(decisions, effects, strict=True)
            ],
        )
        session.expire_all()
        audit.record_many(
            session=session,
            actor=actor,
            action="appeal.decide",
            object_type="appeal",
            object_ids=[d.appeal_id for d in decisions],
        )
        return effects


def _decision_problems(
    decisions: Sequence[AppealDecision], rows: dict[int, Row[Any]]
) -> list[Problem]:
    problems: list[Problem] = []
    for n, d in enumerate(decisions):
        where = f"decisions[{n}]"
        row = rows.get(d.appeal_id)
        if row is None:
            problems.append(Problem("not_found", f"no appeal {d.appeal_id}", where))
            continue
        if row.outcome is not None:
            problems.append(
                Problem(
                    "already_decided",
                    f"appeal {d.appeal_id} was decided on {row.decided_on}: {row.outcome}",
                    where,
                )
            )
        if d.decided_on < row.filed_on:
            problems.append(
                Problem(
                    "decided_before_filed",
                    f"decided on {d.decided_on.isoformat()}, before it was filed on"
                    f" {row.filed_on.isoformat()}",
                    f"{where}.decided_on",
                )
            )
        if not d.reason.strip():
            problems.append(Problem("empty_field", "a decision needs its reason", where))
        elif (why := text_problem(d.reason, limits.APPEAL_TEXT)) is not None:
            problems.append(Problem("bad_text", f"reason: {why}", f"{where}.reason"))
    return problems


def _carry_out(session: Session, actor: str, row: Row[Any], d: AppealDecision) -> str | None:
    subject = AppealSubject(row.subject)
    if subject is AppealSubject.PROTOCOL:
        annul_protocol(session=session, actor=actor, protocol_id=ProtocolId(row.object_id))
        return "protocol_annulled"
    if subject is AppealSubject.SITTING:
        return None
    nt, rt = table_of(NominationRow), table_of(RoundRow)
    nom = session.execute(select(nt).where(nt.c.id == row.object_id)).one()
    voted = session.scalar(
        select(func.count()).select_from(rt).where(rt.c.contest_id == nom.contest_id)
    )
    if voted:
        raise Refused.one(
            "contest_voted",
            f"appeal {row.id}: contest {nom.contest_id} has voted; a registration is no longer"
            " changed (appeal its protocol instead)",
            appeal=row.id,
            contest=nom.contest_id,
        )
    repeat = session.scalar(
        select(RepeatElectionRow.contest_id).where(
            RepeatElectionRow.failed_contest_id == nom.contest_id
        )
    )
    if repeat is not None:
        # As for an annulment (services/annulment.py): the post now has its repeat contest.
        raise Refused.one(
            "repeat_called",
            f"appeal {row.id}: contest {nom.contest_id} failed and its repeat election (contest"
            f" {repeat}) has been called; a registration in it is no longer changed",
            appeal=row.id,
            contest=nom.contest_id,
            repeat_contest=repeat,
        )
    if subject is AppealSubject.REFUSAL:
        if nom.status != CandidateStatus.REFUSED:
            raise Conflict.one(
                "wrong_subject",
                f"appeal {row.id}: nomination {nom.id} is {nom.status}, not refused",
                appeal=row.id,
            )
        values: dict[str, object] = {
            "status": CandidateStatus.REGISTERED,
            "refusal_reason": None,
        }
        action, effect = "candidate.reinstate", "registration_reinstated"
    else:
        if nom.status != CandidateStatus.REGISTERED:
            raise Conflict.one(
                "wrong_subject",
                f"appeal {row.id}: nomination {nom.id} is {nom.status}, not registered",
                appeal=row.id,
            )
        values = {
            "status": CandidateStatus.REFUSED,
            "refusal_reason": f"registration cancelled on appeal {row.id}: {d.reason.strip()}",
        }
        action, effect = "candidate.cancel-registration", "registration_cancelled"
    update_rows(session, nt, [{"b_id": nom.id, **values, "decided_on": d.decided_on}])
    session.expire_all()
    audit.record(
        session=session, actor=actor, action=action, object_type="nomination", object_id=nom.id
    )
    return effect


# --- reading -------------------------------------------------------------------------------


def _appeal(r: Any) -> Appeal:
    return Appeal(
        id=AppealId(r.id),
        event_id=EventId(r.event_id),
        contest_id=None if r.contest_id is None else ContestId(r.contest_id),
        subject=AppealSubject(r.subject),
        object_id=r.object_id,
        appellant=r.appellant,
        filed_on=r.filed_on,
        authority_kind=AuthorityKind(r.authority_kind),
        authority=r.authority,
        grounds=r.grounds,
        voting_day=r.voting_day,
        deadline=r.deadline,
        is_at_once=r.is_at_once,
        outcome=AppealOutcome(r.outcome) if r.outcome else None,
        decision_reason=r.decision_reason,
        decided_on=r.decided_on,
        effect=r.effect,
    )


def list_appeals(
    *, session: Session, event_id: EventId | None = None, overdue_on: date | None = None
) -> list[Appeal]:
    """Appeals in filing order; with `overdue_on`, only those undecided after their deadline."""
    at = table_of(AppealRow)
    stmt = select(at).order_by(at.c.id)
    if event_id is not None:
        stmt = stmt.where(at.c.event_id == event_id)
    if overdue_on is not None:
        stmt = stmt.where(at.c.outcome.is_(None), at.c.deadline < overdue_on)
    return [_appeal(r) for r in session.execute(stmt)]


def get_appeal(*, session: Session, appeal_id: AppealId) -> Appeal:
    at = table_of(AppealRow)
    row = session.execute(select(at).where(at.c.id == appeal_id)).one_or_none()
    if row is None:
        raise NotFound.one("unknown_appeal", f"no appeal {appeal_id}", id=appeal_id)
    return _appeal(row)
