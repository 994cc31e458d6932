"""A small election held through the services (Uralsk, 9 August 2013), with every case open
data must carry: a contest elected in round 1 (A: 10-5-2), one elected by one vote after
repeat voting (B: 7-6-4, then 9-8), one tied twice (C: 8-8-1, then 8-8 with a blank ballot)
whose repeat election on 28 August elects (12-7), a contest not voted yet (Terekti), a
withdrawn and a refused nomination, and two appeals. Every protocol is signed and published
except B's round 2, which is signed only (so B reads, in public, as in repeat voting)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from election_fixtures import (
    CEC,
    NOMINATION_DAY,
    NOW,
    REGISTRATION_DAY,
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
)
from saylau.domain.election import ProtocolInput
from saylau.services import (
    appeals,
    attendance,
    candidates,
    protocols,
    repeat_elections,
    resolve,
    results,
)
from saylau.services import sittings as sitting_service
from saylau.services.protocols import ProtocolSubmission

REPEAT_DAY = date(2013, 8, 28)
AT = datetime(2013, 8, 28, 10, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Held:
    event_id: int
    repeat_event_id: int
    contests: tuple[int, int, int]  # A, B, C
    other_contest: int  # Terekti: not voted
    repeat_contest: int
    candidates: dict[int, list[int]]  # contest id -> nomination ids (repeat contest included)
    b2: int  # B's round-2 protocol: signed, not published
    withdrawn: int
    refused: int


def _submit(session: Session, contest: int, round_no: int, counted: ProtocolInput) -> int:
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, round_no, counted),
        now=NOW,
    )
    return int(done.protocol_id)


def _votes(ids: list[int], numbers: tuple[int, ...]) -> dict[str, int]:
    return {str(i): n for i, n in zip(ids, numbers, strict=True)}


def hold_election(session: Session, uralsk: Uralsk, event_id: int) -> Held:
    other = resolve.find_contest(session=session, event_id=event_id, ref="273430000")
    # Terekti's nominations: one withdrawn, one refused (before anything is voted).
    withdrawn, refused = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(other, 30), request(other, 31)],
        on=NOMINATION_DAY,
    )
    candidates.withdraw_many(
        session=session, principal=CEC, nomination_ids=[withdrawn], on=REGISTRATION_DAY
    )
    candidates.refuse_many(
        session=session,
        principal=CEC,
        refusals={refused: "documents incomplete"},
        on=REGISTRATION_DAY,
    )
    opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    ca, cb, cc = opened.contests
    a_, b_, c_ = (opened.candidates[c] for c in opened.contests)
    a = _submit(session, ca, 1, counts(17, _votes(a_, (10, 5, 2))))
    b1 = _submit(session, cb, 1, counts(17, _votes(b_, (7, 6, 4))))
    b2 = _submit(session, cb, 2, counts(17, _votes(b_[:2], (9, 8))))
    c1 = _submit(session, cc, 1, counts(17, _votes(c_, (8, 8, 1))))
    c2 = _submit(session, cc, 2, counts(17, _votes(c_[:2], (8, 8)), blank=1))
    secretary = commission_user(uralsk.secretary_id, Role.SECRETARY)
    done = [a, b1, b2, c1, c2]
    results.sign_protocols(session=session, principal=secretary, protocol_ids=done, now=NOW)
    results.publish_protocols(session=session, principal=CEC, protocol_ids=[a, b1, c1, c2], now=NOW)
    filed = appeals.file_appeals(
        session=session,
        principal=CEC,
        appeals=[
            NewAppeal(
                AppealSubject.PROTOCOL,
                c2,
                "Candidate 07",
                date(2013, 8, 10),
                AuthorityKind.COURT,
                "Uralsk city court",
                "recount",
            ),
            NewAppeal(
                AppealSubject.REFUSAL,
                refused,
                "Candidate 31",
                date(2013, 7, 25),
                AuthorityKind.COMMISSION,
                "West Kazakhstan regional election commission",
                "documents were complete",
            ),
        ],
        now=NOW,
    )
    appeals.decide_appeals(
        session=session,
        principal=CEC,
        decisions=[
            AppealDecision(filed[0], AppealOutcome.REJECTED, "no grounds", date(2013, 8, 11))
        ],
        now=NOW,
    )
    repeat_elections.call_repeat_election(
        session=session,
        principal=CEC,
        contest_id=cc,
        voting_day=REPEAT_DAY,
        on=date(2013, 8, 12),
        now=NOW,
    )
    (rep,) = repeat_elections.list_repeat_elections(session=session, event_id=event_id)
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
                rep.event_id, uralsk.council_id, REPEAT_DAY, (rep.contest_id,)
            )
        ],
    )
    roll = dict.fromkeys(uralsk.deputy_ids, True)
    attendance.record_attendance(session=session, principal=CEC, sitting_id=sitting, roll=roll)
    sitting_service.open_sitting(session=session, principal=CEC, sitting_id=sitting, now=AT)
    r = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(
            rep.contest_id, 1, counts(19, {str(ids[0]): 12, str(ids[1]): 7})
        ),
        now=AT,
    )
    results.sign_protocol(session=session, principal=secretary, protocol_id=r.protocol_id, now=AT)
    results.publish_protocol(session=session, principal=CEC, protocol_id=r.protocol_id, now=AT)
    return Held(
        event_id=event_id,
        repeat_event_id=int(rep.event_id),
        contests=(ca, cb, cc),
        other_contest=other,
        repeat_contest=int(rep.contest_id),
        candidates={**opened.candidates, rep.contest_id: list(ids)},
        b2=b2,
        withdrawn=withdrawn,
        refused=refused,
    )
