"""Read models of appeals and repeat elections: the appeal counts of an event (filed, decided
by outcome, pending, overdue on a day) and its repeat elections with their outcome, as the web,
the press release and `saylau results` show them.

Public and staff see the same appeal counts (the CEC reports them). The public sees a repeat
election once the protocol of the failed vote is published (at once when too few candidates
were registered), and its winner once the protocol that elected them is published.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import FromClause

from saylau.db.base import table_of
from saylau.db.tables.appeals import AppealRow, RepeatElectionRow
from saylau.db.tables.election import ContestRow, ProtocolRow, RoundRow
from saylau.db.tables.structure import PostRow, TerritoryRow
from saylau.domain.appeals import AppealOutcome, RepeatReason
from saylau.domain.election import ContestId, ContestStatus, EventId, ProtocolStatus
from saylau.domain.structure import Names
from saylau.services.views.values import Visibility


@dataclass(frozen=True)
class AppealCountsView:
    filed: int
    decided: Mapping[AppealOutcome, int]  # every outcome, zero included
    pending: int
    overdue: int  # pending past their deadline on `on`
    at_once: int  # filed less than five days before voting (or on voting day)
    on: date | None


@dataclass(frozen=True)
class RepeatElectionView:
    failed_contest_id: ContestId
    contest_id: ContestId
    event_id: EventId
    post_kato: str
    post_names: Names  # the post's territory, in the three languages
    reason: RepeatReason
    failed_on: date
    voting_day: date
    is_filled: bool  # elected, and (public) its protocol published


@dataclass(frozen=True)
class AftermathView:
    """What followed an event's votes: its appeals and its repeat elections."""

    event_id: EventId
    visibility: Visibility
    appeals: AppealCountsView
    repeat_elections: tuple[RepeatElectionView, ...]
    filled_by_repeat: int


def aftermath_view(
    *, session: Session, event_id: EventId, visibility: Visibility, on: date | None = None
) -> AftermathView:
    """Two statements: the appeal counts, and the repeat elections with their outcome."""
    return AftermathView(
        event_id=EventId(event_id),
        visibility=visibility,
        appeals=_appeal_counts(session, event_id, on),
        repeat_elections=(repeats := _repeats(session, event_id, visibility)),
        filled_by_repeat=sum(1 for r in repeats if r.is_filled),
    )


def _appeal_counts(session: Session, event_id: int, on: date | None) -> AppealCountsView:
    at = table_of(AppealRow)
    overdue = (at.c.outcome.is_(None) & (at.c.deadline < on)) if on is not None else None
    stmt = select(
        at.c.outcome,
        func.count(),
        func.sum(case((at.c.is_at_once, 1), else_=0)),
        func.sum(case((overdue, 1), else_=0)) if overdue is not None else func.sum(0),
    ).where(at.c.event_id == event_id)
    decided = dict.fromkeys(AppealOutcome, 0)
    filed = pending = late = at_once = 0
    for outcome, n, n_at_once, n_overdue in session.execute(stmt.group_by(at.c.outcome)):
        filed += n
        at_once += int(n_at_once or 0)
        late += int(n_overdue or 0)
        if outcome is None:
            pending += n
        else:
            decided[AppealOutcome(outcome)] += n
    return AppealCountsView(filed, decided, pending, late, at_once, on)


def _repeats(
    session: Session, event_id: int, visibility: Visibility
) -> tuple[RepeatElectionView, ...]:
    rt, ct = table_of(RepeatElectionRow), table_of(ContestRow)
    failed = ct.alias("failed")
    rounds, protocols = table_of(RoundRow), table_of(ProtocolRow)
    post_t = table_of(TerritoryRow)

    def published(contest: FromClause) -> Any:
        """How many accepted, published protocols `contest`'s deciding round has (0 or 1)."""
        return (
            select(func.count())
            .select_from(protocols)
            .join(rounds, rounds.c.id == protocols.c.round_id)
            .where(
                rounds.c.contest_id == contest.c.id,
                rounds.c.round_no == contest.c.decided_round,
                protocols.c.status == ProtocolStatus.ACCEPTED,
                protocols.c.published_at.is_not(None),
            )
            .scalar_subquery()
        )

    stmt = (
        select(
            rt.c.failed_contest_id,
            rt.c.contest_id,
            rt.c.event_id,
            post_t.c.kato,
            post_t.c.name_kk,
            post_t.c.name_ru,
            post_t.c.name_en,
            rt.c.reason,
            rt.c.failed_on,
            rt.c.voting_day,
            ct.c.status,
            published(ct),
        )
        .join(failed, failed.c.id == rt.c.failed_contest_id)
        .join(ct, ct.c.id == rt.c.contest_id)
        .join(PostRow, PostRow.id == ct.c.post_id)
        .join(post_t, post_t.c.id == PostRow.territory_id)
        .where(failed.c.event_id == event_id)
        .order_by(post_t.c.kato)
    )
    if visibility is Visibility.PUBLIC:
        # The public learns that (and why) a contest failed from its published protocol; a
        # contest without registered candidates has no protocol to wait for.
        stmt = stmt.where(
            (rt.c.reason == RepeatReason.TOO_FEW_CANDIDATES) | (published(failed) > 0)
        )
    return tuple(
        RepeatElectionView(
            failed_contest_id=fc,
            contest_id=c,
            event_id=e,
            post_kato=kato,
            post_names=Names(kk, ru, en),
            reason=RepeatReason(reason),
            failed_on=failed_on,
            voting_day=day,
            is_filled=status == ContestStatus.ELECTED
            and (visibility is Visibility.STAFF or bool(n_published)),
        )
        for fc, c, e, kato, kk, ru, en, reason, failed_on, day, status, n_published in (
            session.execute(stmt)
        )
    )
