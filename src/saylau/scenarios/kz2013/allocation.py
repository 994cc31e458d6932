"""Rules that fill the gaps of the 2013 data: posts per region and district, names, deputies, dates.

Published totals are kept exactly (largest remainder); see docs/scenario-kz2013.md, "Structure".
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from saylau.domain.structure import TerritoryKind
from saylau.scenarios.kz2013.apportion import apportion
from saylau.scenarios.kz2013.sources import DistrictRow, RegionRow, UnitRow
from saylau.scenarios.kz2013.specs import POST_KIND_ORDER, TerritorySpec

TOWN, SETTLEMENT, VILLAGE, RURAL = POST_KIND_ORDER

# E1/E2: 2,457 posts = 47 towns + 2,101 rural districts + 119 settlements + 190 villages.
NATIONAL_POSTS = {TOWN: 47, SETTLEMENT: 119, VILLAGE: 190, RURAL: 2101}
# E5 (Karaganda) and E10 (Atyrau) give the split by kind.
REGION_KIND_PINS = {
    "KZ-KAR": {TOWN: 2, SETTLEMENT: 35, VILLAGE: 34, RURAL: 131},
    "KZ-ATY": {TOWN: 1, SETTLEMENT: 4, VILLAGE: 10, RURAL: 57},
}
# E7: West Kazakhstan 151. E11: Mangystau's "47 polling stations" with 141 candidates (3 a post)
# read as 47 posts; medium confidence, an inference of this scenario.
REGION_TOTAL_PINS = {"KZ-ZAP": 151, "KZ-MAN": 47}
# E8: West Kazakhstan voted for 62 posts on 7 August, so 89 on 9 August.
DATE_GROUP_PINS = {
    ("KZ-ZAP", dt.date(2013, 8, 7)): 62,
    ("KZ-ZAP", dt.date(2013, 8, 9)): 89,
}
# E9, E11: Uralsk 3 posts (2 settlements, 1 rural district), Zhanaozen 3 villages, all named.
PINNED_COUNCILS = {("KZ-ZAP", "Uralsk (city)"), ("KZ-MAN", "Zhanaozen (city)")}
# docs/kz2013-sources.md gap 3: 9 of the 37 cities of regional significance had no
# subordinate akim post.
# The five named there, plus four of the six it offers (Shymkent and Pavlodar kept voting).
NON_VOTING_CITIES = {
    ("KZ-KAR", "Karaganda (city)"),
    ("KZ-KAR", "Priozersk (city)"),
    ("KZ-KUS", "Kostanay (city)"),
    ("KZ-SEV", "Petropavlovsk (city)"),
    ("KZ-ZHA", "Taraz (city)"),
    ("KZ-VOS", "Kurchatov (city)"),
    ("KZ-VOS", "Ust-Kamenogorsk (city)"),
    ("KZ-KUS", "Lisakovsk (city)"),
    ("KZ-ALM", "Tekeli (city)"),
}
NON_VOTING_REASON = "city of regional significance with no subordinate akim post (assumed)"
# The 47th town of district significance is not identified (docs/kz2013-sources.md section 2).
SYNTHETIC_TOWN_DISTRICT = ("KZ-ALM", "Ile")
# A city of regional significance has few villages or settlements under it.
CITY_WEIGHT = Fraction(1, 5)

# E0: 2,602 deputies in 188 maslikhats; E0b, E10, E11, E9: regional and council figures.
NATIONAL_DEPUTIES = 2602
REGION_DEPUTY_PINS = {"KZ-KAR": 215, "KZ-ATY": 104, "KZ-MAN": 89}
COUNCIL_DEPUTY_PINS = {("KZ-ZAP", "Uralsk (city)"): 19, ("KZ-MAN", "Zhanaozen (city)"): 13}
MIN_DEPUTIES = 9
MAX_DEPUTIES_DISTRICT = 25  # present law: up to 25 for a district, 30 for a city
MAX_DEPUTIES_CITY = 30
DEPUTY_WEIGHT_BASE = 30  # council size grows slowly with the number of posts


@dataclass(frozen=True, slots=True)
class PostPlan:
    units: dict[str, tuple[TerritorySpec, ...]]  # district KATO -> its akim-level units
    non_voting: dict[str, str]  # district KATO -> why its council holds no vote


def _key(d: DistrictRow) -> tuple[str, str]:
    """Region and name; a city shares its name with the district around it (Kostanay)."""
    return (d.region_code, d.name_en + (" (city)" if d.is_city else ""))


def plan_posts(
    regions: Sequence[RegionRow], districts: Sequence[DistrictRow], units: Sequence[UnitRow]
) -> PostPlan:
    non_voting = {d.kato: NON_VOTING_REASON for d in districts if _key(d) in NON_VOTING_CITIES}
    voting = [d for d in districts if d.kato not in non_voting]
    named = _named_units(voting, units)
    minima = {d.kato: max(1, len(named[d.kato])) for d in voting}
    weights = {d.kato: _council_weight(d) for d in voting}

    region_totals = _region_totals(regions, voting, minima, weights)
    council_totals: dict[str, int] = {}
    for region in regions:
        in_region = [d for d in voting if d.region_code == region.code]
        for group, total in _date_groups(region.code, in_region, region_totals[region.code]):
            parts = apportion(
                total, [weights[d.kato] for d in group], [minima[d.kato] for d in group]
            )
            council_totals.update(zip((d.kato for d in group), parts, strict=True))

    kind_totals = _region_kind_totals(regions, voting, named, region_totals)
    plan_units: dict[str, tuple[TerritorySpec, ...]] = {}
    for region in regions:
        in_region = [d for d in voting if d.region_code == region.code]
        split = _split_kinds(in_region, named, council_totals, kind_totals[region.code])
        for d in in_region:
            plan_units[d.kato] = _make_units(d, named[d.kato], split[d.kato])
    return PostPlan(units=plan_units, non_voting=non_voting)


def _council_weight(d: DistrictRow) -> Fraction:
    if _key(d) in PINNED_COUNCILS:
        return Fraction(0)
    return CITY_WEIGHT if d.is_city else Fraction(1)


def _named_units(
    voting: Sequence[DistrictRow], units: Sequence[UnitRow]
) -> dict[str, list[UnitRow]]:
    by_name = {_key(d): d.kato for d in voting}
    if len(by_name) != len(voting):
        raise ValueError("two voting councils share a region and a name")
    named: dict[str, list[UnitRow]] = {d.kato: [] for d in voting}
    for u in units:
        suffix = " (city)" if u.district_is_city else ""
        named[by_name[(u.region_code, u.district_en + suffix)]].append(u)
    for d in voting:
        if _key(d) == SYNTHETIC_TOWN_DISTRICT:
            named[d.kato].append(_synthetic_town(d))
    return named


def _synthetic_town(d: DistrictRow) -> UnitRow:
    return UnitRow(
        region_code=d.region_code,
        district_en=d.name_en,
        district_is_city=d.is_city,
        name_en=f"{d.name_en} district town (synthetic)",
        name_ru=f"Город {d.name_ru} (условный)",
        name_kk=f"{d.name_kk} қаласы (шартты)",
        kind=TOWN.value,
        attested_2013="synthetic",
        confidence="none",
    )


def _region_totals(
    regions: Sequence[RegionRow],
    voting: Sequence[DistrictRow],
    minima: dict[str, int],
    weights: dict[str, Fraction],
) -> dict[str, int]:
    pinned = {code: sum(kinds.values()) for code, kinds in REGION_KIND_PINS.items()}
    pinned.update(REGION_TOTAL_PINS)
    free = [r for r in regions if r.code not in pinned]
    parts = apportion(
        sum(NATIONAL_POSTS.values()) - sum(pinned.values()),
        [
            sum((weights[d.kato] for d in voting if d.region_code == r.code), Fraction(0))
            for r in free
        ],
        [sum(minima[d.kato] for d in voting if d.region_code == r.code) for r in free],
    )
    return pinned | dict(zip((r.code for r in free), parts, strict=True))


def _date_groups(
    region_code: str, councils: list[DistrictRow], total: int
) -> list[tuple[list[DistrictRow], int]]:
    pins = {day: n for (code, day), n in DATE_GROUP_PINS.items() if code == region_code}
    if not pins:
        return [(councils, total)]
    return [([d for d in councils if d.vote_dates == (day,)], n) for day, n in pins.items()]


def _region_kind_totals(
    regions: Sequence[RegionRow],
    voting: Sequence[DistrictRow],
    named: dict[str, list[UnitRow]],
    region_totals: dict[str, int],
) -> dict[str, dict[TerritoryKind, int]]:
    counts = {r.code: Counter[str]() for r in regions}
    for d in voting:
        counts[d.region_code].update(u.kind for u in named[d.kato])
    result = {code: dict(kinds) for code, kinds in REGION_KIND_PINS.items()}
    free = [r.code for r in regions if r.code not in REGION_KIND_PINS]
    for code in free:
        result[code] = {TOWN: counts[code][TOWN.value]}
    for kind in (SETTLEMENT, VILLAGE):
        left = NATIONAL_POSTS[kind] - sum(kinds[kind] for kinds in REGION_KIND_PINS.values())
        parts = apportion(
            left,
            [region_totals[c] - result[c][TOWN] for c in free],
            [counts[c][kind.value] for c in free],
        )
        for code, n in zip(free, parts, strict=True):
            result[code][kind] = n
    for code in free:
        kinds = result[code]
        kinds[RURAL] = region_totals[code] - kinds[TOWN] - kinds[SETTLEMENT] - kinds[VILLAGE]
        if kinds[RURAL] < counts[code][RURAL.value]:
            raise ValueError(f"{code}: fewer rural districts than named ones")
    return result


def _split_kinds(
    councils: list[DistrictRow],
    named: dict[str, list[UnitRow]],
    totals: dict[str, int],
    kinds: dict[TerritoryKind, int],
) -> dict[str, dict[TerritoryKind, int]]:
    """Each council's posts by kind: named ones first, the rest by free capacity."""
    have = {d.kato: Counter(u.kind for u in named[d.kato]) for d in councils}
    split = {d.kato: {TOWN: have[d.kato][TOWN.value]} for d in councils}
    if sum(s[TOWN] for s in split.values()) != kinds[TOWN]:
        raise ValueError(f"{councils[0].region_code}: named towns do not match the region's towns")
    for kind in (SETTLEMENT, VILLAGE):
        later = [
            k
            for k in (SETTLEMENT, VILLAGE, RURAL)
            if POST_KIND_ORDER.index(k) > POST_KIND_ORDER.index(kind)
        ]
        free = [
            totals[d.kato] - sum(split[d.kato].values()) - sum(have[d.kato][k.value] for k in later)
            for d in councils
        ]
        floors = [have[d.kato][kind.value] for d in councils]
        weights = [f - m for f, m in zip(free, floors, strict=True)]
        parts = apportion(kinds[kind], weights, floors)
        for d, n in zip(councils, parts, strict=True):
            split[d.kato][kind] = n
    for d in councils:
        split[d.kato][RURAL] = totals[d.kato] - sum(split[d.kato].values())
    return split


