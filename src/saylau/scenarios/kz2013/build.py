"""Store the 2013 national cycle through the administration services, step by step.

The scenario's frozen values (structure, nominations, simulation) go in only through the
services' batch calls, with every check they make; see docs/demo.md.
"""

from __future__ import annotations

import datetime as dt
import gc
from collections import defaultdict
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import groupby
from typing import TYPE_CHECKING, Any

from sqlalchemy.orm import Session

from saylau.domain.accounts import Principal
from saylau.domain.election import (
    Calendar,
    CandidateStatus,
    ContestId,
    Eligibility,
    EventId,
    NominationId,
    NominationRequest,
    NominatorKind,
    PersonData,
    ProtocolId,
    SittingId,
)
from saylau.domain.structure import (
    CommissionId,
    CommissionRole,
    CouncilId,
    DeputyId,
    Kato,
    Names,
    NewCommission,
    NewCommissionMember,
    NewCouncil,
    NewDeputy,
    NewPost,
    NewTerritory,
)
from saylau.rules.decide import Decision
from saylau.scenarios.kz2013 import aftermath
from saylau.scenarios.kz2013.accounts import (
    DemoAccounts,
    create_accounts,
    create_cec_admin,
)
from saylau.scenarios.kz2013.candidates import (
    DropReason,
    NominationSpec,
    build_nominations,
)
from saylau.scenarios.kz2013.people import synthetic_iins
from saylau.scenarios.kz2013.simulate import (
    RULE_SET_NAME,
    ContestOutcome,
    SimulationResult,
    SittingRecord,
    simulate,
)
from saylau.scenarios.kz2013.specs import NationalStructure, TerritorySpec
from saylau.scenarios.kz2013.structure import build_structure

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

EVENT_NAME_PREFIX = "Akim elections 2013 (saylau demo"
# docs/kz2013-facts.md: nominations in July, registration closed on 24 July 2013. The
# opening and closing days of nominations are this demo's assumption.
CALENDAR = Calendar(
    nomination_opens=dt.date(2013, 7, 1),
    nomination_closes=dt.date(2013, 7, 19),
    registration_deadline=dt.date(2013, 7, 24),
)
NOMINATION_DAY = dt.date(2013, 7, 10)
WITHDRAWAL_DAY = dt.date(2013, 7, 20)
REGISTRATION_DAY = dt.date(2013, 7, 24)
# docs/kz2013-facts.md: a candidate files an identity document and consent.
DOCUMENTS = ("identity_document", "consent")
MIN_AGE = 25
# The nine councils that hold no vote have no deputies in the scenario; their seats are not
# modelled, so they are stored with the size of a small city's maslikhat.
NON_VOTING_SEATS = 15
REFUSAL_TEXT = {
    DropReason.INCOMPLETE_DOCUMENTS: "documents incomplete: no written consent filed",
    DropReason.UNDER_AGE: "under 25 years of age on voting day",
    DropReason.NOT_RESIDENT: "does not meet the residence requirement",
}

Progress = Callable[[str], None]


def event_name(seed: int) -> str:
    return f"{EVENT_NAME_PREFIX}, seed {seed})"


@dataclass(frozen=True)
class Scenario:
    """What the demo stores: the structure, the nominations and the simulated meetings."""

    seed: int
    structure: NationalStructure
    nominations: tuple[NominationSpec, ...]
    simulation: SimulationResult


def make_scenario(seed: int) -> Scenario:
    structure = build_structure(seed)
    nominations = build_nominations(structure, seed)
    return Scenario(seed, structure, nominations, simulate(structure, nominations, seed))


STRUCTURE_STEPS = ("territories", "councils and deputies", "commissions", "posts")


def steps(scenario: Scenario) -> tuple[str, ...]:
    """The labels `store` reports to its progress callback, in order."""
    days = sorted({r.date for r in scenario.simulation.sittings})
    return (
        *STRUCTURE_STEPS,
        "accounts",
        "election event",
        "nominations",
        "registration",
        *(f"meetings of electors, {d:%d %B}" for d in days),
        "repeat elections, 28 August",
        "appeals",
    )


