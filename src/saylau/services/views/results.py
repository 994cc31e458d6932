"""Results by event, region, district or town, council and contest, with the figures a press
release gives: posts, candidates, women, ages, margins, incumbents, repeat voting, ties and the
status of the protocols (docs/results.md)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from fractions import Fraction
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.structure import CouncilRow, TerritoryRow
from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    ContestStatus,
    EventId,
    NominationId,
    PersonId,
)
from saylau.domain.structure import Kato, Names, TerritoryId, TerritoryKind
from saylau.rules.decide import DecisionKind, FailureReason
from saylau.rules.eligibility import age_on
from saylau.services.errors import InvalidInput, NotFound
from saylau.services.views.facts import ContestFact, Facts, NominationFact, Scope, load_facts
from saylau.services.views.values import (
    AreaView,
    CandidateListingView,
    ContestDetailView,
    ContestView,
    ElectedView,
    FiguresView,
    Page,
    ResultsView,
    RoundResultView,
    TerritoryView,
    Visibility,
)

T = TypeVar("T")

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000


def results_view(
    *,
    session: Session,
    event_id: EventId,
    visibility: Visibility,
    area: str | None = None,
    limit: int = DEFAULT_LIMIT,
    offset: int = 0,
) -> ResultsView:
    """The results of an event in the country (`area` None), a region or a district or town
    (`area` its KATO): figures, the parts of the area, and one page of its contests by KATO."""
    check_page(limit, offset)
    territory = None if area is None else find_area(session=session, kato=area)
    facts = load_facts(
        session=session, scope=Scope(event_id, area_kato=area), visibility=visibility
    )
    contests = [contest_view(facts, c, visibility) for c in facts.contests]
    return ResultsView(
        event_id=EventId(event_id),
        event_name=facts.event_name,
        visibility=visibility,
        area=territory,
        figures=figures(facts, facts.contests, contests),
        parts=area_parts(facts, contests, territory),
        contests=page(contests, limit, offset),
    )


def contest_detail(
    *, session: Session, event_id: EventId, contest_id: ContestId, visibility: Visibility
) -> ContestDetailView:
    """One contest: its result, its candidates, and the votes of each visible round."""
    facts = load_facts(
        session=session, scope=Scope(event_id, contest_id=contest_id), visibility=visibility
    )
    if not facts.contests:
        raise NotFound.one(
            "unknown_contest",
            f"no contest {contest_id} in event {event_id}",
            where="contest",
            contest=contest_id,
            event=event_id,
        )
    (fact,) = facts.contests
    return detail(facts, fact, visibility)


def contest_details(
    *, session: Session, event_id: EventId, visibility: Visibility
) -> list[ContestDetailView]:
    """Every contest of an event in detail, by the post's KATO: the same statements as one
    contest (the static export renders them all)."""
    facts = load_facts(session=session, scope=Scope(event_id), visibility=visibility)
    return [detail(facts, fact, visibility) for fact in facts.contests]


def detail(facts: Facts, fact: ContestFact, visibility: Visibility) -> ContestDetailView:
    """A contest of `facts` with its candidates and the votes of each visible round (the
    facts read with the votes of every round)."""
    view = contest_view(facts, fact, visibility)
    nominations = facts.by_contest.get(fact.id, [])
    names = {n.id: n.full_name for n in nominations}
    winner = view.elected.nomination_id if view.elected else None
    return ContestDetailView(
        contest=view,
        candidates=tuple(listing(n, fact, is_elected=n.id == winner) for n in nominations),
        rounds=tuple(
            RoundResultView(
                round_no=r.round_no,
                decision=r.decision,
                votes=tuple(
                    (NominationId(nid), names.get(NominationId(nid), ""), v)
                    for nid, v in sorted(
                        facts.votes.get(r.protocol.id, []), key=lambda nv: (-nv[1], nv[0])
                    )
                ),
                counts=r.counts,
                protocol=r.protocol,
            )
            for r in fact.rounds
        ),
    )


# --- pages and areas -----------------------------------------------------------------------


def check_page(limit: int, offset: int) -> None:
    if not 0 <= limit <= MAX_LIMIT:
        raise InvalidInput.one(
            "bad_limit", f"limit: {limit} is outside 0…{MAX_LIMIT}", where="limit", limit=limit
        )
    if offset < 0:
        raise InvalidInput.one(
            "bad_offset", f"offset: {offset} is below 0", where="offset", offset=offset
        )


def page(items: Sequence[T], limit: int, offset: int) -> Page[T]:
    return Page(tuple(items[offset : offset + limit]), len(items), limit, offset)


def find_area(*, session: Session, kato: str) -> TerritoryView:
    """A region, or a district or town with a council, by KATO."""
    row = session.execute(
        select(TerritoryRow).where(TerritoryRow.kato == kato)
    ).scalar_one_or_none()
    if row is None:
        raise NotFound.one(
            "unknown_kato", f"no territory with KATO {kato}", where="kato", kato=kato
        )
    kind = TerritoryKind(row.kind)
    has_council = session.scalar(select(CouncilRow.id).where(CouncilRow.territory_id == row.id))
    if kind is not TerritoryKind.REGION and has_council is None:
        raise InvalidInput.one(
            "no_council",
            f"KATO {kato} is a {kind.value} without a council: give a region, or a district or"
            " town whose council elects akims",
            where="kato",
            kato=kato,
        )
    return TerritoryView(
        TerritoryId(row.id), Kato(row.kato), kind, Names(row.name_kk, row.name_ru, row.name_en)
    )


def area_parts(
    facts: Facts, contests: Sequence[ContestView], area: TerritoryView | None
) -> tuple[AreaView, ...]:
    """The regions of the country, or the districts and towns of a region; none below."""
    if area is not None and area.kind is not TerritoryKind.REGION:
        return ()
    by_part: dict[TerritoryId, list[int]] = {}
    territory: dict[TerritoryId, TerritoryView] = {}
    for i, c in enumerate(facts.contests):
        part = c.council if area is not None else (c.region or c.council)
        by_part.setdefault(part.id, []).append(i)
        territory[part.id] = part
    ordered = sorted(by_part, key=lambda t: territory[t].kato)
    return tuple(
        AreaView(
            territory[t],
            figures(
                facts, [facts.contests[i] for i in by_part[t]], [contests[i] for i in by_part[t]]
            ),
        )
        for t in ordered
    )


# --- one contest ---------------------------------------------------------------------------


def contest_view(facts: Facts, c: ContestFact, visibility: Visibility) -> ContestView:
    deciding = c.deciding
    if deciding is not None:
        status = c.status
    elif visibility is Visibility.STAFF and c.status is ContestStatus.PENDING:
        status = ContestStatus.PENDING
    else:
        # Staff: a round is open or decided only to a repeat voting. Public: the same once a
        # round's protocol is published; before, nothing is known.
        is_known = visibility is Visibility.STAFF or bool(c.rounds)
        status = ContestStatus.VOTING if is_known else ContestStatus.PENDING
    elected = None
    margin = None
    day = c.sitting_day or c.voting_day
    if deciding is not None and status is ContestStatus.ELECTED and c.elected_id is not None:
        n = facts.nominations[c.elected_id]
        elected = ElectedView(
            nomination_id=NominationId(n.id),
            person_id=PersonId(n.person_id),
            full_name=n.full_name,
            sex=n.sex,
            birth_date=n.birth_date,
            age=age_on(n.birth_date, day) if day else None,
            is_incumbent=n.is_incumbent,
        )
        margin = _margin(facts.votes.get(deciding.protocol.id, []), c.elected_id)
    reason = c.failure_reason if status is ContestStatus.REPEAT_ELECTION else None
    return ContestView(
        id=ContestId(c.id),
        post=c.post,
        council=c.council,
        region=c.region,
        status=status,
        failure_reason=FailureReason(reason) if reason else None,
        decision=deciding.decision if deciding else None,
        elected=elected,
        num_candidates=facts.registered.get(c.id, 0),
        num_rounds=len(c.rounds),
        margin=margin,
        vote_day=day,
        protocol=deciding.protocol if deciding else None,
    )


def _margin(votes: Iterable[tuple[int, int]], elected: int) -> int | None:
    """The winner's votes minus the best of the others (all of them when no other stood)."""
    mine, best_other = None, 0
    for nid, v in votes:
        if nid == elected:
            mine = v
        else:
            best_other = max(best_other, v)
    return None if mine is None else mine - best_other


