"""What followed the votes of August 2013 in the demo: the repeat elections of 28 August for
the posts whose contests failed, and 42 appeals (the CEC's count) with synthetic outcomes, all
through the services.

Repeat elections: each regional user calls the repeat elections of its region the day after
the failed vote; the two tied candidates are nominated again and registered; the same deputies
meet on 28 August and the first of them (by nomination order) wins by a majority of one.
Appeals: one batch filed and one batch decided by the CEC user; the two upheld appeals annul a
round-1 protocol, which the region enters again (the recount confirms it); the commission's
secretary signs it and the region publishes it.
Each signature and publication is followed by the commission's checkpoint, as on the voting days.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from types import MappingProxyType
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from saylau.domain.appeals import (
    AppealDecision,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    NewAppeal,
)
from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    NominationId,
    NominationRequest,
    NominatorKind,
    PersonData,
    ProtocolId,
    ProtocolInput,
    SittingId,
)
from saylau.domain.structure import CouncilId, DeputyId
from saylau.rules.decide import DecisionKind
from saylau.scenarios.kz2013.accounts import DemoAccounts
from saylau.scenarios.kz2013.candidates import NominationSpec
from saylau.scenarios.kz2013.simulate import ContestOutcome, SittingRecord

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from saylau.services.protocols import ProtocolSubmission

REPEAT_DAY = dt.date(2013, 8, 28)  # docs/kz2013-facts.md: the tied posts were re-run
REPEAT_NOMINATION_DAY = dt.date(2013, 8, 15)
REPEAT_REGISTRATION_DAY = dt.date(2013, 8, 22)
NUM_APPEALS = 42  # docs/kz2013-facts.md (E3): 42 appeals in the 2013 cycle
APPEAL_DAY = dt.date(2013, 7, 25)
APPEAL_DECISION_DAY = dt.date(2013, 7, 29)
# The synthetic mix: (subject, outcome) -> how many; 42 in all, two upheld.
APPEAL_MIX: Mapping[tuple[AppealSubject, AppealOutcome], int] = MappingProxyType(
    {
        (AppealSubject.REFUSAL, AppealOutcome.REJECTED): 16,
        (AppealSubject.REFUSAL, AppealOutcome.LEFT_WITHOUT_CONSIDERATION): 4,
        (AppealSubject.REGISTRATION, AppealOutcome.REJECTED): 6,
        (AppealSubject.SITTING, AppealOutcome.REJECTED): 6,
        (AppealSubject.SITTING, AppealOutcome.LEFT_WITHOUT_CONSIDERATION): 2,
        (AppealSubject.PROTOCOL, AppealOutcome.REJECTED): 6,
        (AppealSubject.PROTOCOL, AppealOutcome.UPHELD): 2,
    }
)


@dataclass(frozen=True)
class DemoIds:
    """The database ids `build.store` obtained, by the scenario's string ids."""

    contests: Mapping[str, ContestId]  # post id -> contest id
    nominations: Mapping[str, NominationId]
    iins: Mapping[str, str]  # nomination id -> IIN
    regions: Mapping[str, str]  # council id -> region code
    councils: Mapping[str, CouncilId]
    deputies: Mapping[str, DeputyId]
    council_deputies: Mapping[str, Sequence[str]]  # council id -> its deputies' ids
    sittings: Mapping[str, SittingId]  # council id -> its sitting
    protocols: Mapping[str, Sequence[ProtocolId]]  # post id -> protocol id of each round
    # council id -> its commission's private key: the commission signs the log's head after each
    # signature and publication, as on the voting days (docs/audit.md, "Anchoring the head").
    keys: Mapping[str, Ed25519PrivateKey]


def _failed(records: Sequence[SittingRecord]) -> list[tuple[SittingRecord, ContestOutcome]]:
    return [(r, c) for r in records for c in r.contests if c.final.kind is DecisionKind.FAILED]


