"""Round protocols: accepted and decided, rejected drafts, repeat voting, failure, corrections."""

from __future__ import annotations

import pytest
from election_fixtures import CEC, NOW, OpenSitting, Uralsk, counts, open_uralsk_sitting
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.election import RoundRow
from saylau.domain.election import ContestStatus, ProtocolStatus, RoundStatus
from saylau.services import audit, protocols, results
from saylau.services.errors import Conflict, InvalidInput, Refused
from saylau.services.protocols import ProtocolSubmission


@pytest.fixture
def opened(session: Session, uralsk: Uralsk, event_id: int) -> OpenSitting:
    return open_uralsk_sitting(session, uralsk, event_id, absent=2)  # 17 present of 19


def _votes(ids: list[int], numbers: tuple[int, ...]) -> dict[str, int]:
    return {str(i): n for i, n in zip(ids, numbers, strict=True)}


def _submit(session: Session, contest: int, round_no: int, votes: dict[str, int], **kw: int):  # type: ignore[no-untyped-def]
    return protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counts(17, votes, **kw)),
        now=NOW,
    )


def _correct(session: Session, protocol_id: int, votes: dict[str, int], reason: str):  # type: ignore[no-untyped-def]
    return protocols.correct_protocol(
        session=session,
        principal=CEC,
        protocol_id=protocol_id,
        counts=counts(17, votes),
        reason=reason,
        now=NOW,
    )


def _result(session: Session, event_id: int, contest: int) -> results.ContestResult:
    (found,) = results.contest_results(session=session, event_id=event_id, contest_ids=[contest])
    return found


def _round(session: Session, contest: int, round_no: int) -> RoundRow:
    session.expire_all()
    row = session.scalar(
        select(RoundRow).where(RoundRow.contest_id == contest, RoundRow.round_no == round_no)
    )
    assert row is not None
    return row


def test_majority_in_round_one_elects(session: Session, event_id: int, opened: OpenSitting) -> None:
    contest = opened.contests[0]
    a = opened.candidates[contest]
    done = _submit(session, contest, 1, _votes(a, (10, 5, 2)))
    assert (done.status, done.version, done.next_round_no) == (ProtocolStatus.ACCEPTED, 1, None)
    assert done.decision is not None
    assert (done.decision.kind, done.decision.votes_needed) == ("elected", 9)
    result = _result(session, event_id, contest)
    assert (result.status, result.elected_id, result.elected_name) == (
        ContestStatus.ELECTED,
        a[0],
        "Candidate 01",
    )
    assert (result.decided_round, result.protocol_version, result.is_signed) == (1, 1, False)
    assert _round(session, contest, 1).status == RoundStatus.DECIDED


def test_no_majority_opens_repeat_voting_between_the_top_two(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[1]
    b = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(b, (7, 6, 4)))
    assert first.next_round_no == 2
    assert _round(session, contest, 2).standing == b[:2]
    assert _result(session, event_id, contest).status is ContestStatus.VOTING
    # A vote for the third, who no longer stands, is a rejected draft.
    draft = _submit(session, contest, 2, _votes(b, (8, 6, 3)))
    assert draft.status is ProtocolStatus.REJECTED
    assert [v.code for v in draft.violations] == ["not_standing"]
    second = _submit(session, contest, 2, _votes(b[:2], (9, 8)))
    assert (second.status, second.version) == (ProtocolStatus.ACCEPTED, 2)
    result = _result(session, event_id, contest)
    assert (result.status, result.elected_id, result.decided_round) == (
        ContestStatus.ELECTED,
        b[0],
        2,
    )


