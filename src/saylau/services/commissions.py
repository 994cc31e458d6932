"""Election commissions (CEC, regional, district/town) and their members with roles, created
in batches checked in bulk; each row gets its audit entry."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in
from saylau.db.tables.structure import CommissionMemberRow, CommissionRow, TerritoryRow
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.structure import (
    COMMISSION_TERRITORY_KINDS,
    SINGLE_ROLES,
    Commission,
    CommissionId,
    CommissionLevel,
    CommissionMember,
    CommissionMemberId,
    CommissionRole,
    Kato,
    NewCommission,
    NewCommissionMember,
)
from saylau.services import audit
from saylau.services.permissions import Action, authorize
from saylau.services.structure import COMMISSION, COMMISSION_MEMBER, territories_by_kato
from saylau.services.transaction import transaction
from saylau.services.validation import Problems

_commission = table_of(CommissionRow)
_member = table_of(CommissionMemberRow)
_territory = table_of(TerritoryRow)

CEC_KEY = ""  # how the CEC (no territory) is keyed where commissions are keyed by KATO


def commissions_by_kato(*, session: Session) -> dict[str, tuple[int, str]]:
    """{territory KATO, or "" for the CEC: (commission id, level)} of every stored commission."""
    stmt = select(_territory.c.kato, _commission.c.id, _commission.c.level).outerjoin(
        _territory, _territory.c.id == _commission.c.territory_id
    )
    return {kato or CEC_KEY: (cid, level) for kato, cid, level in session.execute(stmt)}


def create_commissions(
    *,
    session: Session,
    principal: Principal,
    commissions: Sequence[NewCommission],
    labels: Sequence[str] | None = None,
) -> list[CommissionId]:
    with transaction(session=session):
        return add_commissions(
            session=session, principal=principal, commissions=commissions, labels=labels
        )


def add_commissions(
    *,
    session: Session,
    principal: Principal,
    commissions: Sequence[NewCommission],
    labels: Sequence[str] | None = None,
) -> list[CommissionId]:
    actor = authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    p = Problems("commissions", len(commissions), labels)
    territories = territories_by_kato(
        session=session, katos=[c.territory_kato for c in commissions if c.territory_kato]
    )
    stored = commissions_by_kato(session=session)
    seen: dict[str, int] = {}
    for i, c in enumerate(commissions):
        key = c.territory_kato or CEC_KEY
        if key in seen:
            p.bad(
                i,
                "territory_kato",
                "duplicate_commission",
                f"the commission of {key or 'the CEC'} is also on {p.label(seen[key])}",
            )
            continue
        seen[key] = i
        if not c.name.strip():
            p.bad(i, "name", "missing_name", "expected the commission's name")
        p.check_text(i, "name", c.name.strip(), limits.COMMISSION_NAME)
        if c.level not in set(CommissionLevel):
            expected = ", ".join(v.value for v in CommissionLevel)
            p.bad(i, "level", "bad_level", f"expected one of {expected}, got {c.level!r}")
            continue
        _check_commission_territory(p, i, c, territories, stored)
    p.raise_if_any()
    rows = [
        {
            "level": str(c.level),
            "territory_id": territories[c.territory_kato][0] if c.territory_kato else None,
            "name": c.name.strip(),
        }
        for c in commissions
    ]
    ids = [CommissionId(i) for i in insert_ids(session, _commission, rows)]
    audit.record_many(
        session=session,
        actor=actor,
        action="commission.create",
        object_type=COMMISSION,
        object_ids=ids,
    )
    return ids


def _check_commission_territory(
    p: Problems,
    i: int,
    c: NewCommission,
    territories: dict[str, tuple[int, str]],
    stored: dict[str, tuple[int, str]],
) -> None:
    allowed = COMMISSION_TERRITORY_KINDS[CommissionLevel(c.level)]
    if not allowed:
        if c.territory_kato:
            p.bad(i, "territory_kato", "cec_has_territory", "the CEC has no territory")
        elif CEC_KEY in stored:
            p.forbid(i, "level", "commission_exists", "the CEC is already stored")
        return
    if not c.territory_kato:
        p.bad(
            i,
            "territory_kato",
            "missing_territory",
            f"a {c.level} commission needs the KATO of its {' or '.join(sorted(allowed))}",
        )
    elif c.territory_kato not in territories:
        p.bad(
            i,
            "territory_kato",
            "unknown_territory",
            f"no territory with KATO {c.territory_kato} is stored",
        )
    elif territories[c.territory_kato][1] not in allowed:
        p.bad(
            i,
            "territory_kato",
            "bad_commission_territory",
            f"a {c.level} commission sits on a {' or '.join(sorted(allowed))}; "
            f"{c.territory_kato} is a {territories[c.territory_kato][1]}",
        )
    elif c.territory_kato in stored:
        p.forbid(
            i,
            "territory_kato",
            "commission_exists",
            f"the commission of {c.territory_kato} is already stored",
        )


def create_commission_members(
    *,
    session: Session,
    principal: Principal,
    members: Sequence[NewCommissionMember],
    labels: Sequence[str] | None = None,
) -> list[CommissionMemberId]:
    with transaction(session=session):
        return add_commission_members(
            session=session, principal=principal, members=members, labels=labels
        )


def add_commission_members(
    *,
    session: Session,
    principal: Principal,
    members: Sequence[NewCommissionMember],
    labels: Sequence[str] | None = None,
) -> list[CommissionMemberId]:
    actor = authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    p = Problems("commission members", len(members), labels)
    stored = commissions_by_kato(session=session)
    for i, m in enumerate(members):
        key = m.commission_kato or CEC_KEY
        if key not in stored:
            p.bad(
                i,
                "commission_kato",
                "unknown_commission",
                f"no commission of {key or 'the CEC'} is stored",
            )
        if not m.full_name.strip():
            p.bad(i, "full_name", "missing_name", "expected the member's full name")
        p.check_text(i, "full_name", m.full_name.strip(), limits.NAME)
        if m.role not in set(CommissionRole):
            expected = ", ".join(v.value for v in CommissionRole)
            p.bad(i, "role", "bad_role", f"expected one of {expected}, got {m.role!r}")
    p.raise_if_any()
    _check_single_roles(session, p, members, stored)
    _check_one_role_each(session, p, members, stored)
    p.raise_if_any()
    rows = [
        {
            "commission_id": stored[m.commission_kato or CEC_KEY][0],
            "full_name": m.full_name.strip(),
            "role": str(m.role),
        }
        for m in members
    ]
    ids = [CommissionMemberId(i) for i in insert_ids(session, _member, rows)]
    audit.record_many(
        session=session,
        actor=actor,
        action="commission_member.create",
        object_type=COMMISSION_MEMBER,
        object_ids=ids,
    )
    return ids


def _check_single_roles(
    session: Session,
    p: Problems,
    members: Sequence[NewCommissionMember],
    stored: dict[str, tuple[int, str]],
) -> None:
    """A commission has one chair, one deputy chair and one secretary."""
    counts: Counter[tuple[int, str]] = Counter()
    stmt: Any = select(_member.c.commission_id, _member.c.role, func.count())
    stmt = stmt.where(_member.c.role.in_([str(r) for r in SINGLE_ROLES]))
    for cid, role, n in session.execute(stmt.group_by(_member.c.commission_id, _member.c.role)):
        counts[(cid, role)] = n
    for i, m in enumerate(members):
        if m.role not in SINGLE_ROLES:
            continue
        key = (stored[m.commission_kato or CEC_KEY][0], str(m.role))
        counts[key] += 1
        if counts[key] > 1:
            p.forbid(
                i,
                "role",
                "role_taken",
                f"the commission of {m.commission_kato or 'the CEC'} already has a {m.role}",
            )


def _check_one_role_each(
    session: Session,
    p: Problems,
    members: Sequence[NewCommissionMember],
    stored: dict[str, tuple[int, str]],
) -> None:
    """One person holds one of the signing roles (chair, deputy chair, secretary) of a
    commission: the chair cannot also sign as secretary. Members are known by name only, so
    two plain members of one name may be two people; a signer's name must be unique."""
    ids = {stored[m.commission_kato or CEC_KEY][0] for m in members if m.role in SINGLE_ROLES}
    stmt = select(_member.c.commission_id, _member.c.full_name, _member.c.role)
    stmt = stmt.where(_member.c.role.in_([str(r) for r in SINGLE_ROLES]))
    held: dict[tuple[int, str], str] = {
        (cid, _same_person(name)): role
        for cid, name, role in select_in(session, stmt, _member.c.commission_id, ids)
    }
    for i, m in enumerate(members):
        if m.role not in SINGLE_ROLES:
            continue
        key = (stored[m.commission_kato or CEC_KEY][0], _same_person(m.full_name))
        if key in held:
            p.forbid(
                i,
                "full_name",
                "two_roles",
                f"{m.full_name.strip()} is already the {held[key]} of the commission of"
                f" {m.commission_kato or 'the CEC'}; one person holds one role",
            )
        else:
            held[key] = str(m.role)


def _same_person(full_name: str) -> str:
    return " ".join(full_name.split()).casefold()


def list_commissions(*, session: Session) -> list[Commission]:
    stmt = (
        select(_commission, _territory.c.kato)
        .outerjoin(_territory, _territory.c.id == _commission.c.territory_id)
        .order_by(_commission.c.id)
    )
    return [
        Commission(
            id=CommissionId(r.id),
            level=CommissionLevel(r.level),
            name=r.name,
            territory_kato=Kato(r.kato) if r.kato else None,
        )
        for r in session.execute(stmt)
    ]


def list_commission_members(
    *, session: Session, commission_id: CommissionId
) -> list[CommissionMember]:
    """The members of one commission (services.resolve.find_commission finds it), chair first."""
    order = {r.value: n for n, r in enumerate(CommissionRole)}
    rows = session.execute(select(_member).where(_member.c.commission_id == commission_id)).all()
    return sorted(
        (
            CommissionMember(
                id=CommissionMemberId(r.id),
                commission_id=CommissionId(r.commission_id),
                full_name=r.full_name,
                role=CommissionRole(r.role),
            )
            for r in rows
        ),
        key=lambda m: (order[m.role], m.full_name),
    )
