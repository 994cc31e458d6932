"""The sitting's life: late arrivals and departures, per-round electors and the protocol counts
the sitting fills in, adjournment, resumption and closing."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from election_fixtures import CEC, NOW, OpenSitting, Uralsk, counts, open_uralsk_sitting
from sqlalchemy.orm import Session

from saylau.domain.election import (
    SITTING_FIELDS,
    ProtocolId,
    ProtocolInput,
    ProtocolStatus,
    SittingId,
    SittingStatus,
)
from saylau.domain.structure import DeputyId
from saylau.services import attendance, protocols, sitting_life, sitting_protocols, sitting_view
from saylau.services.audit.verify import verify_log
from saylau.services.errors import InvalidInput, Refused
from saylau.services.protocols import ProtocolSubmission, SubmissionResult


@pytest.fixture
def opened(session: Session, uralsk: Uralsk, event_id: int) -> OpenSitting:
    return open_uralsk_sitting(session, uralsk, event_id, absent=2)  # 17 present of 19


def _votes(ids: list[int], numbers: tuple[int, ...]) -> dict[str, int]:
    return {str(i): n for i, n in zip(ids, numbers, strict=True)}


def _left_out(votes: dict[str, int], cast: int, *, received: int = 19) -> ProtocolInput:
    """A protocol file without members, present and ballots issued: the sitting's to fill."""
    return ProtocolInput(
        members=0,
        present=0,
        ballots_received=received,
        ballots_issued=0,
        ballots_cast=cast,
        ballots_unused=received - cast,
        votes=votes,
        from_sitting=frozenset(SITTING_FIELDS),
    )


def _submit(session: Session, contest: int, round_no: int, c: ProtocolInput) -> SubmissionResult:
    return protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, c),
        now=NOW + timedelta(hours=1),
    )


def _move(session: Session, sid: int, deputy: int, arrives: bool, minutes: int) -> None:
    attendance.record_movements(
        session=session,
        principal=CEC,
        movements=[
            attendance.Movement(
                SittingId(sid), DeputyId(deputy), arrives, NOW + timedelta(minutes=minutes)
            )
        ],
    )


def test_a_late_deputy_votes_from_the_next_round_and_the_sitting_fills_the_counts(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    sid, contest = opened.sitting_id, opened.contests[2]
    c = opened.candidates[contest]
    first = _submit(session, contest, 1, _left_out(_votes(c, (7, 6, 4)), 17))
    assert (first.status, first.next_round_no) == (ProtocolStatus.ACCEPTED, 2)
    _move(session, sid, uralsk.deputy_ids[0], True, 40)  # absent at opening
    second = _submit(session, contest, 2, _left_out(_votes(c[:2], (10, 8)), 18))
    assert second.status is ProtocolStatus.ACCEPTED
    assert second.decision is not None and second.decision.elected == str(c[0])
    view = sitting_view.show_sitting(session=session, sitting_id=SittingId(sid))
    assert (view.members, view.present, view.absent) == (19, 18, 1)
    rounds = [(r.contest_id, r.round_no, r.present, r.ballots_issued) for r in view.rounds]
    assert (contest, 1, 17, 17) in rounds and (contest, 2, 18, 18) in rounds
    assert [r.quorum_needed for r in view.rounds] == [10] * len(view.rounds)
    # A correction is held to its round's electors, fixed by the accepted protocol: a deputy
    # leaving afterwards changes nothing for round 2.
    _move(session, sid, uralsk.deputy_ids[7], False, 90)
    corrected = protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=second.protocol_id,
        counts=_left_out(_votes(c[:2], (11, 7)), 18),
        reason="recount",
        now=NOW + timedelta(hours=2),
    )
    assert corrected.status is ProtocolStatus.ACCEPTED
    shown = [v.counts for v in protocols_of(session, [corrected.protocol_id])]
    assert [(s["members"], s["present"], s["ballots_issued"]) for s in shown] == [(19, 18, 18)]
    assert verify_log(session=session).is_ok


def protocols_of(session: Session, ids: list[ProtocolId]):  # type: ignore[no-untyped-def]
    from saylau.services import results

    return [results.show_protocol(session=session, protocol_id=i) for i in ids]


