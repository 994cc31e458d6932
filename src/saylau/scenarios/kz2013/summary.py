"""The national summary of an election event, as the CEC published it on 12 August 2013: the
public read model of the stored records (saylau.services.views), beside the 2013 figures."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy.orm import Session

from saylau.domain.election import EventId
from saylau.domain.structure import TerritoryKind
from saylau.rules.decide import FailureReason
from saylau.scenarios.kz2013.reference import (
    ComparisonRow,
    Value,
    compare,
    compare_regions,
)
from saylau.scenarios.kz2013.sources import load_regions
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.results import results_view
from saylau.services.views.values import AreaView, FiguresView, Visibility

_POST_KIND_KEYS = {
    TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE: "posts_towns",
    TerritoryKind.RURAL_DISTRICT: "posts_rural_districts",
    TerritoryKind.SETTLEMENT: "posts_settlements",
    TerritoryKind.VILLAGE: "posts_villages",
}


@dataclass(frozen=True)
class RegionSummary:
    code: str  # ISO 3166-2 code of 2013, e.g. "KZ-PAV"
    name: str
    councils: int
    deputies: int
    posts: int
    candidates: int
    vote_dates: tuple[dt.date, ...]
    elected: int
    failed: int
    failed_tie: int
    repeat_voting: int
    one_vote_wins: int
    women_elected: int
    incumbents_reelected: int

    def figures(self) -> dict[str, Value]:
        """Keyed like reference.REGIONAL."""
        return {
            "posts": self.posts,
            "candidates": self.candidates,
            "deputies": self.deputies,
            "vote_dates": ";".join(d.isoformat() for d in self.vote_dates),
            "failed_tie": self.failed_tie,
        }


@dataclass(frozen=True)
class NationalSummary:
    event_id: int
    event_name: str
    figures: Mapping[str, Value]  # keyed like reference.NATIONAL
    failed_by_reason: Mapping[str, int]
    refused_by_reason: Mapping[str, int]
    withdrawn: int
    repeat_voting: int  # contests that needed a second round
    youngest_name: str
    regions: tuple[RegionSummary, ...] = field(default=())
    # What followed the August votes (services.views.appeals): the repeat elections, the
    # posts filled in August and after them, and the appeals by outcome.
    repeat_voting_days: tuple[dt.date, ...] = ()
    filled_in_august: int = 0
    filled_after_repeat: int = 0
    appeals: Mapping[str, int] = field(default_factory=dict)

    def rows(self) -> list[ComparisonRow]:
        return compare(self.figures)

    def region_rows(self) -> list[ComparisonRow]:
        return compare_regions({r.code: r.figures() for r in self.regions})


def summarize(session: Session, event_id: EventId) -> NationalSummary:
    """Every figure of the press release, and a table by region, for one stored event, from
    its public read model (published results only)."""
    view = results_view(session=session, event_id=event_id, visibility=Visibility.PUBLIC, limit=0)
    after = aftermath_view(session=session, event_id=event_id, visibility=Visibility.PUBLIC)
    f = view.figures
    iso = {r.kato_prefix + "0000000": r.code for r in load_regions()}
    youngest = f.youngest
    figures: dict[str, Value] = {
        "posts": f.posts,
        **{key: f.posts_by_kind.get(kind, 0) for kind, key in _POST_KIND_KEYS.items()},
        "nominated": f.nominated,
        "candidates": f.candidates,
        "candidates_per_post": Fraction(f.candidates, f.posts) if f.posts else 0,
        "councils": f.councils,
        "deputies": f.deputies,
        "commission_staff": f.commission_staff,
        "regions": sum(1 for part in view.parts if part.figures.councils),
        "elected": f.elected,
        "failed": f.failed,
        "failed_tie": f.failed_by_reason.get(FailureReason.TIE, 0),
        "one_vote_wins": f.one_vote_wins,
        "women_elected": f.women_elected,
        "women_elected_pct": Fraction(100 * f.women_elected, f.elected) if f.elected else 0,
        "average_age": f.average_age if f.average_age is not None else 0,
        "incumbents_reelected": f.incumbents_reelected,
        "repeat_elections": len(after.repeat_elections),
        "appeals": after.appeals.filed,
    }
    if youngest is not None and youngest.elected is not None and youngest.elected.age is not None:
        figures["youngest_age"] = youngest.elected.age
        region = youngest.region.kato if youngest.region else youngest.council.kato
        figures["youngest_region"] = iso.get(region, region)
    refused: Counter[str] = Counter()
    for reason, n in f.refusal_reasons.items():
        if reason:  # the demo stores "<code>: <text>"
            refused[reason.split(":", 1)[0]] += n
    return NationalSummary(
        event_id=event_id,
        event_name=view.event_name,
        figures=figures,
        failed_by_reason={str(r): n for r, n in sorted(f.failed_by_reason.items())},
        refused_by_reason=dict(sorted(refused.items())),
        withdrawn=f.withdrawn,
        repeat_voting=f.repeat_voting,
        youngest_name=youngest.elected.full_name if youngest and youngest.elected else "",
        repeat_voting_days=tuple(sorted({r.voting_day for r in after.repeat_elections})),
        filled_in_august=f.elected,
        filled_after_repeat=f.elected + after.filled_by_repeat,
        appeals={
            "filed": after.appeals.filed,
            **{o.value: n for o, n in after.appeals.decided.items()},
            "pending": after.appeals.pending,
        },
        regions=tuple(
            sorted(
                (
                    _region_summary(iso.get(p.territory.kato, p.territory.kato), p)
                    for p in view.parts
                ),
                key=lambda r: r.code,
            )
        ),
    )


def _region_summary(code: str, part: AreaView) -> RegionSummary:
    f: FiguresView = part.figures
    return RegionSummary(
        code=code,
        name=part.territory.names.en,
        councils=f.councils,
        deputies=f.deputies,
        posts=f.posts,
        candidates=f.candidates,
        vote_dates=f.vote_dates,
        elected=f.elected,
        failed=f.failed,
        failed_tie=f.failed_by_reason.get(FailureReason.TIE, 0),
        repeat_voting=f.repeat_voting,
        one_vote_wins=f.one_vote_wins,
        women_elected=f.women_elected,
        incumbents_reelected=f.incumbents_reelected,
    )
