"""Appeals: filing with the deadline from rule data, each decision's effect carried out
through the services, overdue listing, permissions."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from election_fixtures import (
    CEC,
    NOW,
    POST_KATOS,
    OpenSitting,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
    request,
)
from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.election import ContestRow, NominationRow, ProtocolRow, RoundRow
from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.appeals import (
    AppealDecision,
    AppealId,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    NewAppeal,
)
from saylau.domain.election import CandidateStatus, ContestStatus, ProtocolStatus, RoundStatus
from saylau.services import appeals, candidates, protocols, resolve
from saylau.services.audit.verify import verify_log
from saylau.services.errors import InvalidInput, Refused
from saylau.services.protocols import ProtocolSubmission

LATER = datetime(2013, 8, 10, 9, 0, tzinfo=UTC)
REGIONAL = Principal(UserId(7), Role.REGIONAL, scope="270000000")


def _appeal(subject: AppealSubject, object_id: int, filed_on: date, **kw: str) -> NewAppeal:
    return NewAppeal(
        subject=subject,
        object_id=object_id,
        appellant=kw.get("appellant", "Candidate 01"),
        filed_on=filed_on,
        authority_kind=AuthorityKind.COMMISSION,
        authority="West Kazakhstan regional election commission",
        grounds=kw.get("grounds", "the documents were complete"),
    )


def _file(session: Session, *items: NewAppeal, principal: Principal = CEC) -> list[int]:
    return list(appeals.file_appeals(session=session, principal=principal, appeals=items, now=NOW))


def _decide(
    session: Session,
    appeal_id: int,
    outcome: AppealOutcome,
    on: date,
    principal: Principal = REGIONAL,
) -> str | None:
    return appeals.decide_appeal(
        session=session,
        principal=principal,
        decision=AppealDecision(appeal_id, outcome, "examined at the commission's meeting", on),
        now=LATER,
    )


def _nominations(session: Session, event_id: int, n: int) -> list[int]:
    contest = resolve.find_contest(session=session, event_id=event_id, ref=POST_KATOS[0])
    return list(
        candidates.nominate_many(
            session=session,
            principal=CEC,
            requests=[request(contest, k) for k in range(1, n + 1)],
            on=date(2013, 7, 10),
        )
    )


def _status(session: Session, nomination_id: int) -> tuple[str, str | None]:
    session.expire_all()
    row = session.get_one(NominationRow, nomination_id)
    return row.status, row.refusal_reason


def test_the_deadline_is_five_days_or_at_once_from_the_voting_day(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    a, _b = _nominations(session, event_id, 2)
    candidates.refuse(
        session=session, principal=CEC, nomination_id=a, reason="late", on=date(2013, 7, 20)
    )
    ids = _file(
        session,
        _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21)),
        _appeal(AppealSubject.REFUSAL, a, date(2013, 8, 4)),  # five days before 9 August
        _appeal(AppealSubject.REFUSAL, a, date(2013, 8, 5)),  # four days before: at once
    )
    found = appeals.list_appeals(session=session, event_id=event_id)
    assert [(f.id, f.deadline, f.is_at_once, f.voting_day) for f in found] == [
        (ids[0], date(2013, 7, 26), False, date(2013, 8, 9)),
        (ids[1], date(2013, 8, 9), False, date(2013, 8, 9)),
        (ids[2], date(2013, 8, 5), True, date(2013, 8, 9)),
    ]
    assert found[0].contest_id == session.get_one(NominationRow, a).contest_id


def test_a_bad_batch_lists_every_problem_and_stores_nothing(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    (a,) = _nominations(session, event_id, 1)
    with pytest.raises(InvalidInput) as refused:
        _file(
            session,
            _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21)),  # a is nominated, not refused
            _appeal(AppealSubject.REGISTRATION, a, date(2013, 7, 21), appellant=" "),
            _appeal(AppealSubject.PROTOCOL, 999, date(2013, 8, 10)),
        )
    assert [(p.code, p.where) for p in refused.value.problems] == [
        ("wrong_subject", "appeals[0].subject"),
        ("empty_field", "appeals[1].appellant"),
        ("wrong_subject", "appeals[1].subject"),
        ("not_found", "appeals[2]"),
    ]
    assert appeals.list_appeals(session=session) == []


def test_texts_with_control_characters_or_too_long_are_refused(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    (a,) = _nominations(session, event_id, 1)
    candidates.refuse(
        session=session, principal=CEC, nomination_id=a, reason="late", on=date(2013, 7, 20)
    )
    with pytest.raises(InvalidInput) as refused:
        _file(
            session,
            _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21), appellant="Candidate\x0001"),
            _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21), grounds="x" * 2001),
            _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21), grounds="x" * 2000),
        )
    assert [(p.code, p.where, p.message) for p in refused.value.problems] == [
        ("bad_text", "appeals[0].appellant", "appellant: contains the control character U+0000"),
        ("bad_text", "appeals[1].grounds", "grounds: 2,001 characters; at most 2000"),
    ]
    assert appeals.list_appeals(session=session) == []
    (filed,) = _file(session, _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21)))
    with pytest.raises(Refused) as bad_reason:
        appeals.decide_appeal(
            session=session,
            principal=REGIONAL,
            decision=AppealDecision(
                AppealId(filed), AppealOutcome.REJECTED, "no\x07", date(2013, 7, 22)
            ),
            now=LATER,
        )
    assert [(p.code, p.where) for p in bad_reason.value.problems] == [
        ("bad_text", "decisions[0].reason")
    ]


def test_an_upheld_appeal_against_a_refusal_reinstates_the_registration(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    a, b = _nominations(session, event_id, 2)
    candidates.refuse(
        session=session, principal=CEC, nomination_id=a, reason="late", on=date(2013, 7, 20)
    )
    candidates.register(session=session, principal=CEC, nomination_id=b, on=date(2013, 7, 20))
    up, against_b, rejected = _file(
        session,
        _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21)),
        _appeal(AppealSubject.REGISTRATION, b, date(2013, 7, 21), appellant="Candidate 01"),
        _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21), appellant="Someone else"),
    )
    assert _decide(session, rejected, AppealOutcome.REJECTED, date(2013, 7, 23)) is None
    assert _status(session, a) == (CandidateStatus.REFUSED, "late")
    effect = _decide(session, up, AppealOutcome.UPHELD, date(2013, 7, 24))
    assert effect == "registration_reinstated"
    assert _status(session, a) == (CandidateStatus.REGISTERED, None)
    effect = _decide(session, against_b, AppealOutcome.UPHELD, date(2013, 7, 24))
    assert effect == "registration_cancelled"
    status, reason = _status(session, b)
    assert status == CandidateStatus.REFUSED
    assert (
        reason
        == f"registration cancelled on appeal {against_b}: examined at the commission's meeting"
    )
    with pytest.raises(Refused) as again:
        _decide(session, up, AppealOutcome.REJECTED, date(2013, 7, 25))
    assert [p.code for p in again.value.problems] == ["already_decided"]
    decided = {f.id: (f.outcome, f.effect) for f in appeals.list_appeals(session=session)}
    assert decided == {
        up: (AppealOutcome.UPHELD, "registration_reinstated"),
        against_b: (AppealOutcome.UPHELD, "registration_cancelled"),
        rejected: (AppealOutcome.REJECTED, None),
    }
    assert verify_log(session=session).is_ok


def test_an_upheld_appeal_against_a_protocol_annuls_it_and_the_round_is_voted_again(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    opened: OpenSitting = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    contest = opened.contests[0]
    c = [str(n) for n in opened.candidates[contest]]
    first = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 1, counts(17, {c[0]: 7, c[1]: 6, c[2]: 4})),
        now=NOW,
    )
    assert first.next_round_no == 2
    (appeal,) = _file(session, _appeal(AppealSubject.PROTOCOL, first.protocol_id, date(2013, 8, 9)))
    assert appeals.get_appeal(session=session, appeal_id=appeal).is_at_once
    effect = _decide(session, appeal, AppealOutcome.UPHELD, date(2013, 8, 9))
    assert effect == "protocol_annulled"
    session.expire_all()
    assert session.get_one(ProtocolRow, first.protocol_id).status == ProtocolStatus.ANNULLED
    rounds = {
        r.round_no: (r.status, r.decision)
        for r in session.scalars(select(RoundRow).where(RoundRow.contest_id == contest))
    }
    assert rounds == {1: (RoundStatus.OPEN, None), 2: (RoundStatus.CANCELLED, None)}
    assert session.get_one(ContestRow, contest).status == ContestStatus.VOTING
    again = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 1, counts(17, {c[0]: 10, c[1]: 5, c[2]: 2})),
        now=LATER,
    )
    assert (again.version, again.status, again.decision.kind if again.decision else None) == (
        2,
        ProtocolStatus.ACCEPTED,
        "elected",
    )
    session.expire_all()
    assert session.get_one(ContestRow, contest).elected_nomination_id == int(c[0])
    assert verify_log(session=session).is_ok


def test_a_protocol_whose_next_round_has_voted_is_not_annulled_first(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    contest = opened.contests[0]
    c = [str(n) for n in opened.candidates[contest]]
    first = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 1, counts(17, {c[0]: 7, c[1]: 6, c[2]: 4})),
        now=NOW,
    )
    protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 2, counts(17, {c[0]: 9, c[1]: 8})),
        now=NOW,
    )
    (appeal,) = _file(session, _appeal(AppealSubject.PROTOCOL, first.protocol_id, date(2013, 8, 9)))
    with pytest.raises(Refused, match=r"round 2 of contest \d+ has an accepted protocol"):
        _decide(session, appeal, AppealOutcome.UPHELD, date(2013, 8, 9))
    assert appeals.get_appeal(session=session, appeal_id=appeal).outcome is None
    session.expire_all()
    assert session.get_one(ProtocolRow, first.protocol_id).status == ProtocolStatus.ACCEPTED


def test_overdue_appeals_are_listed_from_the_day_after_their_deadline(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    (a,) = _nominations(session, event_id, 1)
    candidates.refuse(
        session=session, principal=CEC, nomination_id=a, reason="late", on=date(2013, 7, 20)
    )
    early, late, decided = _file(
        session,
        _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21)),  # deadline 26 July
        _appeal(AppealSubject.REFUSAL, a, date(2013, 8, 6)),  # at once: 6 August
        _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21)),
    )
    _decide(session, decided, AppealOutcome.LEFT_WITHOUT_CONSIDERATION, date(2013, 7, 30))

    def overdue(on: date) -> list[int]:
        return [f.id for f in appeals.list_appeals(session=session, overdue_on=on)]

    assert overdue(date(2013, 7, 26)) == []
    assert overdue(date(2013, 7, 27)) == [early]
    assert overdue(date(2013, 8, 6)) == [early]
    assert overdue(date(2013, 8, 7)) == [early, late]


def test_who_may_file_and_decide(session: Session, uralsk: Uralsk, event_id: int) -> None:
    (a,) = _nominations(session, event_id, 1)
    candidates.refuse(
        session=session, principal=CEC, nomination_id=a, reason="late", on=date(2013, 7, 20)
    )
    item = _appeal(AppealSubject.REFUSAL, a, date(2013, 7, 21))
    observer = Principal(UserId(9), Role.OBSERVER)
    with pytest.raises(Refused, match=r"may not appeal\.file"):
        _file(session, item, principal=observer)
    elsewhere = commission_user(1, Role.CHAIR, scope="273400000")
    with pytest.raises(Refused) as refused:
        _file(session, item, principal=elsewhere)
    assert [p.code for p in refused.value.problems] == ["out_of_scope"]
    chair = commission_user(uralsk.chair_id, Role.CHAIR)
    (appeal,) = _file(session, item, principal=chair)
    for who in (observer, chair):
        with pytest.raises(Refused, match=r"may not appeal\.decide"):
            _decide(session, appeal, AppealOutcome.UPHELD, date(2013, 7, 22), principal=who)
    other_region = Principal(UserId(6), Role.REGIONAL, scope="273400000")
    with pytest.raises(Refused) as refused:
        _decide(session, appeal, AppealOutcome.UPHELD, date(2013, 7, 22), principal=other_region)
    assert [p.code for p in refused.value.problems] == ["out_of_scope"]
    assert _decide(session, appeal, AppealOutcome.UPHELD, date(2013, 7, 22)) == (
        "registration_reinstated"
    )
