"""The structure's values: a stored record is its request plus an id, and the kind tables cover
every kind of territory."""

from __future__ import annotations

from dataclasses import FrozenInstanceError, fields
from datetime import date

import pytest

from saylau.domain.structure import (
    COMMISSION_TERRITORY_KINDS,
    COUNCIL_KINDS,
    PARENT_KINDS,
    POST_KINDS,
    Commission,
    CommissionLevel,
    Council,
    Deputy,
    DeputyId,
    Kato,
    Names,
    NewCommission,
    NewCouncil,
    NewDeputy,
    NewPost,
    NewTerritory,
    Post,
    Sex,
    Territory,
    TerritoryId,
    TerritoryKind,
)

RECORDS = [
    (Territory, NewTerritory),
    (Council, NewCouncil),
    (Deputy, NewDeputy),
    (Commission, NewCommission),
    (Post, NewPost),
]


@pytest.mark.parametrize(("record", "request_"), RECORDS)
def test_a_stored_record_is_its_request_with_the_id_first(record: type, request_: type) -> None:
    names = [f.name for f in fields(record)]
    assert names == ["id", *(f.name for f in fields(request_))]


def test_records_are_built_by_keyword_and_frozen() -> None:
    deputy = Deputy(
        id=DeputyId(7),
        council_kato=Kato("271010000"),
        full_name="Deputy 07",
        sex=Sex.FEMALE,
        birth_date=date(1962, 5, 1),
        mandate_start=date(2012, 1, 15),
    )
    assert (deputy.id, deputy.mandate_end) == (7, None)
    with pytest.raises(FrozenInstanceError):
        deputy.id = DeputyId(8)  # type: ignore[misc]
    region = Territory(
        id=TerritoryId(1), kato=Kato("270000000"), kind=TerritoryKind.REGION, names=Names()
    )
    assert (region.id, region.parent_kato) == (1, None)


def test_every_kind_has_its_parents_and_no_kind_both_elects_and_is_elected() -> None:
    assert set(PARENT_KINDS) == set(TerritoryKind)
    assert PARENT_KINDS[TerritoryKind.REGION] == frozenset()
    assert frozenset() == COUNCIL_KINDS & POST_KINDS
    assert set(COMMISSION_TERRITORY_KINDS) == set(CommissionLevel)
    # Every post's territory has a parent kind that can hold a council (its electors).
    for kind in POST_KINDS:
        assert PARENT_KINDS[kind], kind


def test_stored_values_are_stable() -> None:
    """The enums' values are written to the database: renaming one breaks stored rows."""
    assert [k.value for k in TerritoryKind] == [
        "region",
        "district",
        "city_of_regional_significance",
        "town_of_district_significance",
        "rural_district",
        "settlement",
        "village",
    ]
    assert [s.value for s in Sex] == ["female", "male"]
    assert [c.value for c in CommissionLevel] == ["cec", "regional", "district"]
