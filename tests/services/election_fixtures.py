"""An Uralsk-like structure for the election-flow tests: one city council of 19 deputies
electing the akims of three units below it, with its election commission.

Names follow Uralsk's surroundings; KATO codes and deputies' names are synthetic.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    DeputyRow,
    PostRow,
    TerritoryRow,
)
from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.election import (
    Calendar,
    Eligibility,
    NominationRequest,
    NominatorKind,
    PersonData,
    ProtocolInput,
)
from saylau.services import attendance, audit, candidates, events, resolve, sittings
from saylau.services.transaction import transaction

REGION_KATO = "270000000"
CITY_KATO = "271000000"
OTHER_DISTRICT_KATO = "273400000"
POST_KATOS = ("271033000", "271035000", "271037000")  # Derkul, Zachagansk, Krugloozerny
OTHER_POST_KATO = "273430000"
CALENDAR = Calendar(date(2013, 7, 5), date(2013, 7, 19), date(2013, 7, 24))
REGION_DAY = date(2013, 8, 7)
URALSK_DAY = date(2013, 8, 9)
NOMINATION_DAY = date(2013, 7, 10)
REGISTRATION_DAY = date(2013, 7, 22)
NOW = datetime(2013, 8, 9, 10, 0, tzinfo=UTC)
DOCUMENTS = ("identity_document", "consent")
CEC = Principal(UserId(1), Role.CEC_ADMIN)
ACTOR = CEC.actor


def commission_user(member_id: int, role: Role, *, scope: str = CITY_KATO) -> Principal:
    """The user of an Uralsk commission member (user id = 100 + member id)."""
    return Principal(UserId(100 + member_id), role, scope=scope, member_id=member_id)


@dataclass(frozen=True)
class Uralsk:
    council_id: int
    other_council_id: int
    deputy_ids: tuple[int, ...]
    commission_id: int
    chair_id: int
    secretary_id: int
    member_id: int


def _territory(session: Session, kato: str, kind: str, parent: int | None, name: str) -> int:
    new_id = session.scalar(
        insert(TerritoryRow)
        .values(kato=kato, kind=kind, parent_id=parent, name_kk=name, name_ru=name, name_en=name)
        .returning(TerritoryRow.id)
    )
    assert new_id is not None
    return new_id


def _council(session: Session, territory_id: int, seats: int) -> int:
    new_id = session.scalar(
        insert(CouncilRow)
        .values(territory_id=territory_id, num_seats=seats, name_kk="", name_ru="", name_en="")
        .returning(CouncilRow.id)
    )
    assert new_id is not None
    return new_id


def build_uralsk(session: Session) -> Uralsk:
    """The structure, written directly: the election flow's tests do not depend on import."""
    with transaction(session=session):
        region = _territory(session, REGION_KATO, "region", None, "West Kazakhstan")
        city = _territory(session, CITY_KATO, "city_of_regional_significance", region, "Uralsk")
        other = _territory(session, OTHER_DISTRICT_KATO, "district", region, "Terekti")
        council = _council(session, city, 19)
        other_council = _council(session, other, 11)
        names = ("Derkul", "Zachagansk", "Krugloozerny")
        for kato, name in zip(POST_KATOS, names, strict=True):
            t = _territory(session, kato, "settlement", city, name)
            session.execute(insert(PostRow).values(territory_id=t, council_id=council))
        t = _territory(session, OTHER_POST_KATO, "rural_district", other, "Akzhaik")
        session.execute(insert(PostRow).values(territory_id=t, council_id=other_council))
        deputy_ids = tuple(
            session.scalars(
                insert(DeputyRow).returning(DeputyRow.id, sort_by_parameter_order=True),
                [
                    {
                        "council_id": council,
                        "full_name": f"Deputy {n:02d}",
                        "sex": "female" if n % 3 == 0 else "male",
                        "birth_date": date(1960 + n, 1, 1),
                        "mandate_start": date(2012, 1, 20),
                        "mandate_end": None,
                    }
                    for n in range(1, 20)
                ],
            )
        )
        commission = session.scalar(
            insert(CommissionRow)
            .values(level="district", territory_id=city, name="Uralsk city election commission")
            .returning(CommissionRow.id)
        )
        assert commission is not None
        members = list(
            session.scalars(
                insert(CommissionMemberRow).returning(
                    CommissionMemberRow.id, sort_by_parameter_order=True
                ),
                [
                    {"commission_id": commission, "full_name": "Chair A.", "role": "chair"},
                    {"commission_id": commission, "full_name": "Secretary B.", "role": "secretary"},
                    {"commission_id": commission, "full_name": "Member C.", "role": "member"},
                ],
            )
        )
        _record_structure(session)
    return Uralsk(council, other_council, deputy_ids, commission, *members)


