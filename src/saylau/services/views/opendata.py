"""The open-data read model: an election event's record as a whole, as the visibility allows —
every contest with its candidates and the votes of every visible round, the repeat elections
that followed (each in its repeat event), the councils that elected and the appeals — for the
NIST and CSV exports (docs/open-data.md).

An event is read with its repeat events, and a repeat event with the event it repeats: the
record of a cycle is one. The statements are a fixed number per event of the cycle (its facts,
its repeat elections, its appeals and councils), whatever the number of contests.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.appeals import RepeatElectionRow
from saylau.db.tables.election import ContestRow
from saylau.db.tables.structure import CouncilRow, PostRow
from saylau.domain.appeals import (
    AppealId,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    RepeatReason,
)
from saylau.domain.election import ContestId, EventId
from saylau.domain.structure import CouncilId
from saylau.rules.model import RuleSet
from saylau.services.appeals import list_appeals
from saylau.services.events import rule_set_of
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.facts import Facts, Scope, load_facts
from saylau.services.views.results import contest_view, detail, figures
from saylau.services.views.values import (
    ContestDetailView,
    FiguresView,
    TerritoryView,
    Visibility,
)


@dataclass(frozen=True)
class RepeatLinkView:
    """A repeat election: the failed contest, the contest called for the post, and why."""

    failed_contest_id: ContestId
    failed_event_id: EventId
    contest_id: ContestId
    event_id: EventId
    reason: RepeatReason
    failed_on: date
    voting_day: date


@dataclass(frozen=True)
class CouncilRecordView:
    """A council that elects in one event of the cycle, with the figures of its contests."""

    id: CouncilId
    event_id: EventId
    territory: TerritoryView
    region: TerritoryView | None
    num_seats: int
    figures: FiguresView


@dataclass(frozen=True)
class ElectionRecordView:
    """One event of the cycle: its rules and calendar, and its contests by post KATO."""

    event_id: EventId
    name: str
    created_at: datetime
    rule_set: RuleSet
    nomination_opens: date
    nomination_closes: date
    registration_deadline: date
    repeats: EventId | None  # the event whose failed contests this one's contests repeat
    contests: tuple[ContestDetailView, ...]


@dataclass(frozen=True)
class AppealRecordView:
    """An appeal as open data publishes it: what was appealed, to whom, when, the outcome and
    its effect. The appellant's name, the grounds and the reasons are not published here."""

    id: AppealId
    event_id: EventId
    contest_id: ContestId | None
    subject: AppealSubject
    object_id: int  # a nomination, sitting or protocol, as `subject` says
    filed_on: date
    authority_kind: AuthorityKind
    authority: str
    voting_day: date
    deadline: date
    is_at_once: bool
    outcome: AppealOutcome | None
    decided_on: date | None
    effect: str | None


@dataclass(frozen=True)
class OpenDataView:
    event_id: EventId  # the event the cycle began with
    visibility: Visibility
    elections: tuple[ElectionRecordView, ...]  # that event first, then its repeat events
    repeat_elections: tuple[RepeatLinkView, ...]  # by failed contest id
    councils: tuple[CouncilRecordView, ...]  # by event, then KATO
    appeals: tuple[AppealRecordView, ...]  # by id


