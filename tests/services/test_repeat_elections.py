"""Repeat elections: each failure reason calls one with the procedure's dates, and the new
contest elects through the same services (nominate, register, sitting, protocol, sign, publish)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from election_fixtures import (
    CEC,
    NOW,
    OTHER_POST_KATO,
    OpenSitting,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
    request,
)
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from saylau.db.tables.election import ContestRow
from saylau.db.tables.structure import TerritoryRow
from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.appeals import RepeatReason
from saylau.domain.election import ContestStatus
from saylau.domain.structure import Names
from saylau.services import (
    attendance,
    candidates,
    events,
    protocols,
    repeat_elections,
    resolve,
    results,
)
from saylau.services import sittings as sitting_service
from saylau.services.audit.verify import verify_log
from saylau.services.errors import Conflict, Refused
from saylau.services.protocols import ProtocolSubmission
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.values import Visibility

REPEAT_DAY = date(2013, 8, 28)
CALLED_ON = date(2013, 8, 12)
LATER = datetime(2013, 8, 12, 9, 0, tzinfo=UTC)


@pytest.fixture
def opened(session: Session, uralsk: Uralsk, event_id: int) -> OpenSitting:
    return open_uralsk_sitting(session, uralsk, event_id, absent=2)  # 17 present of 19


def _submit(session: Session, contest: int, round_no: int, votes: dict[str, int], **kw: int):  # type: ignore[no-untyped-def]
    return protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counts(17, votes, **kw)),
        now=NOW,
    )


def _tie(session: Session, opened: OpenSitting) -> int:
    contest = opened.contests[2]
    c = [str(n) for n in opened.candidates[contest]]
    _submit(session, contest, 1, {c[0]: 8, c[1]: 8, c[2]: 1})
    _submit(session, contest, 2, {c[0]: 8, c[1]: 8}, blank=1)
    return contest


def _call(session: Session, contest: int, day: date = REPEAT_DAY, **kw: object) -> int:
    return repeat_elections.call_repeat_election(
        session=session,
        principal=kw.pop("principal", CEC),  # type: ignore[arg-type]
        contest_id=contest,
        voting_day=day,
        on=kw.pop("on", CALLED_ON),  # type: ignore[arg-type]
        now=LATER,
    )


def test_a_tie_calls_a_repeat_election_with_its_own_calendar(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = _tie(session, opened)
    _call(session, contest)
    (found,) = repeat_elections.list_repeat_elections(session=session, event_id=event_id)
    assert (found.failed_contest_id, found.reason, found.failed_on) == (
        contest,
        RepeatReason.TIE,
        date(2013, 8, 9),
    )
    assert (found.nomination_opens, found.nomination_closes, found.registration_deadline) == (
        date(2013, 8, 14),
        date(2013, 8, 21),
        date(2013, 8, 23),
    )
    assert (found.voting_day, found.post_kato, found.status) == (REPEAT_DAY, "271037000", "pending")
    repeat_event = events.show_event(session=session, event_id=found.event_id)
    assert repeat_event.name == "Akim elections 2013: repeat elections of 2013-08-28"
    assert repeat_event.rule_set_name == "kz-akim-2013"
    assert dict(repeat_event.voting_days) == {"271000000": REPEAT_DAY}
    assert events.voting_days_of(session=session, contest_ids=[found.contest_id]) == {
        found.contest_id: REPEAT_DAY
    }


@pytest.mark.parametrize("reason", [RepeatReason.NO_QUORUM, RepeatReason.NO_MAJORITY])
def test_no_quorum_and_no_majority_call_repeat_elections(
    session: Session, event_id: int, opened: OpenSitting, reason: RepeatReason
) -> None:
    # Neither is reachable under kz-akim-2013 through the services (the sitting checks the
    # quorum before it opens; round 2 is a plurality), so the contest is marked as
    # the state machine (services/contest_state.py) marks a failure.
    contest = opened.contests[0]
    c = [str(n) for n in opened.candidates[contest]]
    _submit(session, contest, 1, {c[0]: 8, c[1]: 6, c[2]: 3})
    session.execute(
        update(ContestRow)
        .where(ContestRow.id == contest)
        .values(status=ContestStatus.REPEAT_ELECTION, failure_reason=reason, decided_round=1)
    )
    session.commit()
    _call(session, contest, date(2013, 9, 10))
    (found,) = repeat_elections.list_repeat_elections(session=session)
    assert (found.reason, found.failed_on, found.voting_day) == (
        reason,
        date(2013, 8, 9),
        date(2013, 9, 10),
    )
    assert (found.nomination_opens, found.nomination_closes, found.registration_deadline) == (
        date(2013, 8, 27),
        date(2013, 9, 3),
        date(2013, 9, 5),
    )


def test_too_few_candidates_after_the_registration_deadline(
    session: Session, event_id: int
) -> None:
    contest = resolve.find_contest(session=session, event_id=event_id, ref=OTHER_POST_KATO)
    (nid,) = candidates.nominate_many(
        session=session, principal=CEC, requests=[request(contest, 1)], on=date(2013, 7, 10)
    )
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=[nid], on=date(2013, 7, 22)
    )
    with pytest.raises(Refused) as refused:
        _call(session, contest, on=date(2013, 7, 24))  # registration deadline: still open
    assert [p.code for p in refused.value.problems] == ["not_failed"]
    _call(session, contest, on=date(2013, 7, 25))
    (found,) = repeat_elections.list_repeat_elections(session=session, event_id=event_id)
    # The region's voting day (7 August) is the day the contest could not vote.
    assert (found.reason, found.failed_on, found.post_kato) == (
        RepeatReason.TOO_FEW_CANDIDATES,
        date(2013, 8, 7),
        OTHER_POST_KATO,
    )


def test_the_repeat_election_elects_through_the_same_services(
    session: Session, uralsk: Uralsk, event_id: int, opened: OpenSitting
) -> None:
    _call(session, _tie(session, opened))
    (rep,) = repeat_elections.list_repeat_elections(session=session, event_id=event_id)
    with pytest.raises(Refused):  # before its nomination window
        candidates.nominate_many(
            session=session,
            principal=CEC,
            requests=[request(rep.contest_id, 40)],
            on=date(2013, 8, 13),
        )
    ids = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(rep.contest_id, n) for n in (40, 41)],
        on=date(2013, 8, 15),
    )
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=ids, on=date(2013, 8, 23)
    )
    (sitting,) = sitting_service.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[
            sitting_service.SittingRequest(
                rep.event_id, uralsk.council_id, REPEAT_DAY, (rep.contest_id,)
            )
        ],
    )
    roll = {d: n >= 1 for n, d in enumerate(uralsk.deputy_ids)}  # 18 present
    attendance.record_attendance(session=session, principal=CEC, sitting_id=sitting, roll=roll)
    at = datetime(2013, 8, 28, 10, 0, tzinfo=UTC)
    sitting_service.open_sitting(session=session, principal=CEC, sitting_id=sitting, now=at)
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(
            rep.contest_id, 1, counts(18, {str(ids[0]): 11, str(ids[1]): 7})
        ),
        now=at,
    )
    chair = commission_user(uralsk.chair_id, Role.CHAIR)
    results.sign_protocol(session=session, principal=chair, protocol_id=done.protocol_id, now=at)
    results.publish_protocol(session=session, principal=chair, protocol_id=done.protocol_id, now=at)
    (result,) = results.contest_results(
        session=session, event_id=rep.event_id, contest_ids=[rep.contest_id]
    )
    assert (result.status, result.elected_id) == (ContestStatus.ELECTED, ids[0])
    (rep,) = repeat_elections.list_repeat_elections(session=session, event_id=event_id)
    assert rep.status == "elected"
    assert verify_log(session=session).is_ok
    # The read model names the post in three languages (the press release and pages show it).
    (shown,) = aftermath_view(
        session=session, event_id=event_id, visibility=Visibility.STAFF
    ).repeat_elections
    post = session.scalars(select(TerritoryRow).where(TerritoryRow.kato == shown.post_kato)).one()
    assert (shown.is_filled, shown.post_names) == (
        True,
        Names(post.name_kk, post.name_ru, post.name_en),
    )
    assert post.name_ru


def test_only_a_failed_contest_once_in_the_window_by_an_allowed_user(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    with pytest.raises(Refused, match="only a failed contest"):
        _call(session, opened.contests[1])  # voting, not failed
    contest = _tie(session, opened)
    with pytest.raises(Refused) as refused:
        _call(session, contest, date(2013, 8, 20))  # 11 days after the tie
    assert [p.code for p in refused.value.problems] == [
        "repeat_day_out_of_range",
        "called_too_late",
    ]
    observer = Principal(UserId(9), Role.OBSERVER)
    with pytest.raises(Refused) as refused:
        _call(session, contest, principal=observer)
    assert [p.code for p in refused.value.problems] == ["forbidden"]
    chair = commission_user(1, Role.CHAIR)  # a chair calls no repeat election
    with pytest.raises(Refused, match=r"may not election\.call-repeat"):
        _call(session, contest, principal=chair)
    elsewhere = Principal(UserId(8), Role.REGIONAL, scope="273400000")
    with pytest.raises(Refused) as refused:
        _call(session, contest, principal=elsewhere)
    assert [p.code for p in refused.value.problems] == ["out_of_scope"]
    regional = Principal(UserId(7), Role.REGIONAL, scope="270000000")
    _call(session, contest, principal=regional)
    with pytest.raises(Conflict):
        _call(session, contest)
    assert len(repeat_elections.list_repeat_elections(session=session)) == 1


def test_a_refusal_overturned_after_the_repeat_election_was_called_is_refused(
    session: Session, event_id: int
) -> None:
    """The failed contest's post already has its repeat contest: reinstating a candidate in the
    failed one would give the post two contests."""
    from saylau.domain.appeals import (
        AppealDecision,
        AppealOutcome,
        AppealSubject,
        AuthorityKind,
        NewAppeal,
    )
    from saylau.services import appeals

    contest = resolve.find_contest(session=session, event_id=event_id, ref=OTHER_POST_KATO)
    kept, refused_id = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(contest, 1), request(contest, 2)],
        on=date(2013, 7, 10),
    )
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=[kept], on=date(2013, 7, 22)
    )
    candidates.refuse(
        session=session,
        principal=CEC,
        nomination_id=refused_id,
        reason="late",
        on=date(2013, 7, 22),
    )
    _call(session, contest, on=date(2013, 7, 25))
    (appeal,) = appeals.file_appeals(
        session=session,
        principal=CEC,
        appeals=[
            NewAppeal(
                AppealSubject.REFUSAL,
                refused_id,
                "Candidate 02",
                date(2013, 7, 26),
                AuthorityKind.COURT,
                "Uralsk city court",
                "the papers were in time",
            )
        ],
        now=NOW,
    )
    decision = AppealDecision(appeal, AppealOutcome.UPHELD, "in time", date(2013, 7, 27))
    with pytest.raises(Refused) as refused:
        appeals.decide_appeals(session=session, principal=CEC, decisions=[decision], now=NOW)
    assert [p.code for p in refused.value.problems] == ["repeat_called"]
    assert appeals.get_appeal(session=session, appeal_id=appeal).outcome is None
