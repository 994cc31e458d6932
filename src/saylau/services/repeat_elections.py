"""Repeat elections: a failed contest (tie, no quorum, no majority after the last round, too
few registered candidates) gets a new contest for its post in a repeat event, whose calendar
follows from the repeat voting day (rules/procedures/*.json). The new contest then runs
through the same services as any other: nominate, register, sitting, protocol, sign, publish.

The repeat event of a parent event and a voting day is shared by every repeat election called
for that day; its name is "<parent>: repeat elections of <day>".
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from saylau.db.tables.appeals import RepeatElectionRow
from saylau.db.tables.election import (
    ContestRow,
    ElectionEventRow,
    NominationRow,
    RoundRow,
    SittingRow,
    VotingDayRow,
)
from saylau.db.tables.structure import CouncilRow, PostRow, TerritoryRow
from saylau.domain.accounts import Principal
from saylau.domain.appeals import RepeatElection, RepeatElectionId, RepeatReason
from saylau.domain.election import CandidateStatus, ContestId, ContestStatus, EventId
from saylau.domain.structure import PostId
from saylau.rules.procedure import procedure_for
from saylau.rules.repeat_elections import check_repeat_day, repeat_calendar
from saylau.services import audit, contest_state
from saylau.services.errors import Conflict, NotFound, Problem, Refused
from saylau.services.events import voting_days_of
from saylau.services.permissions import Action, authorize, contest_territories
from saylau.services.transaction import transaction


def repeat_event_name(parent: str, voting_day: date) -> str:
    return f"{parent}: repeat elections of {voting_day.isoformat()}"


def call_repeat_election(
    *,
    session: Session,
    principal: Principal,
    contest_id: ContestId,
    voting_day: date,
    on: date,
    now: datetime,
) -> RepeatElectionId:
    """Call the repeat election of a failed contest for `voting_day`, on day `on`."""
    with transaction(session=session):
        contest = session.get(ContestRow, contest_id)
        if contest is None:
            raise NotFound.one("unknown_contest", f"no contest {contest_id}", id=contest_id)
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.REPEAT_CALL,
            territories=lambda: contest_territories(session=session, contest_ids=[contest_id]),
        )
        # A correction or annulment of the failed contest waits (or is refused once called).
        contest_state.lock_contests(session=session, contest_ids=[contest_id])
        session.refresh(contest)
        called = session.scalar(
            select(RepeatElectionRow.id).where(RepeatElectionRow.failed_contest_id == contest_id)
        )
        if called is not None:
            raise Conflict.one(
                "repeat_called",
                f"contest {contest_id} already has repeat election {called}",
                where="contest",
                repeat_election=called,
            )
        parent = session.get_one(ElectionEventRow, contest.event_id)
        procedure = procedure_for(parent.rule_set_name)
        if procedure is None:
            raise Refused.one(
                "no_repeat_rules",
                f"saylau has no repeat-election rules for rule set {parent.rule_set_name!r}"
                " (rules/procedures/)",
                rule_set=str(parent.rule_set_name),
            )
        reason, failed_on = _failure(session, contest, parent, on)
        rules = procedure.repeat_election
        violations = check_repeat_day(rules, failed_on, voting_day, on)
        if violations:
            raise Refused(
                f"repeat election of contest {contest_id} not called",
                problems=[Problem(v.code, v.message, v.field, dict(v.numbers)) for v in violations],
            )
        event_id = _repeat_event(session, actor, parent, voting_day, now)
        _voting_day(session, actor, event_id, contest.post_id, voting_day)
        new_contest = contest_state.open_repeat_contest(
            session=session,
            actor=actor,
            event_id=EventId(event_id),
            post_id=PostId(contest.post_id),
        )
        repeat_id = session.scalar(
            insert(RepeatElectionRow)
            .values(
                failed_contest_id=contest_id,
                contest_id=new_contest,
                event_id=event_id,
                reason=reason,
                failed_on=failed_on,
                voting_day=voting_day,
                called_on=on,
                called_at=now,
            )
            .returning(RepeatElectionRow.id)
        )
        assert repeat_id is not None
        audit.record(
            session=session,
            actor=actor,
            action="election.call-repeat",
            object_type="repeat_election",
            object_id=repeat_id,
        )
        return RepeatElectionId(repeat_id)


def _failure(
    session: Session, contest: ContestRow, event: ElectionEventRow, on: date
) -> tuple[RepeatReason, date]:
    """Why and on which day the contest failed; Refused when it has not failed."""
    if contest.status == ContestStatus.REPEAT_ELECTION:
        day = session.scalar(
            select(SittingRow.day)
            .join(RoundRow, RoundRow.sitting_id == SittingRow.id)
            .where(RoundRow.contest_id == contest.id, RoundRow.round_no == contest.decided_round)
        )
        assert day is not None and contest.failure_reason is not None
        return RepeatReason(contest.failure_reason), day
    has_rounds = session.scalar(
        select(func.count()).select_from(RoundRow).where(RoundRow.contest_id == contest.id)
    )
    if contest.status == ContestStatus.PENDING and not has_rounds:
        registered = session.scalar(
            select(func.count())
            .select_from(NominationRow)
            .where(
                NominationRow.contest_id == contest.id,
                NominationRow.status == CandidateStatus.REGISTERED,
            )
        )
        day = voting_days_of(session=session, contest_ids=[ContestId(contest.id)])[
            ContestId(contest.id)
        ]
        if on > event.registration_deadline and (registered or 0) < event.min_candidates:
            return RepeatReason.TOO_FEW_CANDIDATES, day
        raise Refused(
            f"contest {contest.id} has not failed: {registered} registered candidate(s),"
            f" {event.min_candidates} needed, registration deadline"
            f" {event.registration_deadline.isoformat()}",
            problems=[
                Problem(
                    "not_failed",
                    "registration is still open or enough candidates are registered",
                    "contest",
                    {"registered": registered or 0, "min_candidates": event.min_candidates},
                )
            ],
        )
    raise Refused.one(
        "not_failed",
        f"contest {contest.id} is {contest.status}: only a failed contest (status"
        " repeat_election, or too few candidates after registration) gets a repeat election",
        where="contest",
        status=str(contest.status),
    )


def _repeat_event(
    session: Session, actor: str, parent: ElectionEventRow, voting_day: date, now: datetime
) -> int:
    """The repeat event of `parent` for `voting_day`, created on first use."""
    name = repeat_event_name(parent.name, voting_day)
    found = session.scalar(select(ElectionEventRow.id).where(ElectionEventRow.name == name))
    if found is not None:
        return int(found)
    procedure = procedure_for(parent.rule_set_name)
    assert procedure is not None
    cal = repeat_calendar(procedure.repeat_election, voting_day)
    event_id = session.scalar(
        insert(ElectionEventRow)
        .values(
            name=name,
            rule_set_name=parent.rule_set_name,
            rule_set=parent.rule_set,
            nomination_opens=cal.nomination_opens,
            nomination_closes=cal.nomination_closes,
            registration_deadline=cal.registration_deadline,
            min_candidates=parent.min_candidates,
            eligibility=parent.eligibility,
            created_at=now,
        )
        .returning(ElectionEventRow.id)
    )
    assert event_id is not None
    audit.record(
        session=session,
        actor=actor,
        action="event.create",
        object_type="election_event",
        object_id=event_id,
    )
    return int(event_id)


def _voting_day(session: Session, actor: str, event_id: int, post_id: int, day: date) -> None:
    """The repeat voting day, set on the post's council territory (once per council)."""
    territory = session.scalar(
        select(CouncilRow.territory_id)
        .join(PostRow, PostRow.council_id == CouncilRow.id)
        .where(PostRow.id == post_id)
    )
    exists = session.scalar(
        select(VotingDayRow.id).where(
            VotingDayRow.event_id == event_id, VotingDayRow.territory_id == territory
        )
    )
    if exists is not None:
        return
    session.execute(insert(VotingDayRow).values(event_id=event_id, territory_id=territory, day=day))
    audit.record(
        session=session,
        actor=actor,
        action="event.voting-day",
        object_type="election_event",
        object_id=event_id,
    )


