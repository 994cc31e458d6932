"""A sitting's life once open: adjourned with its reason, resumed, closed (docs/lifecycle.md,
"The sitting's life"): scheduled → open ⇄ adjourned → closed.

No vote is entered while a sitting is adjourned (services/sitting_figures.py); a sitting closes
when every round voted at it is decided and no lot is awaited. Each step is its own audit entry
(`sitting.adjourn`, `sitting.resume`, `sitting.close`); the adjournments, with their reasons and
times, are part of the sitting's logged state.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.election import AdjournmentRow, ContestRow, RoundRow, SittingRow
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.election import ContestStatus, RoundStatus, SittingId, SittingStatus
from saylau.rules.input import text_problem
from saylau.services import audit
from saylau.services.errors import InvalidInput, Problem, Refused
from saylau.services.permissions import Action, authorize, sitting_territories
from saylau.services.sitting_rows import load_sittings, refused_by_status
from saylau.services.transaction import transaction


def adjourn_sitting(
    *, session: Session, principal: Principal, sitting_id: SittingId, reason: str, now: datetime
) -> None:
    """Adjourn an open sitting at `now`, with its reason: no vote is entered until it resumes."""
    text = reason.strip()
    if not text:
        raise InvalidInput.one("no_reason", "an adjournment needs its reason", where="reason")
    if bad := text_problem(text, limits.REASON):
        raise InvalidInput.one("bad_reason", f"reason: {bad}", where="reason")
    with transaction(session=session):
        actor, s = _authorized(session, principal, sitting_id)
        _check(session, s, now, SittingStatus.OPEN, "adjourned")
        session.add(AdjournmentRow(sitting_id=s.id, adjourned_at=now, reason=text))
        _set_status(session, s, SittingStatus.ADJOURNED)
        audit.record(
            session=session,
            actor=actor,
            action="sitting.adjourn",
            object_type="sitting",
            object_id=sitting_id,
        )


def resume_sitting(
    *, session: Session, principal: Principal, sitting_id: SittingId, now: datetime
) -> None:
    """Resume an adjourned sitting at `now`."""
    with transaction(session=session):
        actor, s = _authorized(session, principal, sitting_id)
        _check(session, s, now, SittingStatus.ADJOURNED, "resumed")
        at = table_of(AdjournmentRow)
        session.execute(
            update(at)
            .where(at.c.sitting_id == s.id, at.c.resumed_at.is_(None))
            .values(resumed_at=now)
        )
        _set_status(session, s, SittingStatus.OPEN)
        audit.record(
            session=session,
            actor=actor,
            action="sitting.resume",
            object_type="sitting",
            object_id=sitting_id,
        )


def close_sitting(
    *, session: Session, principal: Principal, sitting_id: SittingId, now: datetime
) -> None:
    """Close an open (or adjourned) sitting at `now`: every round voted at it is decided or
    cancelled and no contest awaits a lot; each one that is not is a problem."""
    with transaction(session=session):
        actor, s = _authorized(session, principal, sitting_id)
        if s.status == SittingStatus.ADJOURNED:
            _check(session, s, now, SittingStatus.ADJOURNED, "closed")
        else:
            _check(session, s, now, SittingStatus.OPEN, "closed")
        problems = _unfinished(session, s)
        if problems:
            raise Refused(
                f"{len(problems)} problem(s): sitting {s.id} not closed", problems=problems
            )
        at = table_of(AdjournmentRow)
        session.execute(
            update(at)
            .where(at.c.sitting_id == s.id, at.c.resumed_at.is_(None))
            .values(resumed_at=now)
        )
        st = table_of(SittingRow)
        session.execute(update(st).where(st.c.id == s.id).values(closed_at=now))
        _set_status(session, s, SittingStatus.CLOSED)
        audit.record(
            session=session,
            actor=actor,
            action="sitting.close",
            object_type="sitting",
            object_id=sitting_id,
        )


def _authorized(
    session: Session, principal: Principal, sitting_id: SittingId
) -> tuple[str, SittingRow]:
    actor = authorize(
        session=session,
        principal=principal,
        action=Action.SITTING_CONDUCT,
        territories=lambda: sitting_territories(session=session, sitting_ids=[sitting_id]),
    )
    return actor, load_sittings(session=session, ids=[sitting_id])[sitting_id]


def _check(
    session: Session, s: SittingRow, now: datetime, needed: SittingStatus, done: str
) -> None:
    """The sitting is `needed` and `now` is not before its last step."""
    where = f"sitting {s.id}"
    if s.status != needed:
        message = f"sitting {s.id} is {s.status}; only an {needed.value} sitting is {done}"
        raise Refused(message, problems=[refused_by_status(SittingId(s.id), s.status, message)])
    last = _last_step(session, s)
    if last is not None and now < last:
        raise Refused.one(
            "out_of_order",
            f"{now.isoformat()} is before the sitting's last step ({last.isoformat()})",
            where=where,
        )


def _last_step(session: Session, s: SittingRow) -> datetime | None:
    at = table_of(AdjournmentRow)
    row = session.execute(
        select(func.max(at.c.adjourned_at), func.max(at.c.resumed_at)).where(
            at.c.sitting_id == s.id
        )
    ).one()
    steps = [t for t in (s.opened_at, *row) if t is not None]
    return max(steps, default=None)


def _unfinished(session: Session, s: SittingRow) -> list[Problem]:
    problems: list[Problem] = []
    for contest_id, round_no in session.execute(
        select(RoundRow.contest_id, RoundRow.round_no)
        .where(RoundRow.sitting_id == s.id, RoundRow.status == RoundStatus.OPEN)
        .order_by(RoundRow.contest_id, RoundRow.round_no)
    ):
        problems.append(
            Problem(
                "round_open",
                f"contest {contest_id} round {round_no} is open: its protocol is not accepted",
                f"contest {contest_id}",
                {"contest": contest_id, "round": round_no},
            )
        )
    for (contest_id,) in session.execute(
        select(ContestRow.id)
        .join(RoundRow, RoundRow.contest_id == ContestRow.id)
        .where(RoundRow.sitting_id == s.id, ContestRow.status == ContestStatus.LOT_REQUIRED)
        .distinct()
        .order_by(ContestRow.id)
    ):
        problems.append(
            Problem(
                "lot_awaited",
                f"contest {contest_id} awaits a drawing of lots: saylau lot draw first",
                f"contest {contest_id}",
                {"contest": contest_id},
            )
        )
    return problems


def _set_status(session: Session, s: SittingRow, status: SittingStatus) -> None:
    st = table_of(SittingRow)
    session.execute(update(st).where(st.c.id == s.id).values(status=status))
    session.expire_all()
