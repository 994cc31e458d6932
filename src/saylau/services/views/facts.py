"""The stored facts every read model is computed from, read in a fixed number of queries
whatever the number of contests (each query is scoped by a subquery, never by a list of ids,
so that a national read is as many statements as a contest's).

A round is *visible* to public callers once its accepted protocol is published; staff see
every accepted protocol. Registrations, sittings and the structure are public acts.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

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
    VotingDayRow,
)
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    DeputyRow,
    PostRow,
    TerritoryRow,
)
from saylau.domain.election import (
    COUNT_FIELDS,
    CandidateStatus,
    ContestId,
    ContestStatus,
    EventId,
    NominationId,
    PersonId,
    ProtocolId,
    ProtocolStatus,
    RoundStatus,
)
from saylau.domain.structure import (
    CommissionLevel,
    CouncilId,
    Kato,
    Names,
    TerritoryId,
    TerritoryKind,
)
from saylau.rules.decide import Decision
from saylau.rules.decisions import decision_from_json
from saylau.services.errors import unknown_ids
from saylau.services.views.values import ProtocolStatusView, TerritoryView, Visibility


@dataclass(frozen=True)
class Scope:
    """Which contests: those of an event, optionally of one area (a region, or a district or
    town whose council elects), optionally one contest."""

    event_id: EventId
    area_kato: str | None = None
    contest_id: ContestId | None = None


@dataclass(frozen=True)
class RoundFact:
    round_no: int
    decision: Decision | None
    counts: dict[str, int]
    protocol: ProtocolStatusView


@dataclass(frozen=True)
class NominationFact:
    id: NominationId
    person_id: PersonId
    contest_id: ContestId
    status: CandidateStatus
    refusal_reason: str | None
    is_incumbent: bool
    full_name: str
    sex: str
    birth_date: date


@dataclass
class ContestFact:
    id: ContestId
    post: TerritoryView
    council: TerritoryView
    region: TerritoryView | None
    council_id: CouncilId
    status: ContestStatus
    failure_reason: str | None
    decided_round: int | None
    elected_id: NominationId | None
    voting_day: date | None  # from the event's calendar
    sitting_day: date | None  # of the meeting of electors that voted, once scheduled
    rounds: list[RoundFact] = field(default_factory=list)  # visible accepted protocols

    @property
    def deciding(self) -> RoundFact | None:
        """The visible round that decided the contest (or asks for a lot)."""
        if self.status is ContestStatus.LOT_REQUIRED:
            last = self.rounds[-1] if self.rounds else None
            return last if last and last.decision and last.decision.is_final else None
        if self.decided_round is None:
            return None
        return next((r for r in self.rounds if r.round_no == self.decided_round), None)


@dataclass
class Facts:
    event_id: EventId
    event_name: str
    event_row: ElectionEventRow
    contests: list[ContestFact]  # by the post's KATO
    nominations: dict[int, NominationFact]  # by id, in id order
    votes: dict[int, list[tuple[int, int]]]  # protocol id -> (nomination id, votes)
    council_days: dict[int, set[date]]  # councils with a sitting in scope -> its days
    deputies: dict[int, int]  # council id -> deputies in office on a sitting day
    staff: dict[int, int]  # council id -> members of its district commission
    registered: dict[int, int] = field(default_factory=dict)  # contest id -> candidates
    by_contest: dict[int, list[NominationFact]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        by_contest: dict[int, list[NominationFact]] = defaultdict(list)
        for n in self.nominations.values():
            by_contest[n.contest_id].append(n)
        self.by_contest = dict(by_contest)
        self.registered = {
            cid: sum(1 for n in noms if n.status is CandidateStatus.REGISTERED)
            for cid, noms in by_contest.items()
        }


def territory_view(values: Sequence[Any]) -> TerritoryView | None:
    """A territory from the six columns of `territory_columns` (None for an outer join's
    missing row)."""
    tid, kato, kind, kk, ru, en = values
    if tid is None:
        return None
    return TerritoryView(TerritoryId(tid), Kato(kato), TerritoryKind(kind), Names(kk, ru, en))


def territory_columns(table: Any, prefix: str) -> list[Any]:
    c = table.c
    return [
        c.id.label(f"{prefix}_id"),
        c.kato.label(f"{prefix}_kato"),
        c.kind.label(f"{prefix}_kind"),
        c.name_kk.label(f"{prefix}_kk"),
        c.name_ru.label(f"{prefix}_ru"),
        c.name_en.label(f"{prefix}_en"),
    ]


_POST = TerritoryRow.__table__.alias("post_t")
_COUNCIL = TerritoryRow.__table__.alias("council_t")
_REGION = TerritoryRow.__table__.alias("region_t")


def _with_territories(stmt: Select[Any]) -> Select[Any]:
    """Join a statement over ContestRow to its post's, council's and region's territories."""
    return (
        stmt.join(PostRow, PostRow.id == ContestRow.post_id)
        .join(_POST, _POST.c.id == PostRow.territory_id)
        .join(CouncilRow, CouncilRow.id == PostRow.council_id)
        .join(_COUNCIL, _COUNCIL.c.id == CouncilRow.territory_id)
        .outerjoin(_REGION, _REGION.c.id == _COUNCIL.c.parent_id)
    )