# --- reading -------------------------------------------------------------------------------


def list_repeat_elections(
    *, session: Session, event_id: EventId | None = None
) -> list[RepeatElection]:
    """Repeat elections called for the contests of `event_id` (every event when None)."""
    failed = ContestRow.__table__.alias("failed")
    stmt = (
        select(RepeatElectionRow, ContestRow.status, TerritoryRow.kato, ElectionEventRow)
        .join(ContestRow, ContestRow.id == RepeatElectionRow.contest_id)
        .join(failed, failed.c.id == RepeatElectionRow.failed_contest_id)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(TerritoryRow, TerritoryRow.id == PostRow.territory_id)
        .join(ElectionEventRow, ElectionEventRow.id == RepeatElectionRow.event_id)
        .order_by(RepeatElectionRow.id)
    )
    if event_id is not None:
        stmt = stmt.where(failed.c.event_id == event_id)
    return [
        RepeatElection(
            id=RepeatElectionId(r.id),
            failed_contest_id=ContestId(r.failed_contest_id),
            contest_id=ContestId(r.contest_id),
            event_id=EventId(r.event_id),
            post_kato=kato,
            reason=RepeatReason(r.reason),
            failed_on=r.failed_on,
            voting_day=r.voting_day,
            nomination_opens=ev.nomination_opens,
            nomination_closes=ev.nomination_closes,
            registration_deadline=ev.registration_deadline,
            called_on=r.called_on,
            called_at=r.called_at,
            status=str(status),
        )
        for r, status, kato, ev in session.execute(stmt)
    ]
