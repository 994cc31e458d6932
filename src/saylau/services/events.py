"""Election events: the rule set, calendar, voting days and the contests (one per post).

Also the lookups the rest of the election flow shares: an event's rule set and eligibility,
and the voting day of each contest (its district's own day, else its region's).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from saylau.db.bulk import insert_ids, select_in
from saylau.db.tables.appeals import RepeatElectionRow
from saylau.db.tables.election import ContestRow, ElectionEventRow, VotingDayRow
from saylau.db.tables.structure import CouncilRow, PostRow, TerritoryRow
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    Calendar,
    ContestId,
    ContestStatus,
    Eligibility,
    EventId,
)
from saylau.rules.calendar import check_calendar
from saylau.rules.input import text_problem
from saylau.rules.model import RuleSet
from saylau.rules.presets import RuleSetError, load_rule_set, rule_set_to_json
from saylau.services import audit
from saylau.services.errors import InvalidInput, NotFound, Problem, unknown_ids
from saylau.services.permissions import Action, authorize
from saylau.services.structure import territories_by_kato
from saylau.services.transaction import transaction


@dataclass(frozen=True)
class EventView:
    id: EventId
    name: str
    rule_set_name: str | None
    rule_set: Mapping[str, Any]
    calendar: Calendar
    min_candidates: int
    eligibility: Eligibility
    voting_days: Mapping[str, date]  # KATO of a region or district -> day
    num_contests: int


def create_event(
    *,
    session: Session,
    principal: Principal,
    name: str,
    rules: str | Mapping[str, object],
    calendar: Calendar,
    voting_days: Mapping[str, date],
    post_katos: Sequence[str],
    min_candidates: int = 2,
    eligibility: Eligibility | None = None,
    now: datetime,
) -> EventId:
    """Create an event and one pending contest per post (posts named by their territory KATO).

    `voting_days` maps the KATO of a region or of a district-level territory to its day; every
    post's council must find a day at its own territory or its region.
    """
    with transaction(session=session):
        actor = authorize(session=session, principal=principal, action=Action.EVENT_CREATE)
        rule_set = _rule_set(rules)
        problems = _check_event_input(name, min_candidates, calendar, voting_days, post_katos)
        if session.scalar(select(ElectionEventRow.id).where(ElectionEventRow.name == name)):
            problems.append(Problem("duplicate_event", f"an event named {name!r} exists", "name"))
        day_territories = {
            k: tid
            for k, (tid, _kind) in territories_by_kato(session=session, katos=voting_days).items()
        }
        posts = _posts_by_kato(session, post_katos)
        problems += _unknown("voting_days", voting_days, day_territories)
        problems += _unknown("posts", post_katos, posts)
        if problems:
            raise InvalidInput(f"event {name!r} not created", problems=problems)
        days_by_territory = {day_territories[k]: d for k, d in voting_days.items()}
        undated = [
            kato
            for kato, (_post_id, council_t, region_t) in posts.items()
            if council_t not in days_by_territory and region_t not in days_by_territory
        ]
        if undated:
            raise InvalidInput(
                f"{len(undated)} posts have no voting day (give one for their district or"
                f" region): {', '.join(sorted(undated)[:10])}",
                problems=[Problem("no_voting_day", "no voting day", kato) for kato in undated],
            )
        settings = eligibility or Eligibility()
        event_id = session.scalar(
            insert(ElectionEventRow)
            .values(
                name=name,
                rule_set_name=rules if isinstance(rules, str) else rule_set.name,
                rule_set=rule_set_to_json(rule_set),
                nomination_opens=calendar.nomination_opens,
                nomination_closes=calendar.nomination_closes,
                registration_deadline=calendar.registration_deadline,
                min_candidates=min_candidates,
                eligibility=settings.to_json(),
                created_at=now,
            )
            .returning(ElectionEventRow.id)
        )
        assert event_id is not None
        session.execute(
            insert(VotingDayRow),
            [
                {"event_id": event_id, "territory_id": t, "day": d}
                for t, d in days_by_territory.items()
            ],
        )
        contest_ids = insert_ids(
            session,
            ContestRow,
            [
                {"event_id": event_id, "post_id": post_id, "status": ContestStatus.PENDING}
                for post_id, _c, _r in posts.values()
            ],
        )
        audit.record(
            session=session,
            actor=actor,
            action="event.create",
            object_type="election_event",
            object_id=event_id,
        )
        audit.record_many(
            session=session,
            actor=actor,
            action="contest.create",
            object_type="contest",
            object_ids=contest_ids,
        )
        return EventId(event_id)


def _rule_set(rules: str | Mapping[str, object]) -> RuleSet:
    try:
        return load_rule_set(rules)
    except RuleSetError as e:
        raise InvalidInput(
            f"rule set refused: {e}", problems=[Problem("bad_rule_set", e.message, e.path)]
        ) from None


def _check_event_input(
    name: str,
    min_candidates: int,
    calendar: Calendar,
    voting_days: Mapping[str, date],
    post_katos: Sequence[str],
) -> list[Problem]:
    problems = [
        Problem(v.code, v.message, v.field, dict(v.numbers))
        for v in check_calendar(calendar, list(voting_days.values()))
    ]
    if not name.strip():
        problems.append(Problem("empty_name", "an event needs a name", "name"))
    elif bad_text := text_problem(name.strip(), limits.NAME):
        problems.append(Problem("bad_text", bad_text, "name"))
    if min_candidates < 1:
        problems.append(
            Problem("bad_minimum", f"min_candidates {min_candidates} < 1", "min_candidates")
        )
    if not post_katos:
        problems.append(Problem("no_posts", "an event fills at least one post", "posts"))
    if len(set(post_katos)) != len(post_katos):
        problems.append(Problem("duplicate_post", "a post is listed twice", "posts"))
    return problems


def _unknown(
    where: str, wanted: Sequence[str] | Mapping[str, Any], found: Mapping[str, Any]
) -> list[Problem]:
    return [
        Problem(
            "unknown_kato", f"no such {where[:-1].replace('_', ' ')}: {kato}", f"{where}.{kato}"
        )
        for kato in wanted
        if kato not in found
    ]


def _posts_by_kato(
    session: Session, katos: Sequence[str]
) -> dict[str, tuple[int, int, int | None]]:
    """KATO -> (post id, council's territory id, that territory's parent id)."""
    post_t = TerritoryRow.__table__.alias("post_t")
    council_t = TerritoryRow.__table__.alias("council_t")
    stmt = (
        select(post_t.c.kato, PostRow.id, council_t.c.id, council_t.c.parent_id)
        .join(post_t, post_t.c.id == PostRow.territory_id)
        .join(CouncilRow, CouncilRow.id == PostRow.council_id)
        .join(council_t, council_t.c.id == CouncilRow.territory_id)
    )
    rows = select_in(session, stmt, post_t.c.kato, katos)
    return {kato: (pid, ct, parent) for kato, pid, ct, parent in rows}


# --- shared lookups ------------------------------------------------------------------------


def get_event_row(*, session: Session, event_id: EventId) -> ElectionEventRow:
    row = session.get(ElectionEventRow, event_id)
    if row is None:
        raise unknown_ids("election event", [event_id], where="event_id")
    return row


def rule_set_of(row: ElectionEventRow) -> RuleSet:
    return load_rule_set(row.rule_set)


def calendar_of(row: ElectionEventRow) -> Calendar:
    return Calendar(row.nomination_opens, row.nomination_closes, row.registration_deadline)


def eligibility_of(row: ElectionEventRow) -> Eligibility:
    data = row.eligibility
    return Eligibility(
        min_age=int(data.get("min_age", 25)),
        required_documents=tuple(str(d) for d in data.get("required_documents", ())),
    )


def voting_days_of(*, session: Session, contest_ids: Sequence[ContestId]) -> dict[ContestId, date]:
    """The voting day of each contest: its council's territory's own day, else its region's."""
    council_t = TerritoryRow.__table__.alias("council_t")
    own = VotingDayRow.__table__.alias("own")
    region = VotingDayRow.__table__.alias("region")
    stmt = (
        select(ContestRow.id, own.c.day, region.c.day)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(CouncilRow, CouncilRow.id == PostRow.council_id)
        .join(council_t, council_t.c.id == CouncilRow.territory_id)
        .outerjoin(
            own,
            (own.c.event_id == ContestRow.event_id) & (own.c.territory_id == council_t.c.id),
        )
        .outerjoin(
            region,
            (region.c.event_id == ContestRow.event_id)
            & (region.c.territory_id == council_t.c.parent_id),
        )
    )
    found: dict[ContestId, date] = {}
    for contest_id, own_day, region_day in select_in(session, stmt, ContestRow.id, contest_ids):
        day = own_day or region_day
        if day is not None:
            found[ContestId(contest_id)] = day
    return found


