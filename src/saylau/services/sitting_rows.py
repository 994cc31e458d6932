"""What the sitting services share: loading sittings, the deputies in office on a day, and each
sitting's roll (the council's deputies in office with their attendance at opening)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.election import AttendanceRow, SittingRow
from saylau.db.tables.structure import DeputyRow
from saylau.domain.election import SittingId, SittingStatus
from saylau.services.errors import Problem, unknown_ids

# The problem code of a step that the sitting's status refuses (i18n/problems.py has their
# templates, filled with the sitting's id).
_REFUSED_BY_STATUS = {
    SittingStatus.SCHEDULED: "sitting_scheduled",
    SittingStatus.OPEN: "sitting_open",
    SittingStatus.ADJOURNED: "sitting_adjourned",
    SittingStatus.CLOSED: "sitting_closed",
}


def refused_by_status(sitting_id: SittingId, status: str, message: str) -> Problem:
    """What a sitting's status refuses: its code names the status, its number the sitting."""
    code = _REFUSED_BY_STATUS[SittingStatus(status)]
    return Problem(code, message, f"sitting {sitting_id}", {"sitting": sitting_id})


_CHUNK = 500  # sittings per roll query

# (deputy id, full name, present at opening? None: not recorded)
RollEntry = tuple[int, str, bool | None]


def in_office(day: date):  # type: ignore[no-untyped-def]
    return (DeputyRow.mandate_start <= day) & (
        DeputyRow.mandate_end.is_(None) | (DeputyRow.mandate_end >= day)
    )


def load_sittings(*, session: Session, ids: Sequence[SittingId]) -> dict[SittingId, SittingRow]:
    """The sittings by id, or NotFound naming each id that names none."""
    found = {
        SittingId(s.id): s
        for s in session.scalars(select(SittingRow).where(SittingRow.id.in_(ids)))
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise unknown_ids("sitting", missing, where="sitting_ids")
    return found


def rolls(
    *, session: Session, sittings: Mapping[SittingId, SittingRow]
) -> dict[int, list[RollEntry]]:
    """For each sitting, its council's deputies in office on its day with their recorded
    attendance (None: not recorded), read for all the sittings at once."""
    st = table_of(SittingRow)
    found: dict[int, list[RollEntry]] = {sid: [] for sid in sittings}
    ids = sorted(sittings)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(st.c.id, DeputyRow.id, DeputyRow.full_name, AttendanceRow.is_present)
            .select_from(st)
            .join(
                DeputyRow,
                (DeputyRow.council_id == st.c.council_id)
                & (DeputyRow.mandate_start <= st.c.day)
                & (DeputyRow.mandate_end.is_(None) | (DeputyRow.mandate_end >= st.c.day)),
            )
            .outerjoin(
                AttendanceRow,
                (AttendanceRow.deputy_id == DeputyRow.id) & (AttendanceRow.sitting_id == st.c.id),
            )
            .where(st.c.id.in_(ids[start : start + _CHUNK]))
        )
        for sid, deputy_id, name, is_present in rows:
            found[sid].append((deputy_id, name, is_present))
    return found
