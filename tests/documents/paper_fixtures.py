"""A small election with Kazakh names, on a migrated database that the CLI can open too (the
`paper` fixture of conftest.py): the Uralsk structure of tests/services/election_fixtures.py
renamed in Kazakh, one contest counted, signed and published, a second counted only."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from election_fixtures import (
    CEC,
    CITY_KATO,
    DOCUMENTS,
    NOMINATION_DAY,
    NOW,
    POST_KATOS,
    REGION_KATO,
    REGISTRATION_DAY,
    URALSK_DAY,
    build_uralsk,
    commission_user,
    counts,
    create_event,
)
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from saylau.db.tables.structure import CommissionMemberRow, TerritoryRow
from saylau.domain.accounts import Role
from saylau.domain.election import (
    NominationRequest,
    NominatorKind,
    PersonData,
    ProtocolId,
)
from saylau.services import attendance, audit, candidates, protocols, resolve, results, sittings
from saylau.services.transaction import transaction

# Between them, every letter of the Kazakh alphabet beyond Russian's: ә ғ қ ң ө ұ ү һ і.
CANDIDATES = ("Әсел Құрманғалиқызы", "Іңкәр Һашимова", "Нұрлан Үсенов")
MEMBERS = ("Ғалым Өтегенұлы", "Сәуле Қожахметова", "Бауыржан Исаұлы")  # chair, secretary, member
POST_NAME_KK = "Деркөл ауылдық округі"
CITY_NAME_KK = "Орал қаласы"
REGION_NAME_KK = "Батыс Қазақстан облысы"
VOTES = (10, 5, 2)  # of CANDIDATES, 17 present of 19


@dataclass(frozen=True)
class Paper:
    url: str
    event_id: int
    published: ProtocolId  # Derkul: Әсел Құрманғалиқызы elected 10-5-2, signed and published
    unpublished: ProtocolId  # Zachagansk: counted, neither signed nor published


def _rename(session: Session, uralsk_members: tuple[int, int, int]) -> None:
    names = {
        POST_KATOS[0]: (POST_NAME_KK, "Деркульский сельский округ"),
        CITY_KATO: (CITY_NAME_KK, "г. Уральск"),
        REGION_KATO: (REGION_NAME_KK, "Западно-Казахстанская область"),
    }
    with transaction(session=session):
        for kato, (kk, ru) in names.items():
            session.execute(
                update(TerritoryRow).where(TerritoryRow.kato == kato).values(name_kk=kk, name_ru=ru)
            )
        for member_id, name in zip(uralsk_members, MEMBERS, strict=True):
            session.execute(
                update(CommissionMemberRow)
                .where(CommissionMemberRow.id == member_id)
                .values(full_name=name)
            )
        ids = session.scalars(select(TerritoryRow.id).where(TerritoryRow.kato.in_(names)))
        audit.record_many(
            session=session, actor=CEC.actor, action="test.rename", object_type="territory",
            object_ids=list(ids),
        )  # fmt: skip
        audit.record_many(
            session=session, actor=CEC.actor, action="test.rename",
            object_type="commission_member", object_ids=list(uralsk_members),
        )  # fmt: skip


def hold_paper(session: Session, url: str) -> Paper:
    uralsk = build_uralsk(session)
    _rename(session, (uralsk.chair_id, uralsk.secretary_id, uralsk.member_id))
    event_id = create_event(session)
    contests = [
        resolve.find_contest(session=session, event_id=event_id, ref=k) for k in POST_KATOS[:2]
    ]
    nominated = candidates.nominate_many(
        session=session,
        principal=CEC,
        requests=[
            NominationRequest(
                contest_id=contest,
                person=PersonData(
                    full_name=name if contest == contests[0] else f"{name} ({n})",
                    sex="male" if name.startswith("Нұрлан") else "female",
                    birth_date=date(1970 + n, 4, 1 + n),
                ),
                nominated_by=NominatorKind.DISTRICT_AKIM,
                nominator="Орал қаласының әкімі",
                documents=DOCUMENTS,
            )
            for contest in contests
            for n, name in enumerate(CANDIDATES)
        ],
        on=NOMINATION_DAY,
    )
    candidates.register_many(
        session=session, principal=CEC, nomination_ids=nominated, on=REGISTRATION_DAY
    )
    (sitting_id,) = sittings.schedule_sittings(
        session=session,
        principal=CEC,
        requests=[
            sittings.SittingRequest(event_id, uralsk.council_id, URALSK_DAY, tuple(contests))
        ],
    )
    roll = {d: n >= 2 for n, d in enumerate(uralsk.deputy_ids)}
    attendance.record_attendance(session=session, principal=CEC, sitting_id=sitting_id, roll=roll)
    sittings.open_sitting(session=session, principal=CEC, sitting_id=sitting_id, now=NOW)
    done = [
        protocols.submit_protocol(
            session=session,
            principal=CEC,
            submission=protocols.ProtocolSubmission(
                contest,
                1,
                counts(
                    17,
                    {str(i): v for i, v in zip(nominated[k * 3 : k * 3 + 3], VOTES, strict=True)},
                ),
            ),
            now=NOW,
        ).protocol_id
        for k, contest in enumerate(contests)
    ]
    results.sign_protocols(
        session=session,
        principal=commission_user(uralsk.secretary_id, Role.SECRETARY),
        protocol_ids=[done[0]],
        now=NOW,
    )
    results.publish_protocols(session=session, principal=CEC, protocol_ids=[done[0]], now=NOW)
    return Paper(url, event_id, done[0], done[1])
