"""The national structure of August 2013 as plain frozen values, built without a database.

Regions, district-level units, akim posts, councils with their deputies, and commissions with
their staff. Real names and codes come from data/; every gap is filled by the documented rules
of docs/scenario-kz2013.md (see allocation.py) and labelled synthetic.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterator

from saylau.domain.structure import CommissionLevel, CommissionRole, TerritoryKind
from saylau.scenarios.kz2013 import allocation
from saylau.scenarios.kz2013.people import birth_date_for_age, draw_name, draw_sex
from saylau.scenarios.kz2013.sources import DistrictRow, load_districts, load_regions, load_units
from saylau.scenarios.kz2013.specs import (
    CommissionSpec,
    CouncilSpec,
    DeputySpec,
    NationalStructure,
    PostSpec,
    StaffSpec,
    TerritorySpec,
)

# Maslikhats elected on 15 January 2012 for five years.
MANDATE_START = dt.date(2012, 1, 15)
MANDATE_END = dt.date(2017, 1, 15)
P_FEMALE_DEPUTY = 0.2
DEPUTY_AGES = (28, 66)
STAFF_PER_COMMISSION = 7  # 1,316 staff / 188 voting-district commissions


def council_id_for(kato: str) -> str:
    return f"council-{kato}"


def build_structure(seed: int = 2013) -> NationalStructure:
    """Build the whole national structure; the same seed gives the same people."""
    rng = random.Random(seed)
    districts = load_districts()
    plan = allocation.plan_posts(load_regions(), districts, load_units())
    deputies_per = allocation.plan_deputies(districts, plan)
    dates = allocation.plan_vote_dates(districts, plan)

    regions = tuple(
        TerritorySpec(
            kato=r.kato_prefix + "0000000",
            kind=TerritoryKind.REGION,
            name_kk=r.name_kk,
            name_ru=r.name_ru,
            name_en=r.name_en,
            parent_kato=None,
            region_code=r.code,
            is_synthetic=False,
            kato_is_synthetic=False,
            attested_2013="source",
        )
        for r in load_regions()
    )
    region_kato = {r.region_code: r.kato for r in regions}
    district_specs = tuple(_district_territory(d, region_kato[d.region_code]) for d in districts)
    units = tuple(u for d in districts for u in plan.units.get(d.kato, ()))
    posts = tuple(
        PostSpec(
            post_id=f"post-{u.kato}",
            territory_kato=u.kato,
            kind=u.kind,
            council_id=council_id_for(u.parent_kato or ""),
            region_code=u.region_code,
        )
        for u in units
    )
    councils = tuple(
        CouncilSpec(
            council_id=council_id_for(d.kato),
            territory_kato=d.kato,
            region_code=d.region_code,
            name_en=f"{d.name_en} maslikhat",
            num_deputies=deputies_per.get(d.kato, 0),
            is_voting=d.kato not in plan.non_voting,
            non_voting_reason=plan.non_voting.get(d.kato),
            vote_date=dates.get(d.kato),
        )
        for d in districts
    )
    deputies = tuple(_draw_deputies(rng, councils))
    commissions = _commissions(regions, districts)
    staff = tuple(_draw_staff(rng, commissions, plan.non_voting))
    return NationalStructure(
        regions=regions,
        districts=district_specs,
        units=units,
        posts=posts,
        councils=councils,
        deputies=deputies,
        commissions=commissions,
        staff=staff,
    )


def _district_territory(d: DistrictRow, parent: str) -> TerritorySpec:
    return TerritorySpec(
        kato=d.kato,
        kind=TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE if d.is_city else TerritoryKind.DISTRICT,
        name_kk=d.name_kk,
        name_ru=d.name_ru,
        name_en=d.name_en,
        parent_kato=parent,
        region_code=d.region_code,
        is_synthetic=False,
        kato_is_synthetic=False,
        attested_2013="source",
    )


def _draw_deputies(rng: random.Random, councils: tuple[CouncilSpec, ...]) -> Iterator[DeputySpec]:
    for c in councils:
        for n in range(1, c.num_deputies + 1):
            sex = draw_sex(rng, P_FEMALE_DEPUTY)
            age = rng.randint(*DEPUTY_AGES)
            yield DeputySpec(
                deputy_id=f"dep-{c.territory_kato}-{n:02d}",
                council_id=c.council_id,
                name=draw_name(rng, sex),
                sex=sex,
                birth_date=birth_date_for_age(rng, MANDATE_START, age),
                mandate_start=MANDATE_START,
                mandate_end=MANDATE_END,
            )


def _commissions(
    regions: tuple[TerritorySpec, ...], districts: tuple[DistrictRow, ...]
) -> tuple[CommissionSpec, ...]:
    cec = CommissionSpec(
        commission_id="com-cec",
        level=CommissionLevel.CEC,
        territory_kato=None,
        region_code=None,
        name_en="Central Election Commission of the Republic of Kazakhstan",
        name_ru="Центральная избирательная комиссия Республики Казахстан",
    )
    regional = tuple(
        CommissionSpec(
            commission_id=f"com-{r.kato}",
            level=CommissionLevel.REGIONAL,
            territory_kato=r.kato,
            region_code=r.region_code,
            name_en=f"{r.name_en} election commission",
            name_ru=f"{r.name_ru}: избирательная комиссия",
        )
        for r in regions
    )
    local = tuple(
        CommissionSpec(
            commission_id=f"com-{d.kato}",
            level=CommissionLevel.DISTRICT,
            territory_kato=d.kato,
            region_code=d.region_code,
            name_en=f"{d.name_en} election commission",
            name_ru=f"{d.name_ru}: избирательная комиссия",
        )
        for d in districts
    )
    return (cec, *regional, *local)


_OFFICERS = (CommissionRole.CHAIR, CommissionRole.DEPUTY_CHAIR, CommissionRole.SECRETARY)
_ROLES = _OFFICERS + (CommissionRole.MEMBER,) * (STAFF_PER_COMMISSION - len(_OFFICERS))


def _draw_staff(
    rng: random.Random, commissions: tuple[CommissionSpec, ...], non_voting: dict[str, str]
) -> Iterator[StaffSpec]:
    """Seven staff for the CEC, each regional commission and each commission that runs a vote.

    The commissions of the nine councils that hold no vote have no contest to run and are left
    without staff for this event, so district-level staff total exactly 1,316 (7 x 188).
    """
    for c in commissions:
        if c.territory_kato in non_voting:
            continue
        for n, role in enumerate(_ROLES, start=1):
            sex = draw_sex(rng, 0.4)
            yield StaffSpec(
                member_id=f"{c.commission_id}-m{n}",
                commission_id=c.commission_id,
                name=draw_name(rng, sex),
                sex=sex,
                role=role,
            )
