"""Two regions with one district each, a council and a commission (chair, secretary, member)
in each district: enough territory to try every role in and out of its scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy.orm import Session

from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.structure import (
    CommissionLevel,
    CommissionRole,
    Kato,
    Names,
    NewCommission,
    NewCommissionMember,
    NewCouncil,
    NewTerritory,
    TerritoryKind,
)
from saylau.services import commissions, structure, structure_queries

ROOT = Principal(UserId(1), Role.CEC_ADMIN)
REGION_A, DISTRICT_A = Kato("270000000"), Kato("273400000")
REGION_B, DISTRICT_B = Kato("350000000"), Kato("353400000")
NOW = datetime(2026, 11, 30, 3, 0, tzinfo=UTC)


@dataclass(frozen=True)
class TwoRegions:
    territory: dict[str, int]  # KATO -> territory id
    members: dict[tuple[str, CommissionRole], int]  # (district KATO, role) -> member id


def build_two_regions(session: Session) -> TwoRegions:
    structure.create_territories(
        session=session,
        principal=ROOT,
        territories=[
            NewTerritory(REGION_A, TerritoryKind.REGION, Names(en="Region A")),
            NewTerritory(DISTRICT_A, TerritoryKind.DISTRICT, Names(en="District A"), REGION_A),
            NewTerritory(REGION_B, TerritoryKind.REGION, Names(en="Region B")),
            NewTerritory(DISTRICT_B, TerritoryKind.DISTRICT, Names(en="District B"), REGION_B),
        ],
    )
    structure.create_councils(
        session=session,
        principal=ROOT,
        councils=[NewCouncil(k, 15, Names(en=f"Council {k}")) for k in (DISTRICT_A, DISTRICT_B)],
    )
    commissions.create_commissions(
        session=session,
        principal=ROOT,
        commissions=[
            NewCommission(CommissionLevel.DISTRICT, f"Commission {k}", k)
            for k in (DISTRICT_A, DISTRICT_B)
        ],
    )
    roles = (CommissionRole.CHAIR, CommissionRole.SECRETARY, CommissionRole.MEMBER)
    people = [(k, r) for k in (DISTRICT_A, DISTRICT_B) for r in roles]
    ids = commissions.create_commission_members(
        session=session,
        principal=ROOT,
        members=[NewCommissionMember(k, f"{r} of {k}", r) for k, r in people],
    )
    territory = {t.kato: t.id for t in structure_queries.list_territories(session=session)}
    return TwoRegions(territory, dict(zip(people, ids, strict=True)))