def test_a_tie_in_repeat_voting_marks_the_contest_for_a_repeat_election(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[2]
    c = opened.candidates[contest]
    _submit(session, contest, 1, _votes(c, (8, 8, 1)))
    done = _submit(session, contest, 2, _votes(c[:2], (8, 8)), blank=1)
    assert done.decision is not None
    assert (done.decision.kind, done.decision.reason) == ("failed", "tie")
    result = _result(session, event_id, contest)
    assert (result.status, result.failure_reason, result.elected_id) == (
        ContestStatus.REPEAT_ELECTION,
        "tie",
        None,
    )


def test_a_protocol_that_breaks_a_relation_is_kept_as_a_rejected_draft(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[0]
    a = opened.candidates[contest]
    # 17 cast but 10 + 5 + 1 = 16 votes; and present 16 is not the roll's 17.
    bad = counts(17, _votes(a, (10, 5, 1)))
    bad = type(bad)(**{**bad.__dict__, "present": 16})
    draft = protocols.submit_protocol(
        session=session, principal=CEC, submission=ProtocolSubmission(contest, 1, bad), now=NOW
    )
    assert draft.status is ProtocolStatus.REJECTED
    assert {v.code for v in draft.violations} == {
        "issued_not_present",
        "cast_not_sum",
        "present_not_roll",
    }
    stored = results.show_protocol(session=session, protocol_id=draft.protocol_id)
    assert stored.status is ProtocolStatus.REJECTED
    assert {v["code"] for v in stored.violations} == {
        "issued_not_present",
        "cast_not_sum",
        "present_not_roll",
    }
    assert dict((n, v) for n, _name, v in stored.votes) == {a[0]: 10, a[1]: 5, a[2]: 1}
    assert _round(session, contest, 1).status == RoundStatus.OPEN
    fixed = _submit(session, contest, 1, _votes(a, (10, 5, 2)))
    assert (fixed.status, fixed.version) == (ProtocolStatus.ACCEPTED, 2)
    versions = results.protocol_versions(session=session, contest_id=contest, round_no=1)
    assert [(p.version, p.status) for p in versions] == [
        (1, ProtocolStatus.REJECTED),
        (2, ProtocolStatus.ACCEPTED),
    ]


def test_a_second_submission_of_a_decided_round_is_a_conflict(
    session: Session, opened: OpenSitting
) -> None:
    contest = opened.contests[0]
    a = opened.candidates[contest]
    _submit(session, contest, 1, _votes(a, (10, 5, 2)))
    with pytest.raises(Conflict) as conflict:
        _submit(session, contest, 1, _votes(a, (10, 5, 2)))
    assert "correction" in conflict.value.message


def test_votes_may_name_candidates_and_unknown_names_are_refused(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[0]
    with pytest.raises(InvalidInput):
        _submit(session, contest, 1, {"Nobody": 17})
    done = _submit(session, contest, 1, {"Candidate 01": 10, "Candidate 02": 7})
    assert done.status is ProtocolStatus.ACCEPTED
    assert _result(session, event_id, contest).elected_name == "Candidate 01"


def test_batch_submission_decides_each_contest(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    a, b, c = (opened.candidates[k] for k in opened.contests)
    done = protocols.submit_protocols(
        session=session,
        principal=CEC,
        submissions=[
            ProtocolSubmission(opened.contests[0], 1, counts(17, _votes(a, (10, 5, 2)))),
            ProtocolSubmission(opened.contests[1], 1, counts(17, _votes(b, (7, 6, 4)))),
            ProtocolSubmission(opened.contests[2], 1, counts(17, _votes(c, (8, 8, 2)))),
        ],
        now=NOW,
    )
    assert [d.status for d in done] == [
        ProtocolStatus.ACCEPTED,
        ProtocolStatus.ACCEPTED,
        ProtocolStatus.REJECTED,
    ]
    assert [d.next_round_no for d in done] == [None, 2, None]
    assert audit.verify_log(session).is_ok


def test_correction_is_a_new_version_and_can_change_the_result(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[0]
    a = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(a, (10, 5, 2)))
    with pytest.raises(InvalidInput):
        _correct(session, first.protocol_id, _votes(a, (5, 10, 2)), " ")
    fixed = _correct(
        session, first.protocol_id, _votes(a, (5, 10, 2)), "tally sheets of 1 and 2 swapped"
    )
    assert (fixed.status, fixed.version) == (ProtocolStatus.ACCEPTED, 2)
    old = results.show_protocol(session=session, protocol_id=first.protocol_id)
    assert old.status is ProtocolStatus.SUPERSEDED
    assert dict((n, v) for n, _name, v in old.votes)[a[0]] == 10  # still readable
    new = results.show_protocol(session=session, protocol_id=fixed.protocol_id)
    assert new.correction_reason == "tally sheets of 1 and 2 swapped"
    assert _result(session, event_id, contest).elected_id == a[1]
    with pytest.raises(Conflict):
        _correct(session, first.protocol_id, _votes(a, (10, 5, 2)), "again")
    assert audit.verify_log(session).is_ok


def test_correction_that_decides_round_one_cancels_the_unused_repeat_voting(
    session: Session, event_id: int, opened: OpenSitting
) -> None:
    contest = opened.contests[1]
    b = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(b, (7, 6, 4)))
    fixed = _correct(session, first.protocol_id, _votes(b, (9, 6, 2)), "recount")
    assert fixed.next_round_no is None
    assert _round(session, contest, 2).status == RoundStatus.CANCELLED
    assert _result(session, event_id, contest).status is ContestStatus.ELECTED
    with pytest.raises(Refused):
        _submit(session, contest, 2, _votes(b[:2], (9, 8)))
    # Back to repeat voting: the cancelled round is opened again.
    again = _correct(session, fixed.protocol_id, _votes(b, (7, 6, 4)), "second recount")
    assert again.next_round_no == 2
    assert _round(session, contest, 2).status == RoundStatus.OPEN
    assert _result(session, event_id, contest).status is ContestStatus.VOTING


def test_correction_is_refused_once_the_repeat_voting_has_a_protocol(
    session: Session, opened: OpenSitting
) -> None:
    contest = opened.contests[1]
    b = opened.candidates[contest]
    first = _submit(session, contest, 1, _votes(b, (7, 6, 4)))
    _submit(session, contest, 2, _votes(b[:2], (9, 8)))
    with pytest.raises(Refused) as refused:
        _correct(session, first.protocol_id, _votes(b, (9, 6, 2)), "recount")
    assert "round 2" in refused.value.message
    assert _round(session, contest, 2).status == RoundStatus.DECIDED
