"""Meetings of electors: scheduling, attendance, quorum, opening round 1."""

from __future__ import annotations

from datetime import date

import pytest
from election_fixtures import (
    CEC,
    NOW,
    OTHER_POST_KATO,
    POST_KATOS,
    REGION_DAY,
    URALSK_DAY,
    Uralsk,
    open_uralsk_sitting,
    register_candidates,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables import Base
from saylau.db.tables.election import RoundRow
from saylau.domain.election import ContestStatus, RoundStatus, SittingStatus
from saylau.services import attendance, resolve, results, sitting_view, sittings
from saylau.services.errors import Refused
from saylau.services.sittings import SittingRequest


def _contests(session: Session, event_id: int) -> list[int]:
    return [resolve.find_contest(session=session, event_id=event_id, ref=k) for k in POST_KATOS]


def test_open_sitting_issues_one_ballot_per_present_deputy_per_contest(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    view = sitting_view.show_sitting(session=session, sitting_id=opened.sitting_id)
    assert view.status is SittingStatus.OPEN
    assert (view.members, view.present, view.absent, view.unrecorded) == (19, 17, 2, 0)
    assert view.quorum_needed == 10  # more than half of 19
    assert view.contests == tuple((c, 17) for c in opened.contests)
    rounds = session.scalars(select(RoundRow).order_by(RoundRow.contest_id)).all()
    assert [(r.contest_id, r.round_no, r.status, r.standing) for r in rounds] == [
        (c, 1, RoundStatus.OPEN, opened.candidates[c]) for c in opened.contests
    ]
    statuses = {
        r.status
        for r in results.contest_results(session=session, event_id=event_id)
        if r.contest_id in opened.contests
    }
    assert statuses == {ContestStatus.VOTING}


def test_no_quorum_refuses_to_open(session: Session, uralsk: Uralsk, event_id: int) -> None:
    with pytest.raises(Refused) as refused:
        open_uralsk_sitting(session, uralsk, event_id, absent=10)  # 9 of 19 present
    (problem,) = refused.value.problems
    assert problem.code == "no_quorum"
    assert problem.numbers == {"present": 9, "members": 19, "quorum": 10}
    (sitting,) = [sitting_view.show_sitting(session=session, sitting_id=1)]
    assert sitting.status is SittingStatus.SCHEDULED


def test_opening_needs_a_full_roll_and_enough_candidates(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    first, second, _third = _contests(session, event_id)
    register_candidates(session, first, range(1, 3))
    register_candidates(session, second, range(3, 4))  # one registered: fewer than two
    (sid,) = sittings.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[SittingRequest(event_id, uralsk.council_id, URALSK_DAY, (first, second))],
    )
    attendance.record_attendance(
        session=session,
        principal=CEC,
        sitting_id=sid,
        roll={d: True for d in uralsk.deputy_ids[:18]},
    )
    with pytest.raises(Refused) as refused:
        sittings.open_sitting(session=session, principal=CEC, sitting_id=sid, now=NOW)
    found = {p.code: p for p in refused.value.problems}
    assert set(found) == {"roll_incomplete", "too_few_candidates"}
    assert found["roll_incomplete"].numbers == {"unrecorded": 1}
    assert "Deputy 19" in found["roll_incomplete"].message
    assert found["too_few_candidates"].numbers == {"registered": 1, "min_candidates": 2}
    assert session.scalars(select(RoundRow)).all() == []


def test_schedule_refuses_wrong_day_other_council_and_double_booking(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    first, second, _third = _contests(session, event_id)
    other = resolve.find_contest(session=session, event_id=event_id, ref=OTHER_POST_KATO)
    with pytest.raises(Refused) as refused:
        sittings.schedule_sittings(
            session=session,
            principal=CEC,
            requests=[SittingRequest(event_id, uralsk.council_id, REGION_DAY, (first, other))],
        )
    codes = sorted(p.code for p in refused.value.problems)
    # Derkul votes on Uralsk's day, not the region's; Akzhaik is Terekti's council's contest.
    assert codes == ["not_voting_day", "other_council"]
    sittings.schedule_sitting(
        session=session,
        principal=CEC,
        request=SittingRequest(event_id, uralsk.council_id, URALSK_DAY, (first,)),
    )
    with pytest.raises(Refused) as refused:
        sittings.schedule_sitting(
            session=session,
            principal=CEC,
            request=SittingRequest(event_id, uralsk.council_id, URALSK_DAY, (first, second)),
        )
    assert [p.code for p in refused.value.problems] == ["already_scheduled"]


def test_attendance_only_for_the_councils_deputies_and_before_opening(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    opened = open_uralsk_sitting(session, uralsk, event_id)
    with pytest.raises(Refused) as refused:
        attendance.record_attendance(
            session=session,
            principal=CEC,
            sitting_id=opened.sitting_id,
            roll={uralsk.deputy_ids[0]: True},
        )
    assert [p.code for p in refused.value.problems] == ["sitting_open"]
    (sid,) = sittings.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[
            SittingRequest(
                event_id,
                uralsk.other_council_id,
                REGION_DAY,
                (resolve.find_contest(session=session, event_id=event_id, ref=OTHER_POST_KATO),),
            )
        ],
    )
    with pytest.raises(Refused) as refused:
        attendance.record_attendance(
            session=session, principal=CEC, sitting_id=sid, roll={uralsk.deputy_ids[0]: True}
        )
    assert [p.code for p in refused.value.problems] == ["not_elector"]


def test_a_deputy_whose_mandate_ended_is_not_an_elector(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    from sqlalchemy import update

    from saylau.db.tables.structure import DeputyRow

    session.execute(
        update(DeputyRow)
        .where(DeputyRow.id == uralsk.deputy_ids[0])
        .values(mandate_end=date(2013, 6, 30))
    )
    session.commit()
    first = _contests(session, event_id)[0]
    (sid,) = sittings.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[SittingRequest(event_id, uralsk.council_id, URALSK_DAY, (first,))],
    )
    electors = attendance.list_electors(session=session, sitting_id=sid)
    assert len(electors) == 18
    assert uralsk.deputy_ids[0] not in {e.deputy_id for e in electors}


def test_no_table_links_a_deputy_to_a_vote() -> None:
    """Ballot secrecy: the tables that hold votes have no deputy column, and the table that
    names deputies holds no vote."""
    vote_tables = {"protocol", "protocol_vote", "round"}
    assert vote_tables <= {t.name for t in Base.metadata.sorted_tables}  # else it checks nothing
    for table in Base.metadata.sorted_tables:
        columns = {c.name for c in table.columns}
        if table.name in vote_tables:
            assert not any("deputy" in c for c in columns), table.name
        if "deputy_id" in columns:
            assert not columns & {"votes", "vote", "nomination_id", "ballot"}, table.name