def _record_structure(session: Session) -> None:
    """Audit entries for the rows written above, as the structure services would append."""
    tables = {
        "territory": TerritoryRow,
        "council": CouncilRow,
        "deputy": DeputyRow,
        "commission": CommissionRow,
        "commission_member": CommissionMemberRow,
        "post": PostRow,
    }
    for object_type, row in tables.items():
        ids = list(session.scalars(select(row.id)))  # type: ignore[attr-defined]
        audit.record_many(
            session=session,
            actor=ACTOR,
            action="test.build",
            object_type=object_type,
            object_ids=ids,
        )


def create_event(session: Session, *, name: str = "Akim elections 2013") -> int:
    return events.create_event(
        session=session,
        principal=CEC,
        name=name,
        rules="kz-akim-2013",
        calendar=CALENDAR,
        voting_days={REGION_KATO: REGION_DAY, CITY_KATO: URALSK_DAY},
        post_katos=[*POST_KATOS, OTHER_POST_KATO],
        min_candidates=2,
        eligibility=Eligibility(min_age=25, required_documents=DOCUMENTS),
        now=NOW,
    )


def person(n: int, *, born: date | None = None, iin: str | None = None) -> PersonData:
    return PersonData(
        full_name=f"Candidate {n:02d}",
        sex="female" if n % 2 else "male",
        birth_date=born or date(1965, 3, n % 28 + 1),
        iin=iin,
    )


def request(contest_id: int, n: int, **person_args: object) -> NominationRequest:
    return NominationRequest(
        contest_id=contest_id,
        person=person(n, **person_args),  # type: ignore[arg-type]
        nominated_by=NominatorKind.DISTRICT_AKIM,
        nominator="Akim of Uralsk",
        documents=DOCUMENTS,
    )


def counts(
    present: int, votes: dict[str, int], *, members: int = 19, invalid: int = 0, blank: int = 0
) -> ProtocolInput:
    """A protocol where every issued ballot was cast and none was spoiled."""
    return ProtocolInput(
        members=members,
        present=present,
        ballots_received=present,
        ballots_issued=present,
        ballots_cast=present,
        invalid=invalid,
        blank=blank,
        votes=votes,
    )


def register_candidates(session: Session, contest_id: int, numbers: range) -> list[int]:
    """Nominate and register candidates `numbers` for a contest; their nomination ids."""
    ids = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[request(contest_id, n) for n in numbers],
        on=NOMINATION_DAY,
    )
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=ids, on=REGISTRATION_DAY
    )
    return list(ids)


@dataclass(frozen=True)
class OpenSitting:
    sitting_id: int
    contests: tuple[int, ...]
    candidates: dict[int, list[int]]  # contest id -> nomination ids


def open_uralsk_sitting(
    session: Session, uralsk: Uralsk, event_id: int, *, absent: int = 2
) -> OpenSitting:
    """Nine candidates for three posts (3 each), 19 deputies of whom `absent` stay away."""
    contests = tuple(
        resolve.find_contest(session=session, event_id=event_id, ref=k) for k in POST_KATOS
    )
    registered = {
        c: register_candidates(session, c, range(1 + 3 * i, 4 + 3 * i))
        for i, c in enumerate(contests)
    }
    (sitting_id,) = sittings.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[sittings.SittingRequest(event_id, uralsk.council_id, URALSK_DAY, contests)],
    )
    roll = {d: n >= absent for n, d in enumerate(uralsk.deputy_ids)}
    attendance.record_attendance(session=session, principal=CEC, sitting_id=sitting_id, roll=roll)
    sittings.open_sitting(session=session, principal=CEC, sitting_id=sitting_id, now=NOW)
    return OpenSitting(sitting_id, contests, registered)
