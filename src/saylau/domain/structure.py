"""The administrative structure an election runs on: territories (KATO), councils (maslikhats)
with their deputies, election commissions with their members, and the akim posts to fill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import NewType

TerritoryId = NewType("TerritoryId", int)
CouncilId = NewType("CouncilId", int)
DeputyId = NewType("DeputyId", int)
CommissionId = NewType("CommissionId", int)
CommissionMemberId = NewType("CommissionMemberId", int)
PostId = NewType("PostId", int)
# A commission's Ed25519 public key, and a checkpoint it signed over the audit log's head.
CommissionKeyId = NewType("CommissionKeyId", int)
CheckpointId = NewType("CheckpointId", int)

Kato = NewType("Kato", str)
"""A KATO code (classifier of administrative-territorial objects): 9 digits in 2013."""


class TerritoryKind(StrEnum):
    REGION = "region"
    DISTRICT = "district"
    CITY_OF_REGIONAL_SIGNIFICANCE = "city_of_regional_significance"
    TOWN_OF_DISTRICT_SIGNIFICANCE = "town_of_district_significance"
    RURAL_DISTRICT = "rural_district"
    SETTLEMENT = "settlement"
    VILLAGE = "village"


# Territories with a council (maslikhat): a region, a district or a city of regional
# significance; those that elect akims sit at district level (a district or such a city).
COUNCIL_KINDS = frozenset(
    {TerritoryKind.DISTRICT, TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE, TerritoryKind.REGION}
)
# Decree No. 555 of 24 April 2013: akims of these units are elected by the maslikhat deputies.
POST_KINDS = frozenset(
    {
        TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE,
        TerritoryKind.RURAL_DISTRICT,
        TerritoryKind.SETTLEMENT,
        TerritoryKind.VILLAGE,
    }
)


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"


class CommissionLevel(StrEnum):
    CEC = "cec"
    REGIONAL = "regional"
    DISTRICT = "district"


class CommissionRole(StrEnum):
    CHAIR = "chair"
    DEPUTY_CHAIR = "deputy_chair"
    SECRETARY = "secretary"
    MEMBER = "member"


@dataclass(frozen=True)
class Names:
    kk: str = ""
    ru: str = ""
    en: str = ""


@dataclass(frozen=True)
class NewTerritory:
    """A territory to create; its parent is named by KATO (absent for a region)."""

    kato: Kato
    kind: TerritoryKind
    names: Names
    parent_kato: Kato | None = None


@dataclass(frozen=True)
class NewCouncil:
    """A maslikhat of the district or city with this KATO, and its statutory number of seats."""

    territory_kato: Kato
    num_seats: int
    names: Names


@dataclass(frozen=True)
class NewDeputy:
    council_kato: Kato
    full_name: str
    sex: Sex
    birth_date: date
    mandate_start: date
    mandate_end: date | None = None


@dataclass(frozen=True)
class NewCommission:
    """An election commission; the CEC has no territory, the others name theirs by KATO."""

    level: CommissionLevel
    name: str
    territory_kato: Kato | None = None


@dataclass(frozen=True)
class NewCommissionMember:
    """A member of the commission of `territory_kato` (None: the CEC)."""

    commission_kato: Kato | None
    full_name: str
    role: CommissionRole


@dataclass(frozen=True)
class NewPost:
    """The akim post of `territory_kato`, elected by the council of `council_kato`."""

    territory_kato: Kato
    council_kato: Kato


# --- stored records, as services return them ---------------------------------------------------
# A stored record is what was asked for plus its id (listed first, as every listing prints it).


@dataclass(frozen=True)
class _Stored:
    id: int


@dataclass(frozen=True)
class Territory(NewTerritory, _Stored):
    id: TerritoryId


@dataclass(frozen=True)
class Council(NewCouncil, _Stored):
    id: CouncilId


@dataclass(frozen=True)
class Deputy(NewDeputy, _Stored):
    id: DeputyId


@dataclass(frozen=True)
class Commission(NewCommission, _Stored):
    id: CommissionId


@dataclass(frozen=True)
class CommissionMember:
    """A member as stored: of the commission with this id (the request names it by KATO)."""

    id: CommissionMemberId
    commission_id: CommissionId
    full_name: str
    role: CommissionRole


@dataclass(frozen=True)
class Post(NewPost, _Stored):
    id: PostId


# Which kinds a territory's parent may have (KATO hierarchy as used in 2013).
PARENT_KINDS: dict[TerritoryKind, frozenset[TerritoryKind]] = {
    TerritoryKind.REGION: frozenset(),
    TerritoryKind.DISTRICT: frozenset({TerritoryKind.REGION}),
    TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE: frozenset({TerritoryKind.REGION}),
    TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE: frozenset({TerritoryKind.DISTRICT}),
    TerritoryKind.RURAL_DISTRICT: frozenset(
        {TerritoryKind.DISTRICT, TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE}
    ),
    TerritoryKind.SETTLEMENT: frozenset(
        {
            TerritoryKind.DISTRICT,
            TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE,
            TerritoryKind.TOWN_OF_DISTRICT_SIGNIFICANCE,
        }
    ),
    TerritoryKind.VILLAGE: frozenset(
        {
            TerritoryKind.DISTRICT,
            TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE,
            TerritoryKind.RURAL_DISTRICT,
        }
    ),
}

# The level of commission that sits on each kind of territory.
COMMISSION_TERRITORY_KINDS: dict[CommissionLevel, frozenset[TerritoryKind]] = {
    CommissionLevel.CEC: frozenset(),
    CommissionLevel.REGIONAL: frozenset({TerritoryKind.REGION}),
    CommissionLevel.DISTRICT: frozenset(
        {TerritoryKind.DISTRICT, TerritoryKind.CITY_OF_REGIONAL_SIGNIFICANCE}
    ),
}

# One person per commission may hold each of these roles.
SINGLE_ROLES = frozenset(
    {CommissionRole.CHAIR, CommissionRole.DEPUTY_CHAIR, CommissionRole.SECRETARY}
)