def _scoped_contests(scope: Scope) -> Select[Any]:
    """The ids of the contests in scope, as a subquery."""
    if scope.area_kato is None and scope.contest_id is None:
        return select(ContestRow.id).where(ContestRow.event_id == scope.event_id)
    stmt = _with_territories(select(ContestRow.id)).where(ContestRow.event_id == scope.event_id)
    if scope.area_kato is not None:
        stmt = stmt.where(
            or_(_COUNCIL.c.kato == scope.area_kato, _REGION.c.kato == scope.area_kato)
        )
    if scope.contest_id is not None:
        stmt = stmt.where(ContestRow.id == scope.contest_id)
    return stmt


def _in_scope(column: Any, scope: Scope) -> ColumnElement[bool]:
    found: ColumnElement[bool] = column.in_(_scoped_contests(scope).scalar_subquery())
    return found


def _visible(visibility: Visibility) -> ColumnElement[bool]:
    accepted = ProtocolRow.status == ProtocolStatus.ACCEPTED
    if visibility is Visibility.PUBLIC:
        return accepted & ProtocolRow.published_at.is_not(None)
    return accepted


def _run(session: Session, stmt: Any) -> Any:
    """Execute on the session's connection: plain rows, without the ORM's entity loading
    (a national read is thousands of rows)."""
    return session.connection().execute(stmt).all()


def load_facts(
    *,
    session: Session,
    scope: Scope,
    visibility: Visibility,
    with_votes: bool = True,
    every_round: bool = False,
) -> Facts:
    """Everything a view of `scope` needs, in eight statements. The votes of a scope wider
    than one contest are those of the deciding round only, unless `every_round`."""
    event = session.get(ElectionEventRow, scope.event_id)
    if event is None:
        raise unknown_ids("election event", [scope.event_id], where="event")
    contests = _contests(session, scope)
    by_id = {c.id: c for c in contests}
    for contest_id, fact in _rounds(session, scope, visibility):
        by_id[ContestId(contest_id)].rounds.append(fact)
    council_days: dict[int, set[date]] = defaultdict(set)
    for contest_id, council_id, day in _run(
        session,
        select(SittingContestRow.contest_id, SittingRow.council_id, SittingRow.day)
        .join(SittingRow, SittingRow.id == SittingContestRow.sitting_id)
        .where(_in_scope(SittingContestRow.contest_id, scope)),
    ):
        council_days[council_id].add(day)
        c = by_id[contest_id]
        c.sitting_day = day if c.sitting_day is None else min(c.sitting_day, day)
    return Facts(
        event_id=EventId(event.id),
        event_name=event.name,
        event_row=event,
        contests=contests,
        nominations=_nominations(session, scope),
        votes=_votes(session, scope, visibility, every_round) if with_votes else {},
        council_days=dict(council_days),
        deputies=_deputies(session, scope, council_days),
        staff=_staff(session, scope, council_days),
    )


def _contests(session: Session, scope: Scope) -> list[ContestFact]:
    own = VotingDayRow.__table__.alias("own_day")
    region_day = VotingDayRow.__table__.alias("region_day")
    stmt = (
        _with_territories(
            select(
                ContestRow.id,
                ContestRow.status,
                ContestRow.failure_reason,
                ContestRow.decided_round,
                ContestRow.elected_nomination_id,
                CouncilRow.id.label("council_row_id"),
                own.c.day.label("own_day"),
                region_day.c.day.label("region_day"),
                *territory_columns(_POST, "post"),
                *territory_columns(_COUNCIL, "council"),
                *territory_columns(_REGION, "region"),
            )
        )
        .outerjoin(
            own, (own.c.event_id == ContestRow.event_id) & (own.c.territory_id == _COUNCIL.c.id)
        )
        .outerjoin(
            region_day,
            (region_day.c.event_id == ContestRow.event_id)
            & (region_day.c.territory_id == _COUNCIL.c.parent_id),
        )
        .where(_in_scope(ContestRow.id, scope))
        .order_by(_POST.c.kato)
    )
    found = []
    cache: dict[int | None, TerritoryView | None] = {}

    def cached(values: Sequence[Any]) -> TerritoryView | None:
        # Councils and regions repeat from row to row: one view each.
        if values[0] not in cache:
            cache[values[0]] = territory_view(values)
        return cache[values[0]]

    for row in _run(session, stmt):
        post, council = territory_view(row[8:14]), cached(row[14:20])
        assert post is not None and council is not None
        found.append(
            ContestFact(
                id=row.id,
                post=post,
                council=council,
                # A council of a region (no parent) counts in its own region.
                region=cached(row[20:26]) or council,
                council_id=row.council_row_id,
                status=ContestStatus(row.status),
                failure_reason=row.failure_reason,
                decided_round=row.decided_round,
                elected_id=row.elected_nomination_id,
                voting_day=row.own_day or row.region_day,
                sitting_day=None,
            )
        )
    return found


