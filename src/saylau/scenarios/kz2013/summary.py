"""The national summary of an election event, as the CEC published it on 12 August 2013,
computed by queries over the stored records only (never from the scenario's own values)."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from fractions import Fraction

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.db.tables.election import (
    ContestRow,
    ElectionEventRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    ProtocolVoteRow,
    RoundRow,
    SittingContestRow,
    SittingRow,
)
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    DeputyRow,
    PostRow,
    TerritoryRow,
)
from saylau.scenarios.kz2013.reference import (
    ComparisonRow,
    Value,
    compare,
    compare_regions,
)
from saylau.scenarios.kz2013.sources import load_regions

_POST_KIND_KEYS = {
    "town_of_district_significance": "posts_towns",
    "rural_district": "posts_rural_districts",
    "settlement": "posts_settlements",
    "village": "posts_villages",
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

    def rows(self) -> list[ComparisonRow]:
        return compare(self.figures)

    def region_rows(self) -> list[ComparisonRow]:
        return compare_regions({r.code: r.figures() for r in self.regions})


@dataclass
class _Contest:
    region: str
    kind: str
    council_id: int
    status: str
    failure_reason: str | None
    decided_round: int | None
    elected: int | None
    day: dt.date | None  # of the sitting that voted; None before one is scheduled


@dataclass
class _Region:
    councils: set[int] = field(default_factory=set)
    deputies: int = 0
    posts: int = 0
    candidates: int = 0
    days: set[dt.date] = field(default_factory=set)
    elected: int = 0
    failed: int = 0
    failed_tie: int = 0
    repeat_voting: int = 0
    one_vote: int = 0
    women: int = 0
    incumbents: int = 0


def summarize(session: Session, event_id: int) -> NationalSummary:
    """Every figure of the press release, and a table by region, for one stored event."""
    event = session.get_one(ElectionEventRow, event_id)
    contests = _contests(session, event_id)
    regions_by_kato = {r.kato_prefix + "0000000": r.code for r in load_regions()}
    region_names = {
        kato: name
        for kato, name in session.execute(
            select(TerritoryRow.kato, TerritoryRow.name_en).where(TerritoryRow.parent_id.is_(None))
        )
    }
    per: dict[str, _Region] = defaultdict(_Region)
    for c in contests.values():
        r = per[c.region]
        r.posts += 1
        if c.day is not None:
            r.councils.add(c.council_id)
            r.days.add(c.day)
    deputies = _deputies(session, event_id)
    for r in per.values():
        r.deputies = sum(deputies.get(cid, 0) for cid in r.councils)

    nominations = _nominations(session, event_id)
    statuses: Counter[str] = Counter()
    refused: Counter[str] = Counter()
    for contest_id, status, reason, *_ in nominations.values():
        statuses[status] += 1
        if status == "registered":
            per[contests[contest_id].region].candidates += 1
        if status == "refused" and reason:
            refused[reason.split(":", 1)[0]] += 1

    rounds = _rounds_per_contest(session, event_id)
    margins = _winning_margins(session, event_id)
    failed: Counter[str] = Counter()
    women = incumbents = one_vote = 0
    ages: list[tuple[int, dt.date, str, str]] = []  # age, birth, region KATO, name
    for contest_id, c in contests.items():
        r = per[c.region]
        if rounds.get(contest_id, 0) > 1:
            r.repeat_voting += 1
        if c.status == "repeat_election":
            r.failed += 1
            failed[c.failure_reason or "unknown"] += 1
            r.failed_tie += c.failure_reason == "tie"
        if c.elected is None:
            continue
        r.elected += 1
        _cid, _status, _reason, sex, birth, incumbent, name = nominations[c.elected]
        if sex == "female":
            women += 1
            r.women += 1
        if incumbent:
            incumbents += 1
            r.incumbents += 1
        if margins.get(contest_id) == 1:
            one_vote += 1
            r.one_vote += 1
        if c.day is not None:
            ages.append((_age_on(birth, c.day), birth, c.region, name))

    elected = sum(r.elected for r in per.values())
    youngest = min(ages, key=lambda a: (a[0], -a[1].toordinal(), a[2])) if ages else None
    kinds = Counter(_POST_KIND_KEYS.get(c.kind, c.kind) for c in contests.values())
    posts = len(contests)
    all_councils = {cid for r in per.values() for cid in r.councils}
    figures: dict[str, Value] = {
        "posts": posts,
        **{key: kinds.get(key, 0) for key in _POST_KIND_KEYS.values()},
        "nominated": len(nominations),
        "candidates": statuses["registered"],
        "candidates_per_post": Fraction(statuses["registered"], posts) if posts else 0,
        "councils": len(all_councils),
        "deputies": sum(deputies.get(cid, 0) for cid in all_councils),
        "commission_staff": _commission_staff(session, all_councils),
        "regions": sum(1 for r in per.values() if r.councils),
        "elected": elected,
        "failed": sum(failed.values()),
        "failed_tie": failed.get("tie", 0),
        "one_vote_wins": one_vote,
        "women_elected": women,
        "women_elected_pct": Fraction(100 * women, elected) if elected else 0,
        "average_age": Fraction(sum(a[0] for a in ages), len(ages)) if ages else 0,
        "incumbents_reelected": incumbents,
    }
    if youngest is not None:
        figures["youngest_age"] = youngest[0]
        figures["youngest_region"] = regions_by_kato.get(youngest[2], youngest[2])
    return NationalSummary(
        event_id=event_id,
        event_name=event.name,
        figures=figures,
        failed_by_reason=dict(sorted(failed.items())),
        refused_by_reason=dict(sorted(refused.items())),
        withdrawn=statuses["withdrawn"],
        repeat_voting=sum(r.repeat_voting for r in per.values()),
        youngest_name=youngest[3] if youngest else "",
        regions=tuple(
            _region_summary(regions_by_kato.get(kato, kato), region_names.get(kato, kato), r)
            for kato, r in sorted(per.items(), key=lambda kv: regions_by_kato.get(kv[0], kv[0]))
        ),
    )


def _region_summary(code: str, name: str, r: _Region) -> RegionSummary:
    return RegionSummary(
        code=code,
        name=name,
        councils=len(r.councils),
        deputies=r.deputies,
        posts=r.posts,
        candidates=r.candidates,
        vote_dates=tuple(sorted(r.days)),
        elected=r.elected,
        failed=r.failed,
        failed_tie=r.failed_tie,
        repeat_voting=r.repeat_voting,
        one_vote_wins=r.one_vote,
        women_elected=r.women,
        incumbents_reelected=r.incumbents,
    )


def _age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def _contests(session: Session, event_id: int) -> dict[int, _Contest]:
    """Each contest with its post's kind, its council, its region's KATO and its voting day."""
    post_t = TerritoryRow.__table__.alias("post_t")
    council_t = TerritoryRow.__table__.alias("council_t")
    region_t = TerritoryRow.__table__.alias("region_t")
    rows = session.execute(
        select(
            ContestRow.id,
            region_t.c.kato,
            council_t.c.kato,
            post_t.c.kind,
            CouncilRow.id,
            ContestRow.status,
            ContestRow.failure_reason,
            ContestRow.decided_round,
            ContestRow.elected_nomination_id,
        )
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(post_t, post_t.c.id == PostRow.territory_id)
        .join(CouncilRow, CouncilRow.id == PostRow.council_id)
        .join(council_t, council_t.c.id == CouncilRow.territory_id)
        .outerjoin(region_t, region_t.c.id == council_t.c.parent_id)
        .where(ContestRow.event_id == event_id)
    )
    days = dict(
        session.execute(
            select(SittingContestRow.contest_id, SittingRow.day)
            .join(SittingRow, SittingRow.id == SittingContestRow.sitting_id)
            .where(SittingRow.event_id == event_id)
        ).all()
    )
    # A council of a region (no parent) counts in its own region.
    return {
        contest_id: _Contest(
            region or council_kato,
            kind,
            council,
            status,
            reason,
            decided,
            won,
            days.get(contest_id),
        )
        for contest_id, region, council_kato, kind, council, status, reason, decided, won in rows
    }


def _deputies(session: Session, event_id: int) -> dict[int, int]:
    """Deputies of each council in office on the day of its meeting of electors (the electors
    of 2013), each counted once."""
    rows = session.execute(
        select(DeputyRow.council_id, func.count(func.distinct(DeputyRow.id)))
        .join(SittingRow, SittingRow.council_id == DeputyRow.council_id)
        .where(
            SittingRow.event_id == event_id,
            DeputyRow.mandate_start <= SittingRow.day,
            DeputyRow.mandate_end.is_(None) | (DeputyRow.mandate_end >= SittingRow.day),
        )
        .group_by(DeputyRow.council_id)
    )
    return {cid: int(n) for cid, n in rows}


def _commission_staff(session: Session, council_ids: set[int]) -> int:
    """Staff of the district and town commissions of the councils that voted."""
    rows = session.execute(
        select(CouncilRow.id, func.count(CommissionMemberRow.id))
        .join(CommissionRow, CommissionRow.territory_id == CouncilRow.territory_id)
        .join(CommissionMemberRow, CommissionMemberRow.commission_id == CommissionRow.id)
        .where(CommissionRow.level == "district")
        .group_by(CouncilRow.id)
    )
    return sum(int(n) for cid, n in rows if cid in council_ids)


def _nominations(
    session: Session, event_id: int
) -> dict[int, tuple[int, str, str | None, str, dt.date, bool, str]]:
    """nomination id -> (contest, status, refusal reason, sex, birth date, incumbent, name)."""
    rows = session.execute(
        select(
            NominationRow.id,
            NominationRow.contest_id,
            NominationRow.status,
            NominationRow.refusal_reason,
            PersonRow.sex,
            PersonRow.birth_date,
            NominationRow.is_incumbent,
            PersonRow.full_name,
        )
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
        .where(NominationRow.event_id == event_id)
    )
    return {row[0]: row[1:] for row in rows}


def _rounds_per_contest(session: Session, event_id: int) -> dict[int, int]:
    rows = session.execute(
        select(RoundRow.contest_id, func.max(RoundRow.round_no))
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .where(ContestRow.event_id == event_id, RoundRow.status != "cancelled")
        .group_by(RoundRow.contest_id)
    )
    return {cid: int(n) for cid, n in rows}


def _winning_margins(session: Session, event_id: int) -> dict[int, int]:
    """Winner's votes minus the runner-up's, in the accepted protocol of the deciding round."""
    rows = session.execute(
        select(ContestRow.id, ContestRow.elected_nomination_id, ProtocolVoteRow.nomination_id)
        .add_columns(ProtocolVoteRow.votes)
        .join(
            RoundRow,
            (RoundRow.contest_id == ContestRow.id)
            & (RoundRow.round_no == ContestRow.decided_round),
        )
        .join(ProtocolRow, ProtocolRow.round_id == RoundRow.id)
        .join(ProtocolVoteRow, ProtocolVoteRow.protocol_id == ProtocolRow.id)
        .where(
            ContestRow.event_id == event_id,
            ContestRow.elected_nomination_id.is_not(None),
            ProtocolRow.status == "accepted",
        )
    )
    winner: dict[int, int] = {}
    best_other: dict[int, int] = defaultdict(int)
    for contest_id, elected, nomination_id, votes in rows:
        if nomination_id == elected:
            winner[contest_id] = votes
        else:
            best_other[contest_id] = max(best_other[contest_id], votes)
    return {cid: v - best_other[cid] for cid, v in winner.items()}
