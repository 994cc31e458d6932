"""Reading the structure back: territories, councils with their deputies, and posts, as
domain values (the CLI's listings and the election flow use these)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.structure import CouncilRow, DeputyRow, PostRow, TerritoryRow
from saylau.domain.structure import (
    Council,
    CouncilId,
    Deputy,
    DeputyId,
    Kato,
    Names,
    Post,
    PostId,
    Sex,
    Territory,
    TerritoryId,
    TerritoryKind,
)
from saylau.services.errors import NotFound

_territory = table_of(TerritoryRow)
_council = table_of(CouncilRow)
_deputy = table_of(DeputyRow)
_post = table_of(PostRow)


def _names(row: Any) -> Names:
    return Names(kk=row.name_kk, ru=row.name_ru, en=row.name_en)


def list_territories(
    *, session: Session, kind: TerritoryKind | None = None, parent_kato: str | None = None
) -> list[Territory]:
    parent = _territory.alias("parent")
    stmt = (
        select(_territory, parent.c.kato.label("parent_kato"))
        .outerjoin(parent, parent.c.id == _territory.c.parent_id)
        .order_by(_territory.c.kato)
    )
    if kind is not None:
        stmt = stmt.where(_territory.c.kind == str(kind))
    if parent_kato is not None:
        stmt = stmt.where(parent.c.kato == parent_kato)
    return [
        Territory(
            id=TerritoryId(r.id),
            kato=Kato(r.kato),
            kind=TerritoryKind(r.kind),
            names=_names(r),
            parent_kato=Kato(r.parent_kato) if r.parent_kato else None,
        )
        for r in session.execute(stmt)
    ]


def get_council(*, session: Session, kato: str) -> Council:
    """The council of the district or city with this KATO."""
    councils = list_councils(session=session, katos=[kato])
    if not councils:
        raise NotFound.one(
            "unknown_council", f"no council of KATO {kato} is stored", where="kato", kato=kato
        )
    return councils[0]


def list_councils(
    *,
    session: Session,
    katos: Sequence[str] | None = None,
    council_ids: Sequence[CouncilId] | None = None,
) -> list[Council]:
    """Councils ordered by KATO: every one, or those of `katos`, or those of `council_ids`."""
    stmt = (
        select(_council, _territory.c.kato)
        .join(_territory, _territory.c.id == _council.c.territory_id)
        .order_by(_territory.c.kato)
    )
    if katos is not None:
        stmt = stmt.where(_territory.c.kato.in_(list(katos)))
    if council_ids is not None:
        stmt = stmt.where(_council.c.id.in_(list(council_ids)))
    return [
        Council(
            id=CouncilId(r.id), territory_kato=Kato(r.kato), num_seats=r.num_seats, names=_names(r)
        )
        for r in session.execute(stmt)
    ]


def list_deputies(*, session: Session, council_kato: str) -> list[Deputy]:
    council = get_council(session=session, kato=council_kato)
    stmt = select(_deputy).where(_deputy.c.council_id == council.id).order_by(_deputy.c.full_name)
    return [
        Deputy(
            id=DeputyId(r.id),
            council_kato=council.territory_kato,
            full_name=r.full_name,
            sex=Sex(r.sex),
            birth_date=r.birth_date,
            mandate_start=r.mandate_start,
            mandate_end=r.mandate_end,
        )
        for r in session.execute(stmt)
    ]


def list_posts(*, session: Session, council_kato: str | None = None) -> list[Post]:
    council_territory = _territory.alias("council_territory")
    stmt = (
        select(_post.c.id, _territory.c.kato, council_territory.c.kato.label("council_kato"))
        .join(_territory, _territory.c.id == _post.c.territory_id)
        .join(_council, _council.c.id == _post.c.council_id)
        .join(council_territory, council_territory.c.id == _council.c.territory_id)
        .order_by(_territory.c.kato)
    )
    if council_kato is not None:
        stmt = stmt.where(council_territory.c.kato == council_kato)
    return [
        Post(id=PostId(r.id), territory_kato=Kato(r.kato), council_kato=Kato(r.council_kato))
        for r in session.execute(stmt)
    ]
