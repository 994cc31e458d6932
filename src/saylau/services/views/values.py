"""The values the read models return: frozen `…View` dataclasses with typed ids, full kk/ru/en
names and the typed `Decision` (encoded one way, services.views.encode)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from fractions import Fraction
from typing import Generic, TypeVar

from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    ContestStatus,
    EventId,
    NominationId,
    PersonId,
    ProtocolId,
)
from saylau.domain.structure import Kato, Names, TerritoryId, TerritoryKind
from saylau.rules.decide import Decision, FailureReason

T = TypeVar("T")


class Visibility(StrEnum):
    """Who reads: `public` sees a result only once its protocol is published; `staff` sees
    every accepted protocol, signed or not."""

    PUBLIC = "public"
    STAFF = "staff"


@dataclass(frozen=True)
class Page(Generic[T]):
    """One page of a list: `items` are rows `offset`…`offset + limit - 1` of `total`."""

    items: tuple[T, ...]
    total: int
    limit: int
    offset: int


@dataclass(frozen=True)
class TerritoryView:
    id: TerritoryId
    kato: Kato
    kind: TerritoryKind
    names: Names


@dataclass(frozen=True)
class ProtocolStatusView:
    """The accepted protocol a result stands on: who signed it, when it was published."""

    id: ProtocolId
    round_no: int
    version: int
    num_versions: int  # of the round: rejected drafts and superseded versions included
    signed_by: str | None
    signed_at: datetime | None
    published_at: datetime | None


@dataclass(frozen=True)
class ElectedView:
    nomination_id: NominationId
    person_id: PersonId
    full_name: str
    sex: str
    birth_date: date
    age: int | None  # full years on the day of the deciding sitting
    is_incumbent: bool


@dataclass(frozen=True)
class ContestView:
    """A contest and its result as the visibility allows: a result whose protocol is not
    published reads, in public, as `pending` with no decision."""

    id: ContestId
    post: TerritoryView
    council: TerritoryView  # the territory of the council that elects
    region: TerritoryView | None
    status: ContestStatus
    failure_reason: FailureReason | None
    decision: Decision | None  # of the deciding round (elected, failed, lot required)
    elected: ElectedView | None
    num_candidates: int  # registered
    num_rounds: int  # rounds with a visible accepted protocol
    margin: int | None  # the winner's votes minus the runner-up's
    vote_day: date | None
    protocol: ProtocolStatusView | None


@dataclass(frozen=True)
class FiguresView:
    """Every figure of one area (the country, a region, a district or town)."""

    posts: int
    posts_by_kind: Mapping[TerritoryKind, int]
    nominated: int
    candidates: int  # registered
    women_candidates: int
    withdrawn: int
    refused: int
    refusal_reasons: Mapping[str, int]  # by the reason as recorded
    councils: int  # councils holding a meeting of electors in the event
    deputies: int  # their deputies in office on the day of the meeting, each counted once
    commission_staff: int  # members of those councils' district and town commissions
    vote_dates: tuple[date, ...]
    elected: int
    failed: int
    failed_by_reason: Mapping[FailureReason, int]
    lot_required: int
    pending: int  # neither elected nor failed (in public: no published result yet)
    repeat_voting: int  # contests that went to a round 2
    ties_broken: int  # elected after a tie, by lot or by the rule set's tie rule
    one_vote_wins: int
    margins: Mapping[int, int]  # winning margin -> contests
    women_elected: int
    incumbents_reelected: int
    average_age: Fraction | None  # of the elected, exact
    youngest: ContestView | None  # the contest of the youngest elected
    oldest_age: int | None
    signed: int  # results whose protocol is signed
    published: int  # results whose protocol is published


@dataclass(frozen=True)
class AreaView:
    territory: TerritoryView
    figures: FiguresView


@dataclass(frozen=True)
class ResultsView:
    """The results of an event in one area: its figures, its parts (the regions of the
    country, the districts and towns of a region) and its contests, one page of them."""

    event_id: EventId
    event_name: str
    visibility: Visibility
    area: TerritoryView | None  # None: the whole country
    figures: FiguresView
    parts: tuple[AreaView, ...]
    contests: Page[ContestView]


@dataclass(frozen=True)
class RoundResultView:
    round_no: int
    decision: Decision | None
    votes: tuple[tuple[NominationId, str, int], ...]  # most votes first
    counts: Mapping[str, int]
    protocol: ProtocolStatusView


@dataclass(frozen=True)
class CandidateListingView:
    nomination_id: NominationId
    person_id: PersonId
    full_name: str
    sex: str
    birth_date: date
    is_incumbent: bool
    status: CandidateStatus
    contest_id: ContestId
    post: TerritoryView
    council: TerritoryView
    is_elected: bool  # as the visibility allows


@dataclass(frozen=True)
class ContestDetailView:
    """One contest with its candidates and every visible round's votes."""

    contest: ContestView
    candidates: tuple[CandidateListingView, ...]
    rounds: tuple[RoundResultView, ...]


@dataclass(frozen=True)
class CalendarDayView:
    """One voting day: what was due, and how far it has come."""

    day: date
    regions: tuple[TerritoryView, ...]
    councils: int
    contests: int
    elected: int
    failed: int
    lot_required: int
    pending: int
    published: int


@dataclass(frozen=True)
class CalendarView:
    event_id: EventId
    visibility: Visibility
    nomination_opens: date
    nomination_closes: date
    registration_deadline: date
    days: tuple[CalendarDayView, ...]
    unscheduled: int  # contests with no voting day yet
