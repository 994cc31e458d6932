"""The demo's accounts: a CEC administrator, one user per regional commission, and the chair
and secretary of every district/town commission that runs a vote, each acting in its scope.

They are created in one batch with no usable password (hashing hundreds of argon2id passwords
would dominate the demo's time); the demo acts as them through their `Principal`s, and a
password is set later with `saylau user passwd` (docs/demo.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy.orm import Session

from saylau.domain.accounts import NewUser, Principal, Role
from saylau.domain.structure import CommissionLevel, CommissionRole
from saylau.scenarios.kz2013.specs import NationalStructure

USER_PREFIX = "demo-"  # every demo user's name starts with it (build.prepare_database)
CEC_ADMIN = f"{USER_PREFIX}cec-admin"
CREATED_AT = dt.datetime(2013, 6, 27, 4, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class DemoAccounts:
    cec: Principal
    regional: dict[str, Principal]  # region code -> its regional user
    chairs: dict[str, Principal]  # council id -> the chair of its district commission
    secretaries: dict[str, Principal]  # council id -> the secretary


def create_cec_admin(session: Session, password: str | None = None) -> Principal:
    """The first user of the demo's empty database (the bootstrap needs no credentials), with
    `password` if one is given: the one password the demo hashes."""
    from saylau.services import users

    user_id = users.add_user(
        session=session,
        principal=None,
        user=NewUser(CEC_ADMIN, "CEC administrator (demo)", Role.CEC_ADMIN),
        password=password,
        now=CREATED_AT,
    )
    return Principal(user_id=user_id, role=Role.CEC_ADMIN)


def create_accounts(session: Session, s: NationalStructure, cec: Principal) -> DemoAccounts:
    """Regional users and every voting council's chair and secretary, in one batch."""
    from saylau.services import users

    new = [
        NewUser(f"demo-regional-{c.territory_kato}", c.name_en, Role.REGIONAL, c.territory_kato)
        for c in s.commissions
        if c.level is CommissionLevel.REGIONAL and c.territory_kato
    ]
    district_kato = {
        c.commission_id: c.territory_kato
        for c in s.commissions
        if c.level is CommissionLevel.DISTRICT and c.territory_kato
    }
    signing = {CommissionRole.CHAIR: Role.CHAIR, CommissionRole.SECRETARY: Role.SECRETARY}
    new += [
        NewUser(f"demo-{signing[m.role]}-{kato}", m.name.en, signing[m.role], kato)
        for m in s.staff
        if m.role in signing and (kato := district_kato.get(m.commission_id))
    ]
    users.add_users(session=session, principal=cec, users=new, now=CREATED_AT)
    by_name = {u.name: u for u in users.list_users(session=session)}

    def principal(name: str) -> Principal:
        u = by_name[name]
        return Principal(user_id=u.id, role=u.role, scope=u.scope, member_id=u.member_id)

    region_kato = {r.region_code: r.kato for r in s.regions}
    voting = [c for c in s.councils if c.is_voting]
    return DemoAccounts(
        cec=cec,
        regional={code: principal(f"demo-regional-{kato}") for code, kato in region_kato.items()},
        chairs={c.council_id: principal(f"demo-chair-{c.territory_kato}") for c in voting},
        secretaries={c.council_id: principal(f"demo-secretary-{c.territory_kato}") for c in voting},
    )
