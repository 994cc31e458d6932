"""The calendar of an event and its progress by voting day: what was due each day, and how
many of those contests are decided, failed or still pending (docs/results.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy.orm import Session

from saylau.domain.election import ContestStatus, EventId
from saylau.domain.structure import TerritoryId
from saylau.services.views.facts import Facts, Scope, load_facts
from saylau.services.views.results import contest_view
from saylau.services.views.values import (
    CalendarDayView,
    CalendarView,
    ContestView,
    TerritoryView,
    Visibility,
)


def calendar_view(*, session: Session, event_id: EventId, visibility: Visibility) -> CalendarView:
    """Each voting day (its meeting of electors, else the day the calendar sets), in order."""
    facts = load_facts(
        session=session, scope=Scope(event_id), visibility=visibility, with_votes=False
    )
    views = [contest_view(facts, c, visibility) for c in facts.contests]
    return calendar_of(facts, views, visibility)


def calendar_of(facts: Facts, views: Sequence[ContestView], visibility: Visibility) -> CalendarView:
    """The calendar from an event's facts and the views of its contests (in facts' order)."""
    by_day: dict[date, list[tuple[ContestView, int]]] = defaultdict(list)
    unscheduled = 0
    for c, view in zip(facts.contests, views, strict=True):
        if view.vote_day is None:
            unscheduled += 1
        else:
            by_day[view.vote_day].append((view, c.council_id))
    row = facts.event_row
    return CalendarView(
        event_id=EventId(facts.event_id),
        visibility=visibility,
        nomination_opens=row.nomination_opens,
        nomination_closes=row.nomination_closes,
        registration_deadline=row.registration_deadline,
        days=tuple(_day(day, by_day[day]) for day in sorted(by_day)),
        unscheduled=unscheduled,
    )


def _day(day: date, contests: list[tuple[ContestView, int]]) -> CalendarDayView:
    regions: dict[TerritoryId, TerritoryView] = {}
    for v, _council in contests:
        region = v.region or v.council
        regions[region.id] = region
    statuses = [v.status for v, _c in contests]
    return CalendarDayView(
        day=day,
        regions=tuple(sorted(regions.values(), key=lambda t: t.kato)),
        councils=len({council for _v, council in contests}),
        contests=len(contests),
        elected=statuses.count(ContestStatus.ELECTED),
        failed=statuses.count(ContestStatus.REPEAT_ELECTION),
        lot_required=statuses.count(ContestStatus.LOT_REQUIRED),
        pending=statuses.count(ContestStatus.PENDING) + statuses.count(ContestStatus.VOTING),
        published=sum(1 for v, _c in contests if v.protocol and v.protocol.published_at),
    )
