"""The national structure matches every published 2013 figure exactly."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from fractions import Fraction

import pytest

from saylau.domain.structure import CommissionLevel, CommissionRole, TerritoryKind
from saylau.scenarios.kz2013.apportion import apportion
from saylau.scenarios.kz2013.specs import NationalStructure
from saylau.scenarios.kz2013.structure import build_structure


def _posts_by_region(s: NationalStructure) -> Counter[str]:
    return Counter(p.region_code for p in s.posts)


def test_posts_by_kind(structure: NationalStructure) -> None:
    kinds = Counter(p.kind for p in structure.posts)
    assert len(structure.posts) == 2457
    assert kinds == {
        TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE: 47,
        TerritoryKind.RURAL_DISTRICT: 2101,
        TerritoryKind.SETTLEMENT: 119,
        TerritoryKind.VILLAGE: 190,
    }


def test_known_regional_totals(structure: NationalStructure) -> None:
    by_region = _posts_by_region(structure)
    assert by_region["KZ-KAR"] == 202
    assert by_region["KZ-ZAP"] == 151
    assert by_region["KZ-ATY"] == 72
    karaganda = Counter(p.kind for p in structure.posts if p.region_code == "KZ-KAR")
    assert karaganda == {
        TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE: 2,
        TerritoryKind.SETTLEMENT: 35,
        TerritoryKind.VILLAGE: 34,
        TerritoryKind.RURAL_DISTRICT: 131,
    }
    atyrau = Counter(p.kind for p in structure.posts if p.region_code == "KZ-ATY")
    assert atyrau == {
        TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE: 1,
        TerritoryKind.SETTLEMENT: 4,
        TerritoryKind.VILLAGE: 10,
        TerritoryKind.RURAL_DISTRICT: 57,
    }


def test_regions_and_district_units(structure: NationalStructure) -> None:
    assert len(structure.regions) == 14
    assert len(structure.districts) == 197
    kinds = Counter(d.kind for d in structure.districts)
    assert kinds == {TerritoryKind.DISTRICT: 160, TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE: 37}
    assert all(t.name_kk and t.name_ru and t.name_en for t in structure.territories())


def test_councils_and_deputies(structure: NationalStructure) -> None:
    assert len(structure.councils) == 197
    voting = structure.voting_councils()
    assert len(voting) == 188
    assert sum(c.num_deputies for c in voting) == 2602
    idle = [c for c in structure.councils if not c.is_voting]
    assert {c.name_en for c in idle} >= {"Karaganda maslikhat", "Taraz maslikhat"}
    assert all(c.non_voting_reason and c.num_deputies == 0 for c in idle)
    kinds = {d.kato: d.kind for d in structure.districts}
    assert all(kinds[c.territory_kato] is TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE for c in idle)
    by_name = {(c.region_code, c.name_en): c.num_deputies for c in voting}
    assert by_name[("KZ-ZAP", "Uralsk maslikhat")] == 19
    assert by_name[("KZ-MAN", "Zhanaozen maslikhat")] == 13
    region_sum = Counter[str]()
    for c in voting:
        region_sum[c.region_code] += c.num_deputies
    assert (region_sum["KZ-ATY"], region_sum["KZ-MAN"], region_sum["KZ-KAR"]) == (104, 89, 215)
    for c in voting:
        cap = 30 if kinds[c.territory_kato] is TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE else 25
        assert 9 <= c.num_deputies <= cap, c


def test_deputies_are_people_with_mandates(structure: NationalStructure) -> None:
    assert len(structure.deputies) == 2602
    assert len({d.deputy_id for d in structure.deputies}) == 2602
    assert {(d.mandate_start, d.mandate_end) for d in structure.deputies} == {
        (dt.date(2012, 1, 15), dt.date(2017, 1, 15))
    }
    per_council = Counter(d.council_id for d in structure.deputies)
    assert per_council == {c.council_id: c.num_deputies for c in structure.voting_councils()}


def test_every_post_belongs_to_one_voting_council(structure: NationalStructure) -> None:
    voting = {c.council_id for c in structure.voting_councils()}
    with_posts = {p.council_id for p in structure.posts}
    assert with_posts == voting  # every voting council has a post, no idle one has
    units = {u.kato: u for u in structure.units}
    for p in structure.posts:
        assert p.council_id == f"council-{units[p.territory_kato].parent_kato}"


def test_commissions_and_staff(structure: NationalStructure) -> None:
    levels = Counter(c.level for c in structure.commissions)
    assert levels == {
        CommissionLevel.CEC: 1,
        CommissionLevel.REGIONAL: 14,
        CommissionLevel.DISTRICT: 197,
    }
    level_of = {c.commission_id: c.level for c in structure.commissions}
    district_staff = [
        m for m in structure.staff if level_of[m.commission_id] is CommissionLevel.DISTRICT
    ]
    assert len(district_staff) == 1316
    roles = Counter(m.role for m in district_staff)
    assert roles[CommissionRole.CHAIR] == roles[CommissionRole.SECRETARY] == 188


def test_kato_codes_unique_and_nested(structure: NationalStructure) -> None:
    codes = [t.kato for t in structure.territories()]
    assert len(codes) == len(set(codes)) == 14 + 197 + 2457
    assert all(len(c) == 9 and c.isdigit() for c in codes)
    for u in structure.units:
        assert u.parent_kato is not None and u.kato[:4] == u.parent_kato[:4]
        assert u.kato[4:] != "00000"


def test_real_names_kept_synthetic_ones_labelled(structure: NationalStructure) -> None:
    by_en = {u.name_en: u for u in structure.units}
    assert (
        by_en["Abay"].kind is TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE
        and not by_en["Abay"].is_synthetic
    )
    assert by_en["Kulsary"].attested_2013 == "yes"
    named = [u for u in structure.units if not u.is_synthetic]
    assert len(named) == 120
    synthetic = [u for u in structure.units if u.is_synthetic]
    assert len(synthetic) == 2457 - 120
    assert all("(synthetic)" in u.name_en and "шартты" in u.name_kk for u in synthetic)
    assert all("условный" in u.name_ru for u in synthetic)


def test_voting_dates(structure: NationalStructure) -> None:
    dates: dict[str, set[dt.date]] = {}
    for c in structure.voting_councils():
        assert c.vote_date is not None
        dates.setdefault(c.region_code, set()).add(c.vote_date)
    aug = lambda d: dt.date(2013, 8, d)  # noqa: E731
    assert dates["KZ-YUZ"] == {aug(5)}
    assert dates["KZ-ATY"] == {aug(6)}
    for code in ("KZ-AKT", "KZ-ALM", "KZ-KUS", "KZ-KZY", "KZ-MAN", "KZ-PAV", "KZ-SEV"):
        assert dates[code] == {aug(7)}, code
    assert dates["KZ-VOS"] == {aug(7), aug(8)}
    assert dates["KZ-ZAP"] == {aug(7), aug(9)}
    assert dates["KZ-AKM"] == dates["KZ-KAR"] == {aug(8)}
    assert dates["KZ-ZHA"] == {aug(9)}
    wko = {
        c.name_en.removesuffix(" maslikhat"): c.vote_date
        for c in structure.voting_councils()
        if c.region_code == "KZ-ZAP"
    }
    assert wko["Uralsk"] == aug(9) and wko["Zhangala"] == aug(7)
    by_council = {c.council_id: c.vote_date for c in structure.councils}
    wko_7 = sum(
        1
        for p in structure.posts
        if p.region_code == "KZ-ZAP" and by_council[p.council_id] == aug(7)
    )
    assert wko_7 == 62  # E8


def test_same_seed_same_structure() -> None:
    assert build_structure(7) == build_structure(7)
    assert build_structure(7).deputies != build_structure(8).deputies


@pytest.mark.parametrize(
    ("total", "weights", "minima", "expected"),
    [
        (10, [1, 1, 1], None, [4, 3, 3]),
        (10, [Fraction(1, 2), 1, 1], [0, 0, 5], [1, 2, 7]),
        (7, [0, 1], [3, 0], [3, 4]),
    ],
)
def test_apportion(
    total: int, weights: list[Fraction | int], minima: list[int] | None, expected: list[int]
) -> None:
    assert apportion(total, weights, minima) == expected


def test_apportion_refuses_impossible() -> None:
    with pytest.raises(ValueError, match="minima"):
        apportion(3, [1, 1], [2, 2])
    with pytest.raises(ValueError, match="no positive weight"):
        apportion(3, [0, 0])