def hold_repeat_elections(
    session: Session,
    records: Sequence[SittingRecord],
    specs: Mapping[str, NominationSpec],
    ids: DemoIds,
    acc: DemoAccounts,
    documents: tuple[str, ...],
    now: dt.datetime,
) -> int:
    """Call, nominate, register, sit, count, sign and publish every repeat election; returns
    how many were held."""
    from saylau.services import attendance, candidates, protocols, repeat_elections, sittings

    failed = _failed(records)
    new_contests: dict[str, ContestId] = {}  # post id -> the repeat contest
    for r, c in failed:
        regional = acc.regional[ids.regions[r.council_id]]
        repeat_elections.call_repeat_election(
            session=session,
            principal=regional,
            contest_id=ids.contests[c.post_id],
            voting_day=REPEAT_DAY,
            on=r.date + dt.timedelta(days=1),
            now=now,
        )
    called = {
        rep.failed_contest_id: rep
        for rep in repeat_elections.list_repeat_elections(session=session)
    }
    for r, c in failed:
        rep = called[ids.contests[c.post_id]]
        new_contests[c.post_id] = rep.contest_id
        regional = acc.regional[ids.regions[r.council_id]]
        tied = [specs[n] for n in c.rounds[-1].standing]
        nominated = candidates.nominate_many(
            session=session,
            principal=regional,
            requests=[
                _again(rep.contest_id, n, ids.iins[n.nomination_id], documents) for n in tied
            ],
            on=REPEAT_NOMINATION_DAY,
        )
        candidates.register_many(
            session=session,
            principal=regional,
            nomination_ids=nominated,
            on=REPEAT_REGISTRATION_DAY,
        )
        (sitting,) = sittings.schedule_sittings(
            session=session,
            principal=regional,
            requests=[
                sittings.SittingRequest(
                    rep.event_id, ids.councils[r.council_id], REPEAT_DAY, (rep.contest_id,)
                )
            ],
        )
        present_ids = set(r.present_deputy_ids)
        roll = {ids.deputies[d]: d in present_ids for d in ids.council_deputies[r.council_id]}
        attendance.record_attendance(
            session=session, principal=regional, sitting_id=sitting, roll=roll
        )
        sittings.open_sitting(session=session, principal=regional, sitting_id=sitting, now=now)
        present = sum(roll.values())
        first = present // 2 + 1
        done = protocols.submit_protocol(
            session=session,
            principal=regional,
            submission=protocols.ProtocolSubmission(
                rep.contest_id,
                1,
                ProtocolInput(
                    members=r.members,
                    present=present,
                    ballots_received=present,
                    ballots_issued=present,
                    ballots_cast=present,
                    votes=MappingProxyType(
                        {str(nominated[0]): first, str(nominated[1]): present - first}
                    ),
                ),
            ),
            now=now,
        )
        if done.decision is None or done.decision.kind is not DecisionKind.ELECTED:
            raise RuntimeError(f"repeat election of {c.post_id} did not elect: {done}")
        _sign_and_publish(session, ids, acc, r.council_id, done.protocol_id, now)
    return len(failed)


def _again(
    contest_id: ContestId, spec: NominationSpec, iin: str, documents: tuple[str, ...]
) -> NominationRequest:
    return NominationRequest(
        contest_id=contest_id,
        person=PersonData(
            full_name=spec.name.en, sex=spec.sex.value, birth_date=spec.birth_date, iin=iin
        ),
        nominated_by=NominatorKind.DISTRICT_AKIM,
        nominator=spec.nominated_by,
        documents=documents,
        is_incumbent=spec.is_incumbent,
    )