_SYNTHETIC_NAMES = {
    SETTLEMENT: ("settlement", "Посёлок", "кент"),
    VILLAGE: ("village", "Село", "ауыл"),
    RURAL: ("rural district", "Сельский округ", "ауылдық округ"),
}


def _make_units(
    d: DistrictRow, named: list[UnitRow], split: dict[TerritoryKind, int]
) -> tuple[TerritorySpec, ...]:
    """Named units first, then numbered synthetic ones; KATO codes under the district's code.

    Codes: the district's first four digits, then 20100, 21100, ... for towns (the KATO pattern of
    towns under a district) and 30000, 31000, ... 99000 for the other units. Unique by
    construction, never ending in 00000 like a district's code.
    """
    prefix = d.kato[:4]
    result: list[TerritorySpec] = []
    slot = 0
    for kind in POST_KIND_ORDER:
        rows = [u for u in named if u.kind == kind.value]
        for i in range(split[kind]):
            if kind is TOWN:
                kato = f"{prefix}{20 + i}100"
            else:
                if slot >= 70:
                    raise ValueError(f"{d.name_en}: more than 70 units, KATO scheme exhausted")
                kato = f"{prefix}{30 + slot}000"
                slot += 1
            if i < len(rows):
                result.append(_named_territory(d, rows[i], kind, kato))
            else:
                result.append(_synthetic_territory(d, kind, kato, i - len(rows) + 1))
    return tuple(result)


