"""The CEC dashboard's read model: progress of an event by region and voting day (contests
scheduled, decided, failed, repeat elections due, appeals overdue), for staff.

Bulk: one read of the event's facts (services/views/facts.py), one of its repeat elections and
one of its overdue appeals, whatever the number of contests; nothing is read per row.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from saylau.domain.election import ContestStatus, EventId
from saylau.services.appeals import list_appeals
from saylau.services.repeat_elections import list_repeat_elections
from saylau.services.views.facts import Scope, load_facts
from saylau.services.views.results import contest_view
from saylau.services.views.values import TerritoryView, Visibility


@dataclass(frozen=True)
class Progress:
    scheduled: int = 0  # contests voting on the day (its sitting's day, else the calendar's)
    decided: int = 0  # elected
    failed: int = 0  # failed: a repeat election must be called
    lot_required: int = 0
    open: int = 0  # neither decided nor failed yet
    published: int = 0
    repeat_due: int = 0  # failed contests with no repeat election called yet
    appeals_overdue: int = 0  # undecided appeals past their deadline

    def __add__(self, other: Progress) -> Progress:
        return Progress(*(a + b for a, b in zip(_values(self), _values(other), strict=True)))


def _values(p: Progress) -> tuple[int, ...]:
    return (
        p.scheduled,
        p.decided,
        p.failed,
        p.lot_required,
        p.open,
        p.published,
        p.repeat_due,
        p.appeals_overdue,
    )


@dataclass(frozen=True)
class RegionProgress:
    region: TerritoryView
    by_day: tuple[tuple[date, Progress], ...]
    total: Progress


@dataclass(frozen=True)
class DashboardView:
    event_id: EventId
    event_name: str
    on: date  # the day appeals are overdue on
    days: tuple[date, ...]
    regions: tuple[RegionProgress, ...]
    by_day: tuple[tuple[date, Progress], ...]
    total: Progress


def dashboard_view(
    *, session: Session, event_id: EventId, on: date, area: str | None = None
) -> DashboardView:
    """The progress of an event's contests (of one region when `area` is its KATO) by region
    and day, as staff see it, with the appeals overdue on `on`."""
    facts = load_facts(
        session=session,
        scope=Scope(event_id, area_kato=area),
        visibility=Visibility.STAFF,
        with_votes=False,
    )
    called = {
        r.failed_contest_id for r in list_repeat_elections(session=session, event_id=event_id)
    }
    overdue = Counter(
        a.contest_id
        for a in list_appeals(session=session, event_id=event_id, overdue_on=on)
        if a.contest_id is not None
    )
    cells: dict[tuple[str, date | None], Progress] = defaultdict(Progress)
    regions: dict[str, TerritoryView] = {}
    for fact in facts.contests:
        view = contest_view(facts, fact, Visibility.STAFF)
        region = view.region or view.council
        regions[region.kato] = region
        status = view.status
        is_published = bool(view.protocol and view.protocol.published_at)
        failed = status is ContestStatus.REPEAT_ELECTION
        cells[(region.kato, view.vote_day)] += Progress(
            scheduled=1,
            decided=int(status is ContestStatus.ELECTED),
            failed=int(failed),
            lot_required=int(status is ContestStatus.LOT_REQUIRED),
            open=int(status in (ContestStatus.PENDING, ContestStatus.VOTING)),
            published=int(is_published),
            repeat_due=int(failed and fact.id not in called),
            appeals_overdue=overdue.get(fact.id, 0),
        )
    days = sorted({d for _k, d in cells if d is not None})
    by_region = []
    for kato in sorted(regions):
        row = [(d, cells[(kato, d)]) for d in days if (kato, d) in cells]
        total = sum((p for (k, _d), p in cells.items() if k == kato), Progress())
        by_region.append(RegionProgress(regions[kato], tuple(row), total))
    by_day = tuple(
        (d, sum((p for (_k, day), p in cells.items() if day == d), Progress())) for d in days
    )
    return DashboardView(
        event_id=event_id,
        event_name=facts.event_name,
        on=on,
        days=tuple(days),
        regions=tuple(by_region),
        by_day=by_day,
        total=sum(cells.values(), Progress()),
    )