def _rounds(session: Session, scope: Scope, visibility: Visibility) -> list[tuple[int, RoundFact]]:
    """Each round's visible accepted protocol, by contest and round number."""
    versions = (
        select(ProtocolRow.round_id, func.count().label("n"))
        .group_by(ProtocolRow.round_id)
        .subquery()
    )
    stmt = (
        select(
            RoundRow.contest_id,
            RoundRow.round_no,
            RoundRow.decision,
            versions.c.n,
            ProtocolRow.id,
            ProtocolRow.version,
            ProtocolRow.signed_by,
            ProtocolRow.signed_at,
            ProtocolRow.published_at,
            *(getattr(ProtocolRow, f) for f in COUNT_FIELDS),
        )
        .join(ProtocolRow, ProtocolRow.round_id == RoundRow.id)
        .join(versions, versions.c.round_id == RoundRow.id)
        .where(
            _in_scope(RoundRow.contest_id, scope),
            RoundRow.status != RoundStatus.CANCELLED,
            _visible(visibility),
        )
        .order_by(RoundRow.contest_id, RoundRow.round_no)
    )
    found = []
    for row in _run(session, stmt):
        contest_id, round_no, decision, n, pid, version, signed_by, signed_at, published_at = row[
            :9
        ]
        found.append(
            (
                contest_id,
                RoundFact(
                    round_no=round_no,
                    decision=None if decision is None else decision_from_json(decision),
                    counts=dict(zip(COUNT_FIELDS, row[9:], strict=True)),
                    protocol=ProtocolStatusView(
                        id=ProtocolId(pid),
                        round_no=round_no,
                        version=version,
                        num_versions=int(n),
                        signed_by=signed_by,
                        signed_at=signed_at,
                        published_at=published_at,
                    ),
                ),
            )
        )
    return found


def _nominations(session: Session, scope: Scope) -> dict[int, NominationFact]:
    stmt = (
        select(
            NominationRow.id,
            PersonRow.id,
            NominationRow.contest_id,
            NominationRow.status,
            NominationRow.refusal_reason,
            NominationRow.is_incumbent,
            PersonRow.full_name,
            PersonRow.sex,
            PersonRow.birth_date,
        )
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
        .where(_in_scope(NominationRow.contest_id, scope))
        .order_by(NominationRow.id)
    )
    statuses = {s.value: s for s in CandidateStatus}
    return {
        nid: NominationFact(nid, pid, cid, statuses[st], reason, incumbent, name, sex, born)
        for nid, pid, cid, st, reason, incumbent, name, sex, born in _run(session, stmt)
    }


def _votes(
    session: Session, scope: Scope, visibility: Visibility, every_round: bool
) -> dict[int, list[tuple[int, int]]]:
    stmt = (
        select(ProtocolVoteRow.protocol_id, ProtocolVoteRow.nomination_id, ProtocolVoteRow.votes)
        .join(ProtocolRow, ProtocolRow.id == ProtocolVoteRow.protocol_id)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .where(_in_scope(RoundRow.contest_id, scope), _visible(visibility))
    )
    if scope.contest_id is None and not every_round:
        # Margins need the deciding round only; one contest's page (and open data) shows every
        # round.
        stmt = stmt.join(
            ContestRow,
            (ContestRow.id == RoundRow.contest_id)
            & (ContestRow.decided_round == RoundRow.round_no),
        )
    found: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for pid, nid, votes in _run(session, stmt):
        found[pid].append((nid, votes))
    return dict(found)


def _event_councils(scope: Scope) -> Any:
    """The councils with a meeting of electors in the event (those in scope are picked in
    Python: a scoped subquery here costs SQLite more than the rows it saves)."""
    return (
        select(SittingRow.council_id)
        .where(SittingRow.event_id == scope.event_id)
        .distinct()
        .scalar_subquery()
    )


def _deputies(session: Session, scope: Scope, council_days: dict[int, set[date]]) -> dict[int, int]:
    """Deputies of each voting council in office on the day of one of its meetings of
    electors (the electors), each counted once."""
    rows = _run(
        session,
        select(DeputyRow.council_id, DeputyRow.mandate_start, DeputyRow.mandate_end).where(
            DeputyRow.council_id.in_(_event_councils(scope))
        ),
    )
    found: Counter[int] = Counter()
    for council_id, start, end in rows:
        days = council_days.get(council_id, ())
        if any(start <= day and (end is None or end >= day) for day in days):
            found[council_id] += 1
    return dict(found)


def _staff(session: Session, scope: Scope, council_days: dict[int, set[date]]) -> dict[int, int]:
    """Members of the district or town commission of each voting council."""
    rows = _run(
        session,
        select(CouncilRow.id, func.count(CommissionMemberRow.id))
        .join(CommissionRow, CommissionRow.territory_id == CouncilRow.territory_id)
        .join(CommissionMemberRow, CommissionMemberRow.commission_id == CommissionRow.id)
        .where(
            CommissionRow.level == CommissionLevel.DISTRICT,
            CouncilRow.id.in_(_event_councils(scope)),
        )
        .group_by(CouncilRow.id),
    )
    return {cid: int(n) for cid, n in rows if cid in council_days}
