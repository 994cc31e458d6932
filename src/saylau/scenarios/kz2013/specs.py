"""Frozen values of the 2013 scenario: territories, posts, councils, people, commissions.

Plain data with string ids; the services turn them into stored records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from saylau.domain.structure import CommissionLevel, CommissionRole, Sex, TerritoryKind
from saylau.scenarios.kz2013.people import PersonName

# The order in which a district's posts are filled, kind by kind (allocation.py).
POST_KIND_ORDER = (
    TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE,
    TerritoryKind.SETTLEMENT,
    TerritoryKind.VILLAGE,
    TerritoryKind.RURAL_DISTRICT,
)


@dataclass(frozen=True, slots=True)
class TerritorySpec:
    kato: str
    kind: TerritoryKind
    name_kk: str
    name_ru: str
    name_en: str
    parent_kato: str | None
    region_code: str
    is_synthetic: bool  # name and code invented by this scenario
    kato_is_synthetic: bool
    attested_2013: str  # from akim_units.csv, "synthetic", or "source" for regions/districts


@dataclass(frozen=True, slots=True)
class PostSpec:
    post_id: str
    territory_kato: str
    kind: TerritoryKind
    council_id: str
    region_code: str


@dataclass(frozen=True, slots=True)
class CouncilSpec:
    council_id: str
    territory_kato: str
    region_code: str
    name_en: str
    num_deputies: int
    is_voting: bool
    non_voting_reason: str | None
    vote_date: dt.date | None


@dataclass(frozen=True, slots=True)
class DeputySpec:
    deputy_id: str
    council_id: str
    name: PersonName
    sex: Sex
    birth_date: dt.date
    mandate_start: dt.date
    mandate_end: dt.date


@dataclass(frozen=True, slots=True)
class CommissionSpec:
    commission_id: str
    level: CommissionLevel
    territory_kato: str | None  # None for the CEC
    region_code: str | None
    name_en: str
    name_ru: str


@dataclass(frozen=True, slots=True)
class StaffSpec:
    member_id: str
    commission_id: str
    name: PersonName
    sex: Sex
    role: CommissionRole


@dataclass(frozen=True, slots=True)
class NationalStructure:
    regions: tuple[TerritorySpec, ...]
    districts: tuple[TerritorySpec, ...]
    units: tuple[TerritorySpec, ...]  # one per post
    posts: tuple[PostSpec, ...]
    councils: tuple[CouncilSpec, ...]
    deputies: tuple[DeputySpec, ...]
    commissions: tuple[CommissionSpec, ...]
    staff: tuple[StaffSpec, ...]

    def territories(self) -> Iterator[TerritorySpec]:
        """Parents before children: regions, district-level units, then akim-level units."""
        yield from self.regions
        yield from self.districts
        yield from self.units

    def voting_councils(self) -> tuple[CouncilSpec, ...]:
        return tuple(c for c in self.councils if c.is_voting)
