"""The appeals and repeat-elections read model: counts by outcome, overdue on a day, repeat
elections seen (public only once the failed vote's protocol is published) and filled (public
only once the winner's protocol is published)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from election_fixtures import (
    CEC,
    NOW,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
    request,
)
from sqlalchemy.orm import Session

from saylau.domain.accounts import Role
from saylau.domain.appeals import (
    AppealDecision,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    NewAppeal,
    RepeatReason,
)
from saylau.services import appeals, attendance, candidates, protocols, repeat_elections, results
from saylau.services import sittings as sitting_service
from saylau.services.protocols import ProtocolSubmission
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.values import Visibility

AT = datetime(2013, 8, 28, 10, 0, tzinfo=UTC)


def test_appeal_counts_and_repeat_elections(
    session: Session, uralsk: Uralsk, event_id: int
) -> None:
    opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    contest = opened.contests[2]
    c = [str(n) for n in opened.candidates[contest]]
    for round_no, votes, blank in ((1, {c[0]: 8, c[1]: 8, c[2]: 1}, 0), (2, {c[0]: 8, c[1]: 8}, 1)):
        done = protocols.submit_protocol(
            session=session,
            principal=CEC,
            submission=ProtocolSubmission(contest, round_no, counts(17, votes, blank=blank)),
            now=NOW,
        )
    filed = appeals.file_appeals(
        session=session,
        principal=CEC,
        appeals=[
            NewAppeal(
                AppealSubject.PROTOCOL,
                done.protocol_id,
                f"Candidate {n:02d}",
                date(2013, 8, d),
                AuthorityKind.COURT,
                "Uralsk city court",
                "recount",
            )
            for n, d in ((1, 9), (2, 10), (3, 10), (4, 11))
        ],
        now=NOW,
    )
    appeals.decide_appeals(
        session=session,
        principal=CEC,
        decisions=[
            AppealDecision(filed[0], AppealOutcome.REJECTED, "no grounds", date(2013, 8, 9)),
            AppealDecision(
                filed[1], AppealOutcome.LEFT_WITHOUT_CONSIDERATION, "late", date(2013, 8, 12)
            ),
        ],
        now=NOW,
    )
    repeat_elections.call_repeat_election(
        session=session,
        principal=CEC,
        contest_id=contest,
        voting_day=date(2013, 8, 28),
        on=date(2013, 8, 12),
        now=NOW,
    )

    # The public learns of the failure, and so of its repeat election, from the published
    # protocol of the tied round; staff see the repeat election at once.
    def repeats(visibility: Visibility) -> list[int]:
        view = aftermath_view(session=session, event_id=event_id, visibility=visibility)
        return [r.failed_contest_id for r in view.repeat_elections]

    assert (repeats(Visibility.STAFF), repeats(Visibility.PUBLIC)) == ([contest], [])
    chair = commission_user(uralsk.chair_id, Role.CHAIR)
    tied = done.protocol_id
    results.sign_protocol(session=session, principal=chair, protocol_id=tied, now=NOW)
    results.publish_protocol(session=session, principal=chair, protocol_id=tied, now=NOW)
    assert (repeats(Visibility.STAFF), repeats(Visibility.PUBLIC)) == ([contest], [contest])
    view = aftermath_view(
        session=session, event_id=event_id, visibility=Visibility.PUBLIC, on=date(2013, 8, 16)
    )
    a = view.appeals
    assert (a.filed, a.pending, a.overdue, a.at_once) == (4, 2, 1, 1)  # 10 Aug: due 15 Aug
    assert dict(a.decided) == {
        AppealOutcome.UPHELD: 0,
        AppealOutcome.REJECTED: 1,
        AppealOutcome.LEFT_WITHOUT_CONSIDERATION: 1,
    }
    (rep,) = view.repeat_elections
    assert (rep.post_kato, rep.reason, rep.is_filled, view.filled_by_repeat) == (
        "271037000",
        RepeatReason.TIE,
        False,
        0,
    )
    # The repeat election elects; the public sees it filled once the protocol is published.
    ids = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(rep.contest_id, n) for n in (40, 41)],
        on=date(2013, 8, 15),
    )
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=ids, on=date(2013, 8, 22)
    )
    (sitting,) = sitting_service.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[
            sitting_service.SittingRequest(
                rep.event_id, uralsk.council_id, date(2013, 8, 28), (rep.contest_id,)
            )
        ],
    )
    roll = dict.fromkeys(uralsk.deputy_ids, True)
    attendance.record_attendance(session=session, principal=CEC, sitting_id=sitting, roll=roll)
    sitting_service.open_sitting(session=session, principal=CEC, sitting_id=sitting, now=AT)
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(
            rep.contest_id, 1, counts(19, {str(ids[0]): 12, str(ids[1]): 7})
        ),
        now=AT,
    )

    def filled(visibility: Visibility) -> int:
        return aftermath_view(
            session=session, event_id=event_id, visibility=visibility
        ).filled_by_repeat

    assert (filled(Visibility.STAFF), filled(Visibility.PUBLIC)) == (1, 0)
    results.sign_protocol(session=session, principal=chair, protocol_id=done.protocol_id, now=AT)
    results.publish_protocol(session=session, principal=chair, protocol_id=done.protocol_id, now=AT)
    assert (filled(Visibility.STAFF), filled(Visibility.PUBLIC)) == (1, 1)
