"""Who is present at a sitting: the roll recorded before it opens, then deputies arriving late
or leaving, each with the time (docs/lifecycle.md, "The sitting's life").

Present now = the roll at opening followed by the movements in the order of their times. A
round's electors are fixed from this when its vote is entered (services/sitting_figures.py).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_rows, select_in
from saylau.db.tables.election import AttendanceRow, MovementRow, SittingRow
from saylau.db.tables.structure import DeputyRow
from saylau.domain.accounts import Principal
from saylau.domain.election import SittingId, SittingStatus
from saylau.domain.structure import DeputyId
from saylau.services import audit, sitting_rows
from saylau.services.errors import Problem, Refused
from saylau.services.permissions import Action, authorize, sitting_territories
from saylau.services.sitting_rows import in_office, load_sittings
from saylau.services.transaction import transaction

# --- the roll, before the sitting opens ----------------------------------------------------


def record_attendance(
    *, session: Session, principal: Principal, sitting_id: SittingId, roll: Mapping[DeputyId, bool]
) -> None:
    record_attendance_many(session=session, principal=principal, rolls={sitting_id: roll})


def record_attendance_many(
    *, session: Session, principal: Principal, rolls: Mapping[SittingId, Mapping[DeputyId, bool]]
) -> None:
    """Record deputies present (True) or absent (False) before a sitting opens; a later record
    for the same deputy replaces the earlier one. Every deputy must be in office that day."""
    given = rolls
    with transaction(session=session):
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.SITTING_ATTENDANCE,
            territories=lambda: sitting_territories(session=session, sitting_ids=given),
        )
        sittings = load_sittings(session=session, ids=list(given))
        electors = sitting_rows.rolls(session=session, sittings=sittings)
        problems: list[Problem] = []
        for sid, sitting in sittings.items():
            if sitting.status != SittingStatus.SCHEDULED:
                problems.append(
                    Problem(
                        "sitting_open",
                        "the roll is fixed once the sitting opens: record a deputy arriving or"
                        " leaving with saylau sitting arrive|leave",
                        f"sitting {sid}",
                    )
                )
            eligible = {deputy_id for deputy_id, _name, _present in electors[sid]}
            for deputy in given[sid]:
                if deputy not in eligible:
                    problems.append(
                        Problem(
                            "not_elector",
                            f"deputy {deputy} is not a deputy of council {sitting.council_id}"
                            f" in office on {sitting.day.isoformat()}",
                            f"sitting {sid}",
                        )
                    )
        if problems:
            raise Refused(f"{len(problems)} problem(s): no attendance recorded", problems=problems)
        _store_roll(session, given)
        audit.record_many(
            session=session,
            actor=actor,
            action="sitting.attendance",
            object_type="sitting",
            object_ids=list(given),
        )


def _store_roll(session: Session, given: Mapping[SittingId, Mapping[DeputyId, bool]]) -> None:
    existing = set(
        session.execute(
            select(AttendanceRow.sitting_id, AttendanceRow.deputy_id).where(
                AttendanceRow.sitting_id.in_(list(given))
            )
        )
    )
    new: list[dict[str, object]] = []
    changed: list[dict[str, object]] = []
    for sid, roll in given.items():
        for deputy, is_present in roll.items():
            row: dict[str, object] = {
                "b_sitting": sid,
                "b_deputy": deputy,
                "is_present": is_present,
            }
            (changed if (sid, deputy) in existing else new).append(row)
    insert_rows(
        session,
        AttendanceRow,
        [
            {
                "sitting_id": r["b_sitting"],
                "deputy_id": r["b_deputy"],
                "is_present": r["is_present"],
            }
            for r in new
        ],
    )
    if changed:
        t = table_of(AttendanceRow)
        session.execute(
            update(t).where(
                (t.c.sitting_id == bindparam("b_sitting"))
                & (t.c.deputy_id == bindparam("b_deputy"))
            ),
            changed,
        )


# --- arriving and leaving, once it is open -------------------------------------------------


@dataclass(frozen=True)
class Movement:
    """A deputy arriving (`is_arrival`) or leaving a sitting at `at`."""

    sitting_id: SittingId
    deputy_id: DeputyId
    is_arrival: bool
    at: datetime


def record_movements(
    *, session: Session, principal: Principal, movements: Sequence[Movement]
) -> None:
    """Record deputies arriving late or leaving (all or none, every problem listed): the sitting
    is open or adjourned, the deputy is on its roll, absent to arrive and present to leave, and
    the times follow the opening and the deputy's own earlier movements."""
    sitting_ids = list(dict.fromkeys(m.sitting_id for m in movements))
    with transaction(session=session):
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.SITTING_ATTENDANCE,
            territories=lambda: sitting_territories(session=session, sitting_ids=sitting_ids),
        )
        sittings = load_sittings(session=session, ids=sitting_ids)
        roll = {
            (sid, deputy): present
            for sid, entries in sitting_rows.rolls(session=session, sittings=sittings).items()
            for deputy, _name, present in entries
        }
        state, last_at = _movement_state(session, sitting_ids)
        problems: list[Problem] = []
        for n, m in enumerate(movements):
            where = f"movements[{n}]"
            s = sittings[m.sitting_id]
            key = (int(m.sitting_id), int(m.deputy_id))
            if s.status not in (SittingStatus.OPEN, SittingStatus.ADJOURNED):
                problems.append(_not_open(s, where))
                continue
            if key not in roll:
                problems.append(
                    Problem(
                        "not_elector",
                        f"deputy {m.deputy_id} is not on the roll of sitting {s.id}",
                        where,
                    )
                )
                continue
            is_present = state.get(key, bool(roll[key]))
            problems += _movement_problems(s, m, is_present, last_at.get(key), where)
            state[key], last_at[key] = m.is_arrival, m.at
        if problems:
            raise Refused(f"{len(problems)} problem(s): nothing recorded", problems=problems)
        insert_rows(
            session,
            MovementRow,
            [
                {
                    "sitting_id": m.sitting_id,
                    "deputy_id": m.deputy_id,
                    "at": m.at,
                    "is_present": m.is_arrival,
                }
                for m in movements
            ],
        )
        for action, arriving in (("sitting.arrive", True), ("sitting.leave", False)):
            audit.record_many(
                session=session,
                actor=actor,
                action=action,
                object_type="sitting",
                object_ids=[m.sitting_id for m in movements if m.is_arrival is arriving],
            )