# --- reading -------------------------------------------------------------------------------


def show_event(*, session: Session, event_id: EventId) -> EventView:
    row = get_event_row(session=session, event_id=event_id)
    days = session.execute(
        select(TerritoryRow.kato, VotingDayRow.day)
        .join(TerritoryRow, TerritoryRow.id == VotingDayRow.territory_id)
        .where(VotingDayRow.event_id == event_id)
        .order_by(TerritoryRow.kato)
    )
    num_contests = session.scalar(
        select(func.count()).select_from(ContestRow).where(ContestRow.event_id == event_id)
    )
    return EventView(
        id=EventId(row.id),
        name=row.name,
        rule_set_name=row.rule_set_name,
        rule_set=row.rule_set,
        calendar=calendar_of(row),
        min_candidates=row.min_candidates,
        eligibility=eligibility_of(row),
        voting_days={kato: day for kato, day in days},
        num_contests=int(num_contests or 0),
    )


def list_events(*, session: Session) -> list[EventView]:
    ids = session.scalars(select(ElectionEventRow.id).order_by(ElectionEventRow.id))
    return [show_event(session=session, event_id=EventId(i)) for i in ids]


def all_post_katos(*, session: Session) -> list[str]:
    """The territory KATO of every stored post, sorted (for an event that fills them all)."""
    return list(
        session.scalars(
            select(TerritoryRow.kato)
            .join(PostRow, PostRow.territory_id == TerritoryRow.id)
            .order_by(TerritoryRow.kato)
        )
    )


def latest_event(*, session: Session) -> EventId:
    """The event commands and pages use when none is named: the latest election, not counting
    the repeat elections called after it (they belong to its cycle and are named explicitly;
    docs/appeals.md). With only repeat events stored, the latest of them."""
    repeats = select(RepeatElectionRow.event_id)
    found = session.scalar(
        select(func.max(ElectionEventRow.id)).where(ElectionEventRow.id.not_in(repeats))
    )
    if found is None:
        found = session.scalar(select(func.max(ElectionEventRow.id)))
    if found is None:
        raise NotFound.one("no_event", "no election event yet: saylau event create FILE")
    return EventId(found)
