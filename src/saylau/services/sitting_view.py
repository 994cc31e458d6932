"""A sitting as shown (`saylau sitting show`): its status and times, the roll and who is
present now, its adjournments, and each round's electors, ballots and quorum."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.db.tables.election import (
    AdjournmentRow,
    AttendanceRow,
    ElectionEventRow,
    RoundRow,
    SittingContestRow,
)
from saylau.db.tables.structure import DeputyRow
from saylau.domain.election import ContestId, EventId, RoundStatus, SittingId, SittingStatus
from saylau.domain.structure import CouncilId
from saylau.rules.decide import RoundCounts, quorum_needed
from saylau.rules.model import RuleSet
from saylau.services.attendance import present_now
from saylau.services.events import rule_set_of
from saylau.services.sitting_figures import read_figures
from saylau.services.sitting_rows import in_office, load_sittings


@dataclass(frozen=True)
class Adjournment:
    adjourned_at: datetime
    reason: str
    resumed_at: datetime | None


@dataclass(frozen=True)
class RoundPresence:
    """A round's electors: fixed by its accepted protocol, else those present now."""

    contest_id: ContestId
    round_no: int
    status: RoundStatus
    present: int
    ballots_issued: int
    quorum_needed: int | None
    is_fixed: bool


@dataclass(frozen=True)
class SittingView:
    id: SittingId
    event_id: EventId
    council_id: CouncilId
    day: date
    status: SittingStatus
    members: int  # deputies in office on the day (fixed when the sitting opens)
    present: int  # now: the roll at opening, then arrivals and departures
    absent: int
    unrecorded: int  # deputies in office with no attendance recorded yet
    quorum_needed: int | None
    contests: tuple[tuple[int, int | None], ...]  # (contest id, ballots issued in round 1)
    opened_at: datetime | None = None
    closed_at: datetime | None = None
    adjournments: tuple[Adjournment, ...] = ()
    rounds: tuple[RoundPresence, ...] = ()


def _needed(rule_set: RuleSet, members: int, present: int) -> int | None:
    quorum = rule_set.quorum
    if quorum is None:
        return None
    return quorum_needed(quorum, RoundCounts(members=members, present=present, ballots_cast=0))


def show_sitting(*, session: Session, sitting_id: SittingId) -> SittingView:
    s = load_sittings(session=session, ids=[sitting_id])[sitting_id]
    rows = session.execute(
        select(AttendanceRow.is_present, func.count())
        .join(DeputyRow, DeputyRow.id == AttendanceRow.deputy_id)
        .where(AttendanceRow.sitting_id == sitting_id)
        .group_by(AttendanceRow.is_present)
    ).all()
    counts = {bool(p): int(n) for p, n in rows}
    in_office_now = int(
        session.scalar(
            select(func.count())
            .select_from(DeputyRow)
            .where(DeputyRow.council_id == s.council_id, in_office(s.day))
        )
        or 0
    )
    members = s.members if s.members is not None else in_office_now
    at_opening = counts.get(True, 0)
    present = (
        present_now(session=session, sittings={sitting_id: s})[sitting_id]
        if s.opened_at
        else at_opening
    )
    rule_set = rule_set_of(session.get_one(ElectionEventRow, s.event_id))
    contests = session.execute(
        select(SittingContestRow.contest_id, SittingContestRow.ballots_issued)
        .where(SittingContestRow.sitting_id == sitting_id)
        .order_by(SittingContestRow.contest_id)
    )
    rounds = session.execute(
        select(
            RoundRow.id,
            RoundRow.contest_id,
            RoundRow.round_no,
            RoundRow.sitting_id,
            RoundRow.status,
        )
        .where(RoundRow.sitting_id == sitting_id)
        .order_by(RoundRow.contest_id, RoundRow.round_no)
    ).all()
    figures = read_figures(session=session, rounds=rounds)
    adjournments = session.scalars(
        select(AdjournmentRow)
        .where(AdjournmentRow.sitting_id == sitting_id)
        .order_by(AdjournmentRow.adjourned_at, AdjournmentRow.id)
    )
    return SittingView(
        id=SittingId(s.id),
        event_id=EventId(s.event_id),
        council_id=CouncilId(s.council_id),
        day=s.day,
        status=SittingStatus(s.status),
        members=members,
        present=present,
        absent=counts.get(False, 0) + at_opening - present,
        unrecorded=in_office_now - at_opening - counts.get(False, 0),
        quorum_needed=_needed(rule_set, members, present),
        contests=tuple((int(c), issued) for c, issued in contests),
        opened_at=s.opened_at,
        closed_at=s.closed_at,
        adjournments=tuple(
            Adjournment(a.adjourned_at, a.reason, a.resumed_at) for a in adjournments
        ),
        rounds=tuple(
            RoundPresence(
                ContestId(r.contest_id),
                r.round_no,
                RoundStatus(r.status),
                figures[r.id].present,
                figures[r.id].ballots_issued,
                _needed(rule_set, figures[r.id].members, figures[r.id].present),
                figures[r.id].is_fixed,
            )
            for r in rounds
        ),
    )