def listing(n: NominationFact, c: ContestFact, *, is_elected: bool) -> CandidateListingView:
    return CandidateListingView(
        nomination_id=NominationId(n.id),
        person_id=PersonId(n.person_id),
        full_name=n.full_name,
        sex=n.sex,
        birth_date=n.birth_date,
        is_incumbent=n.is_incumbent,
        status=n.status,
        contest_id=ContestId(c.id),
        post=c.post,
        council=c.council,
        is_elected=is_elected,
    )


# --- figures -------------------------------------------------------------------------------


def figures(
    facts: Facts, contests: Sequence[ContestFact], views: Sequence[ContestView]
) -> FiguresView:
    """The figures of the contests given (`views` are the same contests, visibility applied)."""
    nominations = [n for c in contests for n in facts.by_contest.get(c.id, ())]
    statuses = Counter(n.status for n in nominations)
    councils = {c.council_id for c in contests if c.council_id in facts.council_days}
    elected = [v for v in views if v.elected is not None]
    ages = [v.elected.age for v in elected if v.elected and v.elected.age is not None]
    failed = Counter(v.failure_reason for v in views if v.status is ContestStatus.REPEAT_ELECTION)
    margins = Counter(v.margin for v in elected if v.margin is not None)
    youngest = min(
        (v for v in elected if v.elected and v.elected.age is not None),
        key=_youngest_first,
        default=None,
    )
    results = [v for v in views if v.protocol is not None]
    return FiguresView(
        posts=len(contests),
        posts_by_kind=dict(sorted(Counter(c.post.kind for c in contests).items())),
        nominated=len(nominations),
        candidates=statuses[CandidateStatus.REGISTERED],
        women_candidates=sum(
            1 for n in nominations if n.status is CandidateStatus.REGISTERED and n.sex == "female"
        ),
        withdrawn=statuses[CandidateStatus.WITHDRAWN],
        refused=statuses[CandidateStatus.REFUSED],
        refusal_reasons=dict(
            sorted(
                Counter(
                    n.refusal_reason or ""
                    for n in nominations
                    if n.status is CandidateStatus.REFUSED
                ).items()
            )
        ),
        councils=len(councils),
        deputies=sum(facts.deputies.get(cid, 0) for cid in councils),
        commission_staff=sum(facts.staff.get(cid, 0) for cid in councils),
        vote_dates=tuple(sorted({c.sitting_day for c in contests if c.sitting_day})),
        elected=len(elected),
        failed=sum(failed.values()),
        failed_by_reason={r: n for r, n in sorted(failed.items(), key=str) if r is not None},
        lot_required=sum(1 for v in views if v.status is ContestStatus.LOT_REQUIRED),
        pending=sum(1 for v in views if v.status in (ContestStatus.PENDING, ContestStatus.VOTING)),
        repeat_voting=sum(
            1
            for c in contests
            if any(r.decision and r.decision.kind is DecisionKind.NEXT_ROUND for r in c.rounds)
        ),
        ties_broken=sum(1 for v in elected if v.decision and v.decision.tied),
        one_vote_wins=margins.get(1, 0),
        margins=dict(sorted(margins.items())),
        women_elected=sum(1 for v in elected if v.elected and v.elected.sex == "female"),
        incumbents_reelected=sum(1 for v in elected if v.elected and v.elected.is_incumbent),
        average_age=Fraction(sum(ages), len(ages)) if ages else None,
        youngest=youngest,
        oldest_age=max(ages) if ages else None,
        signed=sum(1 for v in results if v.protocol and v.protocol.signed_at),
        published=sum(1 for v in results if v.protocol and v.protocol.published_at),
    )


def _youngest_first(v: ContestView) -> tuple[int, int, str]:
    """The lowest age; then the latest birth date; then the lowest region KATO."""
    assert v.elected is not None and v.elected.age is not None
    return (v.elected.age, -v.elected.birth_date.toordinal(), v.region.kato if v.region else "")
