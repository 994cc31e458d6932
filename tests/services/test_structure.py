"""Structure services: what they store (with audit entries) and what they refuse, by field."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.db.tables.audit import AuditEntryRow
from saylau.db.tables.structure import DeputyRow, TerritoryRow
from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.structure import (
    CommissionLevel,
    CommissionRole,
    Kato,
    Names,
    NewCommission,
    NewCommissionMember,
    NewCouncil,
    NewDeputy,
    NewPost,
    NewTerritory,
    Sex,
    TerritoryKind,
)
from saylau.services import commissions, resolve, structure
from saylau.services import structure_queries as queries
from saylau.services.audit.verify import verify_log
from saylau.services.errors import InvalidInput, Refused

CEC = Principal(UserId(1), Role.CEC_ADMIN)
ACTOR = CEC.actor
REGION, URALSK, DISTRICT = Kato("270000000"), Kato("271010000"), Kato("273400000")
RURAL, VILLAGE, OTHER_DISTRICT = Kato("273430000"), Kato("273450100"), Kato("273600000")
OTHER_RURAL = Kato("273630000")

K = TerritoryKind


def territory(kato: str, kind: TerritoryKind, parent: str | None, ru: str = "x") -> NewTerritory:
    return NewTerritory(Kato(kato), kind, Names(ru=ru), Kato(parent) if parent else None)


def west_kazakhstan(session: Session) -> None:
    """A region, a city and two districts with a rural district each, councils and posts."""
    structure.create_territories(
        session=session,
        principal=CEC,
        territories=[
            # Children before parents on purpose: the service orders them.
            territory(RURAL, K.RURAL_DISTRICT, DISTRICT, "Акжаикский с.о."),
            territory(REGION, K.REGION, None, "Западно-Казахстанская область"),
            territory(URALSK, K.CITY_OF_REGIONAL_SIGNIFICANCE, REGION, "Уральск"),
            territory(DISTRICT, K.DISTRICT, REGION, "Акжаикский район"),
            territory(VILLAGE, K.VILLAGE, DISTRICT, "аул"),
            territory(OTHER_DISTRICT, K.DISTRICT, REGION, "Бокейординский район"),
            territory(OTHER_RURAL, K.RURAL_DISTRICT, OTHER_DISTRICT, "с.о."),
        ],
    )
    structure.create_councils(
        session=session,
        principal=CEC,
        councils=[
            NewCouncil(DISTRICT, 3, Names(ru="Акжаикский районный маслихат")),
            NewCouncil(URALSK, 19, Names(ru="Уральский городской маслихат")),
        ],
    )


def deputy(name: str, council: str = DISTRICT, end: date | None = None) -> NewDeputy:
    return NewDeputy(Kato(council), name, Sex.FEMALE, date(1970, 1, 2), date(2012, 1, 20), end)


def _problems(
    error: pytest.ExceptionInfo[InvalidInput] | pytest.ExceptionInfo[Refused],
) -> list[tuple[str, str]]:
    return [(p.where, p.code) for p in error.value.problems]


def test_territories_are_stored_parents_first_with_audit_entries(session: Session) -> None:
    west_kazakhstan(session)
    rural = queries.list_territories(session=session, kind=K.RURAL_DISTRICT, parent_kato=DISTRICT)
    assert [(t.kato, t.parent_kato, t.names.ru) for t in rural] == [
        (RURAL, DISTRICT, "Акжаикский с.о.")
    ]
    assert len(queries.list_territories(session=session)) == 7
    actions = session.execute(
        select(AuditEntryRow.action, func.count()).group_by(AuditEntryRow.action)
    ).all()
    assert sorted(actions) == [("council.create", 2), ("territory.create", 7)]
    report = verify_log(session=session)
    assert (report.is_ok, report.num_entries, report.num_objects) == (True, 9, 9)


def test_territory_problems_name_item_and_field(session: Session) -> None:
    west_kazakhstan(session)
    with pytest.raises(InvalidInput) as error:
        structure.create_territories(
            session=session,
            principal=CEC,
            labels=["line 2", "line 3", "line 4", "line 5", "line 6", "line 7"],
            territories=[
                territory("12345", K.VILLAGE, DISTRICT),
                territory("273470000", "hamlet", DISTRICT),  # type: ignore[arg-type]
                territory("273480000", K.RURAL_DISTRICT, "999999999"),
                territory("273490000", K.RURAL_DISTRICT, REGION),
                territory("273410000", K.SETTLEMENT, DISTRICT),
                territory("273410000", K.SETTLEMENT, DISTRICT),
            ],
        )
    assert _problems(error) == [
        ("line 7, kato", "duplicate_kato"),
        ("line 2, kato", "bad_kato"),
        ("line 3, kind", "bad_kind"),
        ("line 4, parent_kato", "unknown_parent"),
        ("line 5, parent_kato", "bad_parent_kind"),
    ]
    assert "expected one of region, district" in error.value.problems[2].message
    assert session.scalar(select(func.count()).select_from(TerritoryRow)) == 7


def test_stored_kato_is_refused(session: Session) -> None:
    west_kazakhstan(session)
    with pytest.raises(Refused) as error:
        structure.create_territories(
            session=session,
            principal=CEC,
            territories=[territory(RURAL, K.RURAL_DISTRICT, DISTRICT)],
        )
    assert _problems(error) == [("[0].kato", "kato_exists")]


def test_councils_sit_on_districts_and_cities_only(session: Session) -> None:
    west_kazakhstan(session)
    with pytest.raises(InvalidInput) as error:
        structure.create_councils(
            session=session,
            principal=CEC,
            councils=[
                NewCouncil(RURAL, 7, Names(ru="x")),
                NewCouncil(Kato("111111111"), 7, Names(ru="x")),
                NewCouncil(OTHER_DISTRICT, 0, Names()),
            ],
        )
    assert _problems(error) == [
        ("[0].territory_kato", "bad_council_territory"),
        ("[1].territory_kato", "unknown_territory"),
        ("[2].num_seats", "bad_num_seats"),
        ("[2].name_ru", "missing_name"),
    ]
    with pytest.raises(Refused) as refused:
        structure.create_councils(
            session=session, principal=CEC, councils=[NewCouncil(DISTRICT, 3, Names(ru="again"))]
        )
    assert _problems(refused) == [("[0].territory_kato", "council_exists")]


def test_deputies_fill_seats_and_no_more(session: Session) -> None:
    west_kazakhstan(session)
    ids = structure.create_deputies(
        session=session,
        principal=CEC,
        deputies=[deputy("A"), deputy("B"), deputy("Old", end=date(2012, 5, 1))],
    )
    assert len(ids) == 3
    assert [d.full_name for d in queries.list_deputies(session=session, council_kato=DISTRICT)] == [
        "A",
        "B",
        "Old",
    ]
    with pytest.raises(Refused) as error:
        structure.create_deputies(
            session=session, principal=CEC, deputies=[deputy("C"), deputy("D")]
        )
    assert _problems(error) == [("[1].council_kato", "too_many_deputies")]
    assert dict(error.value.problems[0].numbers) == {"num_seats": 3, "num_sitting": 2, "num_new": 2}
    assert session.scalar(select(func.count()).select_from(DeputyRow)) == 3


def test_deputy_dates_and_council_are_checked(session: Session) -> None:
    west_kazakhstan(session)
    bad = [
        NewDeputy(Kato("999999999"), "X", Sex.MALE, date(1970, 1, 1), date(2012, 1, 1)),
        NewDeputy(DISTRICT, " ", Sex.MALE, date(2013, 1, 1), date(2012, 1, 1)),
        NewDeputy(DISTRICT, "Y", "other", date(1970, 1, 1), date(2012, 1, 1), date(2011, 1, 1)),  # type: ignore[arg-type]
    ]
    with pytest.raises(InvalidInput) as error:
        structure.create_deputies(session=session, principal=CEC, deputies=bad)
    assert _problems(error) == [
        ("[0].council_kato", "unknown_council"),
        ("[1].full_name", "missing_name"),
        ("[1].birth_date", "bad_birth_date"),
        ("[2].sex", "bad_sex"),
        ("[2].mandate_end", "bad_mandate_end"),
    ]


def test_posts_must_lie_below_their_council(session: Session) -> None:
    west_kazakhstan(session)
    ids = structure.create_posts(
        session=session, principal=CEC, posts=[NewPost(RURAL, DISTRICT), NewPost(VILLAGE, DISTRICT)]
    )
    assert len(ids) == 2
    assert [
        p.territory_kato for p in queries.list_posts(session=session, council_kato=DISTRICT)
    ] == [
        RURAL,
        VILLAGE,
    ]
    with pytest.raises(InvalidInput) as error:
        structure.create_posts(
            session=session,
            principal=CEC,
            posts=[
                NewPost(OTHER_RURAL, DISTRICT),
                NewPost(DISTRICT, URALSK),
                NewPost(OTHER_RURAL, URALSK),
                NewPost(Kato("273630001"), Kato("273600001")),
            ],
        )
    assert _problems(error) == [
        ("[0].council_kato", "council_not_above"),
        ("[1].territory_kato", "bad_post_territory"),
        ("[1].council_kato", "council_not_above"),
        ("[2].territory_kato", "duplicate_post"),
        ("[3].territory_kato", "unknown_territory"),
        ("[3].council_kato", "unknown_council"),
    ]
    with pytest.raises(Refused) as refused:
        structure.create_posts(session=session, principal=CEC, posts=[NewPost(RURAL, DISTRICT)])
    assert _problems(refused) == [("[0].territory_kato", "post_exists")]


def test_commissions_and_members(session: Session) -> None:
    west_kazakhstan(session)
    commissions.create_commissions(
        session=session,
        principal=CEC,
        commissions=[
            NewCommission(CommissionLevel.CEC, "Central Election Commission"),
            NewCommission(CommissionLevel.REGIONAL, "ЗКО ИК", REGION),
            NewCommission(CommissionLevel.DISTRICT, "Акжаикская ТИК", DISTRICT),
        ],
    )
    commissions.create_commission_members(
        session=session,
        principal=CEC,
        members=[
            NewCommissionMember(DISTRICT, "Member M.", CommissionRole.MEMBER),
            NewCommissionMember(DISTRICT, "Chair C.", CommissionRole.CHAIR),
            NewCommissionMember(None, "Turgankulov K.", CommissionRole.CHAIR),
        ],
    )
    district = resolve.find_commission(session=session, ref=DISTRICT)
    members = commissions.list_commission_members(session=session, commission_id=district)
    assert [(m.full_name, m.role) for m in members] == [
        ("Chair C.", CommissionRole.CHAIR),
        ("Member M.", CommissionRole.MEMBER),
    ]
    assert [c.territory_kato for c in commissions.list_commissions(session=session)] == [
        None,
        REGION,
        DISTRICT,
    ]
    with pytest.raises(InvalidInput) as error:
        commissions.create_commissions(
            session=session,
            principal=CEC,
            commissions=[
                NewCommission(CommissionLevel.DISTRICT, "x", REGION),
                NewCommission(CommissionLevel.CEC, "x", URALSK),
                NewCommission("oblast", "x", OTHER_DISTRICT),  # type: ignore[arg-type]
            ],
        )
    assert _problems(error) == [
        ("[0].territory_kato", "bad_commission_territory"),
        ("[1].territory_kato", "cec_has_territory"),
        ("[2].level", "bad_level"),
    ]
    with pytest.raises(Refused) as refused:
        commissions.create_commission_members(
            session=session,
            principal=CEC,
            members=[NewCommissionMember(DISTRICT, "Second Chair", CommissionRole.CHAIR)],
        )
    assert _problems(refused) == [("[0].role", "role_taken")]
    assert verify_log(session=session).num_entries == 9 + 3 + 3