def open_data_view(*, session: Session, event_id: EventId, visibility: Visibility) -> OpenDataView:
    """The record of the cycle of `event_id` (the event it repeats, if it is a repeat event)."""
    root = _first_event(session, event_id)
    elections: list[ElectionRecordView] = []
    links: list[RepeatLinkView] = []
    councils: list[CouncilRecordView] = []
    appeals: list[AppealRecordView] = []
    queue: list[tuple[EventId, EventId | None, set[ContestId] | None]] = [(root, None, None)]
    while queue:
        current, parent, shown = queue.pop(0)
        facts = load_facts(
            session=session, scope=Scope(current), visibility=visibility, every_round=True
        )
        if shown is not None:
            # A repeat election is shown once the public may know of it (views.appeals).
            facts.contests = [c for c in facts.contests if c.id in shown]
        elections.append(_election(facts, parent, visibility))
        councils.extend(_councils(session, facts, visibility))
        appeals.extend(_appeals(session, current))
        repeats = aftermath_view(session=session, event_id=current, visibility=visibility)
        by_event: dict[EventId, set[ContestId]] = defaultdict(set)
        for r in repeats.repeat_elections:
            links.append(
                RepeatLinkView(
                    failed_contest_id=ContestId(r.failed_contest_id),
                    failed_event_id=current,
                    contest_id=ContestId(r.contest_id),
                    event_id=EventId(r.event_id),
                    reason=r.reason,
                    failed_on=r.failed_on,
                    voting_day=r.voting_day,
                )
            )
            by_event[EventId(r.event_id)].add(ContestId(r.contest_id))
        queue.extend((e, current, by_event[e]) for e in sorted(by_event))
    return OpenDataView(
        event_id=root,
        visibility=visibility,
        elections=tuple(elections),
        repeat_elections=tuple(sorted(links, key=lambda r: r.failed_contest_id)),
        councils=tuple(councils),
        appeals=tuple(sorted(appeals, key=lambda a: a.id)),
    )


def _first_event(session: Session, event_id: EventId) -> EventId:
    """The event a cycle began with: up from a repeat event to the event it repeats."""
    current, seen = event_id, {event_id}
    while True:
        parent = session.scalar(
            select(ContestRow.event_id)
            .join(RepeatElectionRow, RepeatElectionRow.failed_contest_id == ContestRow.id)
            .where(RepeatElectionRow.event_id == current)
            .limit(1)
        )
        if parent is None or parent in seen:
            return current
        current = EventId(parent)
        seen.add(current)


def _election(facts: Facts, parent: EventId | None, visibility: Visibility) -> ElectionRecordView:
    row = facts.event_row
    return ElectionRecordView(
        event_id=facts.event_id,
        name=facts.event_name,
        created_at=row.created_at,
        rule_set=rule_set_of(row),
        nomination_opens=row.nomination_opens,
        nomination_closes=row.nomination_closes,
        registration_deadline=row.registration_deadline,
        repeats=parent,
        contests=tuple(detail(facts, c, visibility) for c in facts.contests),
    )


def _councils(session: Session, facts: Facts, visibility: Visibility) -> list[CouncilRecordView]:
    """The councils electing the contests of `facts`, by KATO, each with its figures."""
    electing = (
        select(PostRow.council_id)
        .join(ContestRow, ContestRow.post_id == PostRow.id)
        .where(ContestRow.event_id == facts.event_id)
        .scalar_subquery()
    )
    seats: dict[int, int] = {
        council_id: n
        for council_id, n in session.execute(
            select(CouncilRow.id, CouncilRow.num_seats).where(CouncilRow.id.in_(electing))
        )
    }
    by_council: dict[int, list[int]] = defaultdict(list)
    for i, c in enumerate(facts.contests):
        by_council[c.council_id].append(i)
    views = [contest_view(facts, c, visibility) for c in facts.contests]
    found = []
    for council_id, indexes in by_council.items():
        first = facts.contests[indexes[0]]
        found.append(
            CouncilRecordView(
                id=CouncilId(council_id),
                event_id=facts.event_id,
                territory=first.council,
                region=first.region if first.region != first.council else None,
                num_seats=seats[council_id],
                figures=figures(
                    facts, [facts.contests[i] for i in indexes], [views[i] for i in indexes]
                ),
            )
        )
    return sorted(found, key=lambda c: c.territory.kato)


def _appeals(session: Session, event_id: EventId) -> list[AppealRecordView]:
    return [
        AppealRecordView(
            id=a.id,
            event_id=a.event_id,
            contest_id=a.contest_id,
            subject=a.subject,
            object_id=a.object_id,
            filed_on=a.filed_on,
            authority_kind=a.authority_kind,
            authority=a.authority,
            voting_day=a.voting_day,
            deadline=a.deadline,
            is_at_once=a.is_at_once,
            outcome=a.outcome,
            decided_on=a.decided_on,
            effect=a.effect,
        )
        for a in list_appeals(session=session, event_id=event_id)
    ]
