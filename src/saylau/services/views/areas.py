"""Every area of an event at once: the country, each region and each district or town, as the
`ResultsView` that `results_view` gives for it, from ONE load of the event's facts (the static
export renders them all; docs/web.md#static-export)."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace

from sqlalchemy.orm import Session

from saylau.domain.election import ContestId, EventId
from saylau.domain.structure import TerritoryKind
from saylau.services.views.calendar import calendar_of
from saylau.services.views.facts import ContestFact, Scope, load_facts
from saylau.services.views.results import MAX_LIMIT, area_parts, contest_view, figures, page
from saylau.services.views.values import (
    CalendarView,
    ContestView,
    ResultsView,
    TerritoryView,
    Visibility,
)


@dataclass(frozen=True)
class EventAreas:
    national: ResultsView  # figures and regions; no contests listed (limit 0)
    areas: dict[str, ResultsView]  # by KATO: regions (limit 0), districts and towns (all)
    contests: tuple[ContestView, ...]  # every contest of the event, by the post's KATO
    calendar: CalendarView  # as calendar_view gives it


def event_areas(
    *,
    session: Session,
    event_id: EventId,
    visibility: Visibility,
    of_contests: Collection[ContestId] | None = None,
) -> EventAreas:
    """The national view and the view of each region and district or town (or only of the
    regions and districts of `of_contests`), each equal to `results_view` of that area, in the
    statements of one view."""
    facts = load_facts(session=session, scope=Scope(event_id), visibility=visibility)
    views = [contest_view(facts, c, visibility) for c in facts.contests]
    only = (
        None
        if of_contests is None
        else {
            t.kato
            for c in facts.contests
            if c.id in of_contests
            for t in (c.region, c.council)
            if t is not None
        }
    )
    members: dict[str, list[int]] = {}
    territory: dict[str, TerritoryView] = {}
    for i, c in enumerate(facts.contests):
        for t in (c.region, c.council):
            if t is not None and (only is None or t.kato in only):
                members.setdefault(t.kato, []).append(i)
                territory[t.kato] = t

    def view(area: TerritoryView | None, picked: list[int]) -> ResultsView:
        chosen: list[ContestFact] = [facts.contests[i] for i in picked]
        shown = [views[i] for i in picked]
        is_region = area is None or area.kind is TerritoryKind.REGION
        # A region's parts are its districts and towns: walk only its contests.
        scoped = replace(facts, contests=chosen) if area is not None and is_region else facts
        return ResultsView(
            event_id=EventId(event_id),
            event_name=facts.event_name,
            visibility=visibility,
            area=area,
            figures=figures(facts, chosen, shown),
            parts=area_parts(scoped, shown, area),
            contests=page(shown, 0 if is_region else MAX_LIMIT, 0),
        )

    return EventAreas(
        national=view(None, list(range(len(facts.contests)))),
        areas={kato: view(territory[kato], picked) for kato, picked in sorted(members.items())},
        contests=tuple(views),
        calendar=calendar_of(facts, views, visibility),
    )