def file_and_decide_appeals(
    session: Session,
    records: Sequence[SittingRecord],
    specs: Sequence[NominationSpec],
    ids: DemoIds,
    acc: DemoAccounts,
    seed: int,
    now: dt.datetime,
) -> int:
    """File the 42 appeals in one batch and decide them in another; the upheld ones annul a
    round-1 protocol, which is entered again, signed and published. Returns how many."""
    from saylau.services import appeals

    rng = random.Random(f"{seed}/appeals")
    refused = sorted(n.nomination_id for n in specs if n.status is CandidateStatus.REFUSED)
    registered = sorted(n.nomination_id for n in specs if n.status is CandidateStatus.REGISTERED)
    one_round = sorted(
        (r.council_id, c.post_id, r.date)
        for r in records
        for c in r.contests
        if len(c.rounds) == 1 and c.final.kind is DecisionKind.ELECTED
    )
    sitting_days = sorted((r.council_id, r.date) for r in records)
    # The objects each kind of appeal may concern, as plain ids (the appeal's object_id).
    pool: dict[AppealSubject, list[tuple[int, dt.date]]] = {
        AppealSubject.REFUSAL: [(ids.nominations[n], APPEAL_DAY) for n in refused],
        AppealSubject.REGISTRATION: [(ids.nominations[n], APPEAL_DAY) for n in registered],
        AppealSubject.SITTING: [(ids.sittings[c], day) for c, day in sitting_days],
        AppealSubject.PROTOCOL: [
            (ids.protocols[p][0], day + dt.timedelta(days=1)) for _c, p, day in one_round
        ],
    }
    chosen: list[tuple[AppealSubject, AppealOutcome, int, dt.date]] = []
    for subject in AppealSubject:
        wanted = [(o, n) for (s, o), n in APPEAL_MIX.items() if s is subject]
        picks = rng.sample(pool[subject], sum(n for _o, n in wanted))
        for outcome, n in wanted:
            chosen += [(subject, outcome, obj, day) for obj, day in picks[:n]]
            picks = picks[n:]
    filed = appeals.file_appeals(
        session=session,
        principal=acc.cec,
        appeals=[
            NewAppeal(
                subject=subject,
                object_id=obj,
                appellant=f"Appellant {k + 1:02d}",
                filed_on=day,
                authority_kind=AuthorityKind.COURT
                if subject is AppealSubject.REFUSAL and k % 4 == 0
                else AuthorityKind.COMMISSION,
                authority="district court" if k % 4 == 0 else "regional election commission",
                grounds=f"synthetic appeal {k + 1} of the demo",
            )
            for k, (subject, _o, obj, day) in enumerate(chosen)
        ],
        now=now,
    )
    appeals.decide_appeals(
        session=session,
        principal=acc.cec,
        decisions=[
            AppealDecision(
                appeal_id,
                outcome,
                f"synthetic decision: {outcome.value}",
                APPEAL_DECISION_DAY if day < APPEAL_DECISION_DAY else day + _delay(subject),
            )
            for appeal_id, (subject, outcome, _obj, day) in zip(filed, chosen, strict=True)
        ],
        now=now,
    )
    annulled = [
        ProtocolId(obj) for _s, outcome, obj, _d in chosen if outcome is AppealOutcome.UPHELD
    ]
    _enter_again(session, records, ids, acc, annulled, now)
    return len(filed)


def _delay(subject: AppealSubject) -> dt.timedelta:
    """Appeals against a sitting arrive on its day and are decided at once; against a
    protocol, the day after, decided two days later (within five)."""
    return dt.timedelta(days=0 if subject is AppealSubject.SITTING else 2)


def _enter_again(
    session: Session,
    records: Sequence[SittingRecord],
    ids: DemoIds,
    acc: DemoAccounts,
    annulled: Sequence[ProtocolId],
    now: dt.datetime,
) -> None:
    """Round 1 of each annulled protocol's contest counted again: the same counts, stored as
    the next version, signed by the commission's secretary, published by the region."""
    from saylau.services import protocols

    by_protocol = {ids.protocols[c.post_id][0]: (r, c) for r in records for c in r.contests}
    for protocol_id in annulled:
        r, c = by_protocol[protocol_id]
        regional = acc.regional[ids.regions[r.council_id]]
        done = protocols.submit_protocol(
            session=session,
            principal=regional,
            submission=submission_of(ids.contests, ids.nominations, c, 1),
            now=now,
        )
        expected = c.rounds[0].decision.elected
        if done.decision is None or done.decision.elected != str(ids.nominations[expected or ""]):
            raise RuntimeError(f"the recount of {c.post_id} decided {done.decision}")
        _sign_and_publish(session, ids, acc, r.council_id, done.protocol_id, now)


def _sign_and_publish(
    session: Session,
    ids: DemoIds,
    acc: DemoAccounts,
    council_id: str,
    protocol_id: ProtocolId,
    now: dt.datetime,
) -> None:
    """The commission's secretary signs, the region publishes; the commission's checkpoint
    follows each, as on the voting days."""
    from saylau.services import results

    key = [ids.keys[council_id]]
    results.sign_protocol(
        session=session,
        principal=acc.secretaries[council_id],
        protocol_id=protocol_id,
        now=now,
        checkpoint_keys=key,
    )
    results.publish_protocol(
        session=session,
        principal=acc.regional[ids.regions[council_id]],
        protocol_id=protocol_id,
        now=now,
        checkpoint_keys=key,
    )


def submission_of(
    contests: Mapping[str, ContestId],
    nominations: Mapping[str, NominationId],
    c: ContestOutcome,
    round_no: int,
) -> ProtocolSubmission:
    """The simulated protocol of round `round_no` of a contest, as the services take it."""
    from saylau.services.protocols import ProtocolSubmission

    p = c.rounds[round_no - 1].protocol
    return ProtocolSubmission(
        contest_id=contests[c.post_id],
        round_no=round_no,
        # The simulated protocol, its candidates named by the nomination ids the services gave.
        counts=replace(
            p, votes=MappingProxyType({str(nominations[k]): v for k, v in p.votes.items()})
        ),
    )