def test_given_counts_must_agree_with_the_round_naming_both_numbers(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    sid, contest = opened.sitting_id, opened.contests[0]
    _move(session, sid, uralsk.deputy_ids[5], False, 20)  # leaves: 16 present
    c = opened.candidates[contest]
    stale = replace(counts(17, _votes(c, (12, 4, 1))), ballots_received=19, ballots_unused=2)
    done = _submit(session, contest, 1, stale)
    assert done.status is ProtocolStatus.REJECTED
    (v,) = [v for v in done.violations if v.code == "present_not_roll"]
    assert (v.field, dict(v.numbers)) == ("present", {"present": 17, "roll": 16})
    assert v.message == "present 17 ≠ deputies present at round 1 16"
    wrong_members = replace(counts(16, _votes(c, (12, 3, 1)), members=20), ballots_received=16)
    done = _submit(session, contest, 1, wrong_members)
    assert [v.code for v in done.violations] == ["members_not_roll"]
    assert dict(done.violations[0].numbers) == {"members": 20, "roll": 19}


def test_arrivals_and_departures_are_checked(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    sid = opened.sitting_id
    absent, present = uralsk.deputy_ids[0], uralsk.deputy_ids[5]
    cases = [
        (present, True, 10, "already_present"),
        (absent, False, 10, "not_present"),
        (absent, True, -10, "before_opening"),
    ]
    for deputy, arrives, minutes, code in cases:
        with pytest.raises(Refused) as refused:
            _move(session, sid, deputy, arrives, minutes)
        assert [p.code for p in refused.value.problems] == [code]
    _move(session, sid, present, False, 30)
    with pytest.raises(Refused) as refused:
        _move(session, sid, present, True, 20)  # before the departure it would end
    assert [p.code for p in refused.value.problems] == ["out_of_order"]
    _move(session, sid, present, True, 50)
    electors = {e.deputy_id: e for e in attendance.list_electors(session=session, sitting_id=sid)}
    assert electors[DeputyId(present)].present is True
    assert [arrived for _at, arrived in electors[DeputyId(present)].movements] == [False, True]
    assert electors[DeputyId(absent)].present is False
    assert verify_log(session=session).is_ok


def test_adjourned_no_vote_then_closed_once_every_round_is_decided(
    session: Session, uralsk: Uralsk, opened: OpenSitting
) -> None:
    sid = SittingId(opened.sitting_id)
    at = NOW + timedelta(hours=2)
    with pytest.raises(InvalidInput):
        sitting_life.adjourn_sitting(
            session=session, principal=CEC, sitting_id=sid, reason=" ", now=at
        )
    sitting_life.adjourn_sitting(
        session=session, principal=CEC, sitting_id=sid, reason="lunch break", now=at
    )
    contest = opened.contests[0]
    c = opened.candidates[contest]
    with pytest.raises(Refused) as refused:
        _submit(session, contest, 1, _left_out(_votes(c, (12, 4, 1)), 17))
    assert [p.code for p in refused.value.problems] == ["sitting_adjourned"]
    with pytest.raises(Refused) as refused:
        sitting_life.resume_sitting(
            session=session, principal=CEC, sitting_id=sid, now=at - timedelta(minutes=1)
        )
    assert [p.code for p in refused.value.problems] == ["out_of_order"]
    sitting_life.resume_sitting(
        session=session, principal=CEC, sitting_id=sid, now=at + timedelta(hours=1)
    )
    with pytest.raises(Refused) as refused:
        sitting_life.close_sitting(
            session=session, principal=CEC, sitting_id=sid, now=at + timedelta(hours=2)
        )
    assert [p.code for p in refused.value.problems] == ["round_open"] * 3
    for i, contest in enumerate(opened.contests):
        c = opened.candidates[contest]
        _submit(session, contest, 1, _left_out(_votes(c, (12 - i, 4, 1 + i)), 17))
    assert sitting_protocols.protocols_to_sign(session=session, sitting_id=sid) == [1, 2, 3]
    assert sitting_protocols.protocols_to_publish(session=session, sitting_id=sid) == [1, 2, 3]
    sitting_life.close_sitting(
        session=session, principal=CEC, sitting_id=sid, now=at + timedelta(hours=2)
    )
    view = sitting_view.show_sitting(session=session, sitting_id=sid)
    assert view.status is SittingStatus.CLOSED
    assert view.closed_at == at + timedelta(hours=2)
    assert [(a.reason, a.resumed_at) for a in view.adjournments] == [
        ("lunch break", at + timedelta(hours=1))
    ]
    with pytest.raises(Refused) as refused:
        _move(session, sid, uralsk.deputy_ids[0], True, 300)
    assert [p.code for p in refused.value.problems] == ["sitting_not_open"]
    with pytest.raises(Refused) as refused:
        sitting_life.adjourn_sitting(
            session=session, principal=CEC, sitting_id=sid, reason="again", now=at
        )
    assert [p.code for p in refused.value.problems] == ["sitting_closed"]
    assert verify_log(session=session).is_ok


def test_a_step_refused_by_the_sittings_status_is_told_in_each_language(
    session: Session, opened: OpenSitting
) -> None:
    """The refusal names the sitting, so kk and ru say what the status forbids (not the roll's
    sentence that `sitting_open` also has, for attendance without numbers)."""
    from saylau.i18n.problems import problem_message

    sid = opened.sitting_id
    with pytest.raises(Refused) as refused:
        sitting_life.resume_sitting(session=session, principal=CEC, sitting_id=sid, now=NOW)
    (problem,) = refused.value.problems
    assert (problem.code, dict(problem.numbers)) == ("sitting_open", {"sitting": sid})
    assert problem_message(problem, "ru") == (
        f"собрание {sid} открыто: перерыва, который можно завершить, нет"
    )
    assert problem_message(problem, "kk") == f"{sid} жиналысы ашық: аяқталатын үзіліс жоқ"
    assert problem_message(problem, "en") == problem.message
