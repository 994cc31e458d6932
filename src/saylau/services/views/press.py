"""What the CEC's press release says about an event, from the read models (docs/documents.md):
the figures of the country and of each region, the ages of the elected, the calendar with its
progress, and the aftermath (appeals, repeat elections). Public by default: the press release
reports published results only."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from saylau.domain.election import CandidateStatus, ContestStatus, EventId
from saylau.domain.structure import TerritoryId
from saylau.services.views.appeals import AftermathView, aftermath_view
from saylau.services.views.calendar import calendar_view
from saylau.services.views.facts import ContestFact, Facts, Scope, load_facts
from saylau.services.views.results import contest_view, figures
from saylau.services.views.values import (
    AreaView,
    CalendarView,
    ContestView,
    FiguresView,
    TerritoryView,
    Visibility,
)


@dataclass(frozen=True)
class PressReleaseView:
    event_id: EventId
    event_name: str
    visibility: Visibility
    figures: FiguresView
    regions: tuple[AreaView, ...]  # by KATO; a council with no region counts as its own
    elected_ages: Mapping[int, int]  # age on the day of the vote -> akims elected
    incumbent_candidates: int  # registered candidates who held the post
    calendar: CalendarView
    aftermath: AftermathView
    last_vote_day: date | None  # the latest day a visible result was voted on


def press_release_view(
    *,
    session: Session,
    event_id: EventId,
    visibility: Visibility = Visibility.PUBLIC,
    on: date | None = None,
) -> PressReleaseView:
    """Everything the press release reports on `event_id`; appeals overdue on `on`."""
    facts = load_facts(session=session, scope=Scope(event_id), visibility=visibility)
    views = [contest_view(facts, c, visibility) for c in facts.contests]
    by_region: dict[TerritoryId, list[int]] = {}
    region_of: dict[TerritoryId, TerritoryView] = {}
    for i, c in enumerate(facts.contests):
        region = c.region or c.council
        by_region.setdefault(region.id, []).append(i)
        region_of[region.id] = region
    regions = tuple(
        AreaView(region_of[r], _figures(facts.contests, views, by_region[r], facts))
        for r in sorted(by_region, key=lambda r: region_of[r].kato)
    )
    ages = Counter(v.elected.age for v in views if v.elected and v.elected.age is not None)
    decided = [
        v.vote_day
        for v in views
        if v.vote_day and v.status in (ContestStatus.ELECTED, ContestStatus.REPEAT_ELECTION)
    ]
    return PressReleaseView(
        event_id=EventId(event_id),
        event_name=facts.event_name,
        visibility=visibility,
        figures=figures(facts, facts.contests, views),
        regions=regions,
        elected_ages=dict(sorted(ages.items())),
        incumbent_candidates=sum(
            1
            for n in facts.nominations.values()
            if n.is_incumbent and n.status is CandidateStatus.REGISTERED
        ),
        calendar=calendar_view(session=session, event_id=event_id, visibility=visibility),
        aftermath=aftermath_view(session=session, event_id=event_id, visibility=visibility, on=on),
        last_vote_day=max(decided, default=None),
    )


def _figures(
    contests: list[ContestFact], views: list[ContestView], picked: list[int], facts: Facts
) -> FiguresView:
    return figures(facts, [contests[i] for i in picked], [views[i] for i in picked])