@dataclass
class _Ids:
    """Database ids of the scenario's string ids, as the services returned them."""

    deputies: dict[str, DeputyId]
    councils: dict[str, CouncilId]
    council_deputies: dict[str, list[str]]  # council id -> its deputies' ids
    regions: dict[str, str]  # council id -> region code
    # council id -> its commission's private key (kept for the run only, never stored)
    keys: dict[str, Ed25519PrivateKey] = field(default_factory=dict)
    contests: dict[str, ContestId] = field(default_factory=dict)  # post id -> contest id
    nominations: dict[str, NominationId] = field(default_factory=dict)
    sittings: dict[str, SittingId] = field(default_factory=dict)  # council id -> its sitting
    protocols: dict[str, list[ProtocolId]] = field(default_factory=dict)  # post id -> per round


def store(
    session: Session,
    scenario: Scenario,
    *,
    progress: Progress | None = None,
    admin_password: str | None = None,
) -> EventId:
    """Store the whole cycle through the services; returns the election event's id.
    `admin_password`, if given, is the demo CEC administrator's (no other user gets one)."""
    with _collector_for_batches():
        return _store(session, scenario, progress, admin_password)


@contextmanager
def _collector_for_batches() -> Iterator[None]:
    """The cyclic garbage collector tuned while the cycle is stored, its settings restored
    after: the objects alive so far (the imported modules, the scenario: most of the heap) are
    left out of its passes (they outlive the run anyway, and each full collection would walk
    them again), and a young collection runs every 10,000 new objects rather than 700 (the
    batches make tens of thousands of short-lived rows). About 0.4 s less collecting."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(10_000, *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _store(
    session: Session, scenario: Scenario, progress: Progress | None, admin_password: str | None
) -> EventId:
    step = progress or (lambda _label: None)
    cec = create_cec_admin(session, admin_password)
    ids = _store_structure(session, scenario.structure, step, cec)
    accounts = create_accounts(session, scenario.structure, cec)
    step("accounts")
    event_id = _create_event(session, scenario, ids, cec)
    step("election event")
    # The nominees' IINs, once: the nominations and the aftermath's repeat elections use them.
    iins = synthetic_iins([(n.birth_date, n.sex.value) for n in scenario.nominations])
    _nominate(session, scenario, ids, accounts, iins)
    step("nominations")
    _decide_registrations(session, scenario, ids, accounts)
    step("registration")
    for day, sittings in groupby(scenario.simulation.sittings, key=lambda r: r.date):
        _hold_day(session, event_id, day, list(sittings), ids, accounts)
        step(f"meetings of electors, {day:%d %B}")
    _aftermath(session, scenario, ids, accounts, step, iins)
    return event_id


def _aftermath(
    session: Session,
    scenario: Scenario,
    ids: _Ids,
    acc: DemoAccounts,
    step: Progress,
    iins: Sequence[str],
) -> None:
    """The repeat elections of 28 August and the 42 appeals (scenarios/kz2013/aftermath.py)."""
    demo_ids = aftermath.DemoIds(
        contests=ids.contests,
        nominations=ids.nominations,
        iins={n.nomination_id: i for n, i in zip(scenario.nominations, iins, strict=True)},
        regions=ids.regions,
        councils=ids.councils,
        deputies=ids.deputies,
        council_deputies=ids.council_deputies,
        sittings=ids.sittings,
        protocols=ids.protocols,
        keys=ids.keys,
    )
    records = scenario.simulation.sittings
    specs = {n.nomination_id: n for n in scenario.nominations}
    at = _clock(aftermath.REPEAT_DAY)
    aftermath.hold_repeat_elections(session, records, specs, demo_ids, acc, DOCUMENTS, next(at))
    step("repeat elections, 28 August")
    aftermath.file_and_decide_appeals(
        session, records, scenario.nominations, demo_ids, acc, scenario.seed, next(at)
    )
    step("appeals")


def _store_structure(
    session: Session, s: NationalStructure, step: Progress, cec: Principal
) -> _Ids:
    from saylau.services import structure

    structure.create_territories(
        session=session, principal=cec, territories=[_territory(t) for t in s.territories()]
    )
    step(STRUCTURE_STEPS[0])
    council_ids = structure.create_councils(
        session=session,
        principal=cec,
        councils=[
            NewCouncil(
                Kato(c.territory_kato),
                c.num_deputies if c.is_voting else NON_VOTING_SEATS,
                Names(en=c.name_en),
            )
            for c in s.councils
        ],
    )
    deputy_ids = structure.create_deputies(
        session=session,
        principal=cec,
        deputies=[
            NewDeputy(
                council_kato=Kato(_kato_of(d.council_id)),
                full_name=d.name.en,
                sex=d.sex,
                birth_date=d.birth_date,
                mandate_start=d.mandate_start,
                mandate_end=d.mandate_end,
            )
            for d in s.deputies
        ],
    )
    step(STRUCTURE_STEPS[1])
    _store_commissions(session, s, cec)
    step(STRUCTURE_STEPS[2])
    structure.create_posts(
        session=session,
        principal=cec,
        posts=[NewPost(Kato(p.territory_kato), Kato(_kato_of(p.council_id))) for p in s.posts],
    )
    step(STRUCTURE_STEPS[3])
    councils: dict[str, CouncilId] = {
        c.council_id: i for c, i in zip(s.councils, council_ids, strict=True)
    }
    region = {c.council_id: c.region_code for c in s.councils}
    # The district and town commissions that run a vote (the CEC's and the regional
    # commissions have secretaries too, but no council of their own id).
    voting = list(
        dict.fromkeys(
            council
            for m in s.staff
            if m.role is CommissionRole.SECRETARY
            and (council := f"council-{m.commission_id.removeprefix('com-')}") in councils
        )
    )
    return _Ids(
        deputies={d.deputy_id: i for d, i in zip(s.deputies, deputy_ids, strict=True)},
        councils=councils,
        council_deputies=_council_deputies(s),
        regions=region,
        # Their keys are created by the CEC administrator.
        keys=_create_keys(session, voting, cec),
    )


def _create_keys(
    session: Session, council_ids: list[str], cec: Principal
) -> dict[str, Ed25519PrivateKey]:
    """A key pair for each district or town commission that runs a vote, in one batch (one
    insert, one audit append; Ed25519 key generation takes microseconds). The public keys are
    stored; the private keys live in memory for this run and sign its checkpoints."""
    from saylau.services import checkpoints
    from saylau.services.commissions import commissions_by_kato

    by_kato = commissions_by_kato(session=session)
    commission_of = {c: CommissionId(by_kato[_kato_of(c)][0]) for c in council_ids}
    keys = checkpoints.create_keys(
        session=session,
        principal=cec,
        commission_ids=list(commission_of.values()),
        now=next(_clock(NOMINATION_DAY)),
    )
    return {c: keys[commission_of[c]] for c in council_ids}


def _kato_of(council_id: str) -> str:
    return council_id.removeprefix("council-")


def _council_deputies(s: NationalStructure) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    for d in s.deputies:
        found[d.council_id].append(d.deputy_id)
    return found


def _territory(t: TerritorySpec) -> NewTerritory:
    return NewTerritory(
        kato=Kato(t.kato),
        kind=t.kind,
        names=Names(kk=t.name_kk, ru=t.name_ru, en=t.name_en),
        parent_kato=Kato(t.parent_kato) if t.parent_kato else None,
    )


def _store_commissions(session: Session, s: NationalStructure, cec: Principal) -> None:
    from saylau.services import commissions

    kato_of = {c.commission_id: c.territory_kato for c in s.commissions}
    commissions.create_commissions(
        session=session,
        principal=cec,
        commissions=[
            NewCommission(
                level=c.level,
                name=c.name_en,
                territory_kato=Kato(c.territory_kato) if c.territory_kato else None,
            )
            for c in s.commissions
        ],
    )
    commissions.create_commission_members(
        session=session,
        principal=cec,
        members=[
            NewCommissionMember(
                commission_kato=Kato(k) if (k := kato_of[m.commission_id]) else None,
                full_name=m.name.en,
                role=m.role,
            )
            for m in s.staff
        ],
    )


def _create_event(session: Session, scenario: Scenario, ids: _Ids, cec: Principal) -> EventId:
    from saylau.services import events, results

    s = scenario.structure
    event_id = events.create_event(
        session=session,
        principal=cec,
        name=event_name(scenario.seed),
        rules=RULE_SET_NAME,
        calendar=CALENDAR,
        voting_days={
            c.territory_kato: c.vote_date for c in s.voting_councils() if c.vote_date is not None
        },
        post_katos=[p.territory_kato for p in s.posts],
        min_candidates=2,
        eligibility=Eligibility(min_age=MIN_AGE, required_documents=DOCUMENTS),
        now=dt.datetime(2013, 6, 28, 4, 0, tzinfo=dt.UTC),
    )
    by_kato = {
        c.post_kato: ContestId(c.contest_id)
        for c in results.contest_results(session=session, event_id=event_id)
    }
    ids.contests = {p.post_id: by_kato[p.territory_kato] for p in s.posts}
    return event_id


def _nominate(
    session: Session, scenario: Scenario, ids: _Ids, acc: DemoAccounts, iins: Sequence[str]
) -> None:
    """Every nomination in one batch, entered by the CEC administrator (one call for the
    country: the checks are the same per region, and a call per region costs a transaction)."""
    from saylau.services import candidates

    requests = [
        NominationRequest(
            contest_id=ids.contests[n.post_id],
            person=PersonData(
                full_name=n.name.en,
                sex=n.sex.value,
                birth_date=n.birth_date,
                iin=iin,
            ),
            nominated_by=NominatorKind.DISTRICT_AKIM,
            nominator=n.nominated_by,
            documents=DOCUMENTS[:1] if n.reason is DropReason.INCOMPLETE_DOCUMENTS else DOCUMENTS,
            is_incumbent=n.is_incumbent,
        )
        for n, iin in zip(scenario.nominations, iins, strict=True)
    ]
    new_ids = candidates.nominate_many(
        session=session, principal=acc.cec, requests=requests, on=NOMINATION_DAY
    )
    ids.nominations = {
        n.nomination_id: i for n, i in zip(scenario.nominations, new_ids, strict=True)
    }


def _decide_registrations(
    session: Session, scenario: Scenario, ids: _Ids, acc: DemoAccounts
) -> None:
    from saylau.services import candidates

    by_status: dict[CandidateStatus, list[NominationSpec]] = defaultdict(list)
    for n in scenario.nominations:
        by_status[n.status].append(n)
    withdrawn = [ids.nominations[n.nomination_id] for n in by_status[CandidateStatus.WITHDRAWN]]
    if withdrawn:
        candidates.withdraw_many(
            session=session, principal=acc.cec, nomination_ids=withdrawn, on=WITHDRAWAL_DAY
        )
    refusals = {
        ids.nominations[n.nomination_id]: f"{n.reason}: {REFUSAL_TEXT[n.reason]}"
        for n in by_status[CandidateStatus.REFUSED]
        if n.reason is not None
    }
    if refusals:
        candidates.refuse_many(
            session=session, principal=acc.cec, refusals=refusals, on=REGISTRATION_DAY
        )
    candidates.register_many(
        session=session,
        principal=acc.cec,
        nomination_ids=[
            ids.nominations[n.nomination_id] for n in by_status[CandidateStatus.REGISTERED]
        ],
        on=REGISTRATION_DAY,
    )


def _hold_day(
    session: Session,
    event_id: EventId,
    day: dt.date,
    records: Sequence[SittingRecord],
    ids: _Ids,
    acc: DemoAccounts,
) -> None:
    """Every meeting of electors of one day: the CEC administrator enters the sittings, rolls
    and protocols in one batch each; every commission's secretary signs its own protocols (one
    transaction for the day's signatures); each regional user publishes its region's."""
    from saylau.services import attendance, protocols, results, sittings

    at = _clock(day)
    requests = [
        sittings.SittingRequest(
            event_id=event_id,
            council_id=ids.councils[r.council_id],
            day=day,
            contest_ids=tuple(ids.contests[c.post_id] for c in r.contests),
        )
        for r in records
    ]
    sitting_ids = sittings.schedule_sittings(session=session, principal=acc.cec, requests=requests)
    ids.sittings.update({r.council_id: s for r, s in zip(records, sitting_ids, strict=True)})
    rolls: dict[SittingId, dict[DeputyId, bool]] = {}
    for sid, r in zip(sitting_ids, records, strict=True):
        present = set(r.present_deputy_ids)
        rolls[sid] = {ids.deputies[d]: d in present for d in ids.council_deputies[r.council_id]}
    attendance.record_attendance_many(session=session, principal=acc.cec, rolls=rolls)
    sittings.open_sittings(
        session=session, principal=acc.cec, sitting_ids=sitting_ids, now=next(at)
    )
    council_of = {ids.contests[c.post_id]: r.council_id for r in records for c in r.contests}
    by_council: dict[str, list[ProtocolId]] = defaultdict(list)
    pending = [c for r in records for c in r.contests]
    round_no = 1
    while pending:
        submitted = protocols.submit_protocols(
            session=session,
            principal=acc.cec,
            submissions=[_submission(ids, c, round_no) for c in pending],
            now=next(at),
        )
        for result, contest in zip(submitted, pending, strict=True):
            _check_same_decision(result, contest.rounds[round_no - 1].decision, ids)
            ids.protocols.setdefault(contest.post_id, []).append(result.protocol_id)
            by_council[council_of[result.contest_id]].append(result.protocol_id)
        pending = [c for c in pending if len(c.rounds) > round_no]
        round_no += 1
    # Each commission that voted today signs the log's head after its secretary's signatures,
    # and again, through its regional user, after the publications (docs/audit.md,
    # "Anchoring the head").
    results.sign_protocols_each(
        session=session,
        signatures={acc.secretaries[c]: pids for c, pids in by_council.items()},
        now=next(at),
        checkpoint_keys={acc.secretaries[c]: [ids.keys[c]] for c in by_council},
    )
    by_region: dict[str, list[ProtocolId]] = defaultdict(list)
    keys_of_region: dict[str, list[Ed25519PrivateKey]] = defaultdict(list)
    for council_id, pids in by_council.items():
        by_region[ids.regions[council_id]] += pids
        keys_of_region[ids.regions[council_id]].append(ids.keys[council_id])
    published_at = next(at)
    for region, pids in sorted(by_region.items()):
        results.publish_protocols(
            session=session,
            principal=acc.regional[region],
            protocol_ids=pids,
            now=published_at,
            checkpoint_keys=keys_of_region[region],
        )


def _submission(ids: _Ids, contest: ContestOutcome, round_no: int) -> Any:
    return aftermath.submission_of(ids.contests, ids.nominations, contest, round_no)


def _check_same_decision(result: Any, simulated: Decision, ids: _Ids) -> None:
    """The services decide from the stored protocol; that must be what the model's own call of
    the rules engine decided, or the stored cycle is not the simulated one."""
    stored = result.decision
    expected_elected = str(ids.nominations[simulated.elected]) if simulated.elected else None
    if (
        result.violations
        or stored is None
        or stored.kind is not simulated.kind
        or stored.elected != expected_elected
    ):
        raise RuntimeError(
            f"contest {result.contest_id} round {result.round_no}: stored decision {stored}"
            f" (violations {list(result.violations)}) differs from the simulated {simulated}"
        )


def _clock(day: dt.date) -> Iterator[dt.datetime]:
    """Times of the day's steps: from 10:00 Astana time (04:00 UTC), a quarter-hour apart."""
    start = dt.datetime(day.year, day.month, day.day, 4, 0, tzinfo=dt.UTC)
    n = 0
    while True:
        yield start + dt.timedelta(minutes=15 * n)
        n += 1