def _not_open(s: SittingRow, where: str) -> Problem:
    hint = {
        SittingStatus.SCHEDULED: "record the roll with saylau sitting attend before it opens",
        SittingStatus.CLOSED: "nobody arrives at or leaves a closed sitting",
    }.get(SittingStatus(s.status), "")
    return Problem("sitting_not_open", f"sitting {s.id} is {s.status}: {hint}", where)


def _movement_problems(
    s: SittingRow, m: Movement, is_present: bool, last: datetime | None, where: str
) -> list[Problem]:
    problems: list[Problem] = []
    if m.is_arrival and is_present:
        problems.append(
            Problem("already_present", f"deputy {m.deputy_id} is present already", where)
        )
    if not m.is_arrival and not is_present:
        problems.append(Problem("not_present", f"deputy {m.deputy_id} is not present", where))
    if s.opened_at is not None and m.at < s.opened_at:
        problems.append(
            Problem(
                "before_opening",
                f"{m.at.isoformat()} is before the sitting opened ({s.opened_at.isoformat()})",
                where,
            )
        )
    if last is not None and m.at < last:
        problems.append(
            Problem(
                "out_of_order",
                f"{m.at.isoformat()} is before deputy {m.deputy_id}'s last movement"
                f" ({last.isoformat()})",
                where,
            )
        )
    return problems


def _movement_state(
    session: Session, sitting_ids: Sequence[int]
) -> tuple[dict[tuple[int, int], bool], dict[tuple[int, int], datetime]]:
    """Each moved deputy's presence after its last movement, and that movement's time."""
    mt = table_of(MovementRow)
    stmt = select(mt.c.sitting_id, mt.c.deputy_id, mt.c.at, mt.c.is_present)
    rows = sorted(select_in(session, stmt, mt.c.sitting_id, sitting_ids), key=lambda r: r[2])
    state: dict[tuple[int, int], bool] = {}
    last_at: dict[tuple[int, int], datetime] = {}
    for sid, deputy, at, is_present in rows:
        state[(sid, deputy)], last_at[(sid, deputy)] = bool(is_present), at
    return state, last_at


def present_now(*, session: Session, sittings: Mapping[SittingId, SittingRow]) -> dict[int, int]:
    """Deputies present now at each open (or adjourned, or closed) sitting: those present at
    opening, plus those who arrived since, less those who left. Two queries for any number."""
    state, _last = _movement_state(session, list(sittings))
    at = table_of(AttendanceRow)
    roll = {
        (sid, deputy): bool(p)
        for sid, deputy, p in select_in(
            session,
            select(at.c.sitting_id, at.c.deputy_id, at.c.is_present),
            at.c.sitting_id,
            sorted({sid for sid, _d in state}),
        )
    }
    present: dict[int, int] = {sid: s.present or 0 for sid, s in sittings.items()}
    for (sid, deputy), now_present in state.items():
        present[sid] += int(now_present) - int(roll.get((sid, deputy), False))
    return present


# --- reading -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Elector:
    """A deputy in office on the sitting's day: present at opening (None: not recorded yet),
    present now, and the movements since, as (time, arrived?)."""

    deputy_id: DeputyId
    full_name: str
    at_opening: bool | None
    present: bool | None
    movements: tuple[tuple[datetime, bool], ...] = ()


def list_electors(*, session: Session, sitting_id: SittingId) -> list[Elector]:
    """Every deputy in office on the sitting's day, by name, with their attendance."""
    s = load_sittings(session=session, ids=[sitting_id])[sitting_id]
    rows = session.execute(
        select(DeputyRow.id, DeputyRow.full_name, AttendanceRow.is_present)
        .outerjoin(
            AttendanceRow,
            (AttendanceRow.deputy_id == DeputyRow.id) & (AttendanceRow.sitting_id == s.id),
        )
        .where(DeputyRow.council_id == s.council_id, in_office(s.day))
        .order_by(DeputyRow.full_name, DeputyRow.id)
    )
    moved: dict[int, list[tuple[datetime, bool]]] = {}
    for deputy, at, is_present in session.execute(
        select(MovementRow.deputy_id, MovementRow.at, MovementRow.is_present)
        .where(MovementRow.sitting_id == sitting_id)
        .order_by(MovementRow.at, MovementRow.id)
    ):
        moved.setdefault(deputy, []).append((at, bool(is_present)))
    return [
        Elector(
            DeputyId(i),
            n,
            p,
            moved[i][-1][1] if i in moved else p,
            tuple(moved.get(i, ())),
        )
        for i, n, p in rows
    ]