def _named_territory(d: DistrictRow, u: UnitRow, kind: TerritoryKind, kato: str) -> TerritorySpec:
    return TerritorySpec(
        kato=kato,
        kind=kind,
        name_kk=u.name_kk or u.name_ru,  # Kazakh name unknown: the Russian one stands in
        name_ru=u.name_ru,
        name_en=u.name_en,
        parent_kato=d.kato,
        region_code=d.region_code,
        is_synthetic=u.attested_2013 == "synthetic",
        kato_is_synthetic=True,
        attested_2013=u.attested_2013,
    )


def _synthetic_territory(d: DistrictRow, kind: TerritoryKind, kato: str, n: int) -> TerritorySpec:
    en, ru, kk = _SYNTHETIC_NAMES[kind]
    return TerritorySpec(
        kato=kato,
        kind=kind,
        name_kk=f"№ {n} {kk} ({d.name_kk}, шартты)",
        name_ru=f"{ru} № {n} ({d.name_ru}, условный)",
        name_en=f"{d.name_en} {en} {n} (synthetic)",
        parent_kato=d.kato,
        region_code=d.region_code,
        is_synthetic=True,
        kato_is_synthetic=True,
        attested_2013="synthetic",
    )


def plan_deputies(districts: Sequence[DistrictRow], plan: PostPlan) -> dict[str, int]:
    """Deputies per voting council; the nine councils that hold no vote get none here."""
    voting = [d for d in districts if d.kato not in plan.non_voting]
    sizes = {d.kato: COUNCIL_DEPUTY_PINS[_key(d)] for d in voting if _key(d) in COUNCIL_DEPUTY_PINS}
    groups: dict[str | None, list[DistrictRow]] = defaultdict(list)
    for d in voting:
        if d.kato not in sizes:
            groups[d.region_code if d.region_code in REGION_DEPUTY_PINS else None].append(d)
    pinned_in: Counter[str | None] = Counter()
    for d in voting:
        if d.kato in sizes:
            pinned_in[d.region_code if d.region_code in REGION_DEPUTY_PINS else None] += sizes[
                d.kato
            ]
    left: dict[str | None, int] = {
        code: n - pinned_in[code] for code, n in REGION_DEPUTY_PINS.items()
    }
    left[None] = NATIONAL_DEPUTIES - sum(REGION_DEPUTY_PINS.values()) - pinned_in[None]
    for code, group in groups.items():
        parts = apportion(
            left[code],
            [DEPUTY_WEIGHT_BASE + len(plan.units[d.kato]) for d in group],
            [MIN_DEPUTIES] * len(group),
        )
        sizes.update(zip((d.kato for d in group), parts, strict=True))
    for d in voting:
        cap = MAX_DEPUTIES_CITY if d.is_city else MAX_DEPUTIES_DISTRICT
        if sizes[d.kato] > cap:
            raise ValueError(f"{d.name_en}: {sizes[d.kato]} deputies, more than {cap}")
    return sizes


def plan_vote_dates(districts: Sequence[DistrictRow], plan: PostPlan) -> dict[str, dt.date]:
    """Each voting council's meeting day from districts.csv.

    Where a region voted over two days with no per-district source (East Kazakhstan, 7-8 Aug),
    the first half of its voting councils in KATO order vote on the first day, the rest on the
    second (the larger half first).
    """
    dates: dict[str, dt.date] = {}
    split: dict[tuple[dt.date, ...], list[DistrictRow]] = defaultdict(list)
    for d in districts:
        if d.kato in plan.non_voting:
            continue
        if len(d.vote_dates) == 1:
            dates[d.kato] = d.vote_dates[0]
        else:
            split[d.vote_dates].append(d)
    for days, group in split.items():
        group.sort(key=lambda d: d.kato)
        first_half = (len(group) + 1) // 2
        for i, d in enumerate(group):
            dates[d.kato] = days[0] if i < first_half else days[-1]
    return dates
