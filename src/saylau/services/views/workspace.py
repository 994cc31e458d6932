"""The staff workspace's read model: the contests a user works on (its scope), one contest with
its sitting, and whether a contest lies within a user's reach at all (docs/web.md).

Staff visibility: unpublished results included. A user whose role reaches only its scope sees
the contests whose council's territory is its scope or lies inside it (a regional user: its
region's councils; a commission user: its own council).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.election import ContestRow, SittingContestRow, SittingRow
from saylau.domain.accounts import NATIONAL_ROLES, Principal
from saylau.domain.election import ContestId, EventId, SittingId, SittingStatus
from saylau.services.errors import NotFound
from saylau.services.views.facts import Scope, load_facts
from saylau.services.views.results import contest_detail, contest_view
from saylau.services.views.values import ContestDetailView, ContestView, Visibility


@dataclass(frozen=True)
class SittingRef:
    id: SittingId
    day: date
    status: SittingStatus


@dataclass(frozen=True)
class WorkspaceContest:
    contest: ContestView
    sitting: SittingRef | None


def _area(principal: Principal) -> str | None:
    return None if principal.role in NATIONAL_ROLES else principal.scope


def reaches(principal: Principal, contest: ContestView) -> bool:
    """Whether the contest's council lies within the user's scope (national roles: always)."""
    area = _area(principal)
    if area is None:
        return True
    katos = {contest.council.kato, contest.region.kato if contest.region else None}
    return area in katos


def _sittings(session: Session, contest_ids: list[ContestId]) -> dict[int, SittingRef]:
    if not contest_ids:
        return {}
    rows = session.execute(
        select(SittingContestRow.contest_id, SittingRow.id, SittingRow.day, SittingRow.status)
        .join(SittingRow, SittingRow.id == SittingContestRow.sitting_id)
        .where(SittingContestRow.contest_id.in_(contest_ids))
    )
    return {c: SittingRef(SittingId(s), day, SittingStatus(st)) for c, s, day, st in rows}


def workspace_contests(
    *, session: Session, principal: Principal, event_id: EventId
) -> list[WorkspaceContest]:
    """The contests of an event within the user's reach, by the post's KATO, with their sitting
    (in one read of the facts and one of the sittings)."""
    facts = load_facts(
        session=session,
        scope=Scope(event_id, area_kato=_area(principal)),
        visibility=Visibility.STAFF,
        with_votes=False,
    )
    views = [contest_view(facts, c, Visibility.STAFF) for c in facts.contests]
    sittings = _sittings(session, [v.id for v in views])
    return [WorkspaceContest(v, sittings.get(v.id)) for v in views]


@dataclass(frozen=True)
class StaffContest:
    event_id: EventId
    detail: ContestDetailView
    sitting: SittingRef | None


def staff_contest(*, session: Session, principal: Principal, contest_id: ContestId) -> StaffContest:
    """One contest as staff see it; NotFound (the same as for no such contest) when it lies
    outside the user's reach, so that a scope does not reveal what exists beyond it."""
    missing = NotFound.one(
        "unknown_contest", f"no contest {contest_id}", where="contest", contest=contest_id
    )
    event_id = session.scalar(select(ContestRow.event_id).where(ContestRow.id == contest_id))
    if event_id is None:
        raise missing
    detail = contest_detail(
        session=session,
        event_id=EventId(event_id),
        contest_id=contest_id,
        visibility=Visibility.STAFF,
    )
    if not reaches(principal, detail.contest):
        raise missing
    return StaffContest(EventId(event_id), detail, _sittings(session, [contest_id]).get(contest_id))


def sitting_contests(*, session: Session, sitting_id: SittingId) -> list[ContestId]:
    """The contests a sitting votes in, by id."""
    rows = session.scalars(
        select(SittingContestRow.contest_id)
        .where(SittingContestRow.sitting_id == sitting_id)
        .order_by(SittingContestRow.contest_id)
    )
    return [ContestId(c) for c in rows]
