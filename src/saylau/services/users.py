"""Users: adding them (the first CEC administrator without authentication: the bootstrap),
listing, disabling, setting passwords (argon2id), and authenticating one into a `Principal`.

A chair's or secretary's user is linked to that commission member (`member_id`), derived from
its scope and role when it is added: a signature is always the signing user's own.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from functools import cache
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in
from saylau.db.tables.accounts import UserRow
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    TerritoryRow,
)
from saylau.domain import limits
from saylau.domain.accounts import (
    COMMISSION_ROLES,
    NATIONAL_ROLES,
    NewUser,
    Principal,
    Role,
    User,
    UserId,
)
from saylau.domain.structure import CommissionMemberId, TerritoryKind
from saylau.rules.input import digits_problem, text_problem
from saylau.services import audit
from saylau.services.errors import InvalidInput, NotFound, Problem, Refused
from saylau.services.permissions import Action, authorize
from saylau.services.transaction import transaction
from saylau.services.validation import Problems

USER = "user"
MIN_PASSWORD_LENGTH = 10
SIGNING_ROLES = frozenset({Role.CHAIR, Role.SECRETARY})

_user = table_of(UserRow)
_territory = table_of(TerritoryRow)
_hasher = PasswordHasher()  # argon2id, the library's RFC 9106 low-memory profile


def num_users(*, session: Session) -> int:
    return int(session.scalar(select(func.count()).select_from(_user)) or 0)


def hash_password(password: str) -> str:
    # The input layer's text rule (docs/input.md); the message names no character's place.
    problem = text_problem(password, limits.PASSWORD)
    if problem:
        raise InvalidInput(
            f"a password cannot be stored: {problem}",
            problems=[Problem("bad_text", problem, "password", {"length": len(password)})],
        )
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            f"a password has at least {MIN_PASSWORD_LENGTH} characters",
            problems=[
                Problem("short_password", "too short", "password", {"length": len(password)})
            ],
        )
    return _hasher.hash(password)


# --- adding --------------------------------------------------------------------------------


def add_user(
    *,
    session: Session,
    principal: Principal | None,
    user: NewUser,
    password: str | None,
    now: datetime,
) -> UserId:
    """One user, with its password (or none: it cannot log in until `set_password`).
    `principal` None is the bootstrap: allowed once, for a CEC administrator, on a database
    that has no user yet."""
    password_hash = hash_password(password) if password is not None else None
    return add_users(
        session=session,
        principal=principal,
        users=[user],
        now=now,
        password_hashes=[password_hash],
    )[0]


def add_users(
    *,
    session: Session,
    principal: Principal | None,
    users: Sequence[NewUser],
    now: datetime,
    password_hashes: Sequence[str | None] | None = None,
) -> list[UserId]:
    """Users in one batch (all or none), with no usable password unless hashes are given."""
    hashes = list(password_hashes) if password_hashes is not None else [None] * len(users)
    with transaction(session=session):
        if principal is None:
            if num_users(session=session) or any(u.role != Role.CEC_ADMIN for u in users):
                raise Refused(
                    "authentication required: without credentials only the first user, a"
                    " cec-admin on a database with no users, can be added",
                    problems=[Problem("not_authenticated", "no user given", "SAYLAU_USER")],
                )
        else:
            authorize(session=session, principal=principal, action=Action.USER_MANAGE)
        rows = _check_users(session, users)
        for row, password_hash in zip(rows, hashes, strict=True):
            row.update(password_hash=password_hash, is_enabled=True, created_at=now)
        ids = insert_ids(session, _user, rows)
        actor = principal.actor if principal is not None else f"user:{ids[0]}"
        audit.record_many(
            session=session, actor=actor, action="user.add", object_type=USER, object_ids=ids
        )
        return [UserId(i) for i in ids]


def _check_users(session: Session, users: Sequence[NewUser]) -> list[dict[str, Any]]:
    """The rows to insert, with scope and member resolved; refuses the batch with every
    problem named."""
    # Each user is named by its name when that is printable text, else by its JSON path.
    p = Problems(
        "users",
        len(users),
        [
            u.name if u.name and text_problem(u.name, limits.USER_NAME) is None else f"[{i}]"
            for i, u in enumerate(users)
        ],
    )
    taken = {
        n
        for (n,) in select_in(
            session,
            select(_user.c.name),
            _user.c.name,
            [u.name for u in users if text_problem(u.name, limits.USER_NAME) is None],
        )
    }
    seen: set[str] = set()
    katos = {
        u.scope
        for u in users
        if u.scope is not None and digits_problem(u.scope, limits.KATO_DIGITS) is None
    }
    stmt = select(_territory.c.kato, _territory.c.id, _territory.c.kind)
    territories = {
        k: (i, kind) for k, i, kind in select_in(session, stmt, _territory.c.kato, katos)
    }
    councils = _council_territories(session, {i for i, _k in territories.values()})
    members = _signing_members(session, {i for i, _k in territories.values()})
    rows: list[dict[str, Any]] = []
    for n, u in enumerate(users):
        name_problem = text_problem(u.name, limits.USER_NAME)
        if name_problem:
            p.bad(n, "name", "bad_text", name_problem)
        elif not u.name.strip() or u.name != u.name.strip() or not u.name.isprintable():
            p.bad(n, "name", "bad_name", "expected a printable name without surrounding spaces")
        elif u.name in taken or u.name in seen:
            p.forbid(n, "name", "duplicate_name", f"a user named {u.name} exists already")
        seen.add(u.name)
        display_problem = text_problem(u.display_name, limits.NAME)
        if display_problem:
            p.bad(n, "display_name", "bad_text", display_problem)
        elif not u.display_name.strip() or not u.display_name.isprintable():
            p.bad(n, "display_name", "bad_name", "expected a printable display name")
        scope_id: int | None = None
        member_id: int | None = None
        if u.role in NATIONAL_ROLES:
            if u.scope is not None:
                p.bad(n, "scope", "scope_not_allowed", f"a {u.role} acts nationally: no --scope")
        elif u.scope is None:
            p.bad(n, "scope", "scope_missing", f"a {u.role} needs --scope (a territory's KATO)")
        elif kato_problem := digits_problem(u.scope, limits.KATO_DIGITS):
            p.bad(n, "scope", "bad_kato", f"a KATO code: {kato_problem}")
        elif u.scope not in territories:
            p.forbid(n, "scope", "unknown_territory", f"no territory with KATO {u.scope}")
        else:
            scope_id, kind = territories[u.scope]
            if u.role == Role.REGIONAL and kind != TerritoryKind.REGION:
                p.forbid(n, "scope", "not_a_region", f"{u.scope} is a {kind}, not a region")
            elif u.role in COMMISSION_ROLES and scope_id not in councils:
                p.forbid(n, "scope", "no_council", f"{u.scope} has no council (maslikhat) to serve")
            elif u.role in SIGNING_ROLES:
                found = members.get((scope_id, str(u.role)), [])
                if len(found) != 1:
                    p.forbid(
                        n,
                        "scope",
                        "no_commission_member",
                        f"the commission of {u.scope} has {len(found)} member(s) with role"
                        f" {u.role}; a {u.role}'s user is exactly one of them",
                        found=len(found),
                    )
                else:
                    member_id = found[0]
        rows.append(
            {
                "name": u.name,
                "display_name": u.display_name,
                "role": str(u.role),
                "scope_id": scope_id,
                "member_id": member_id,
            }
        )
    p.raise_if_any()
    return rows


def _council_territories(session: Session, territory_ids: set[int]) -> set[int]:
    council = table_of(CouncilRow)
    stmt = select(council.c.territory_id)
    return {t for (t,) in select_in(session, stmt, council.c.territory_id, territory_ids)}


def _signing_members(session: Session, territory_ids: set[int]) -> dict[tuple[int, str], list[int]]:
    """{(territory id, role): member ids} of the chairs and secretaries of those territories'
    commissions."""
    commission, member = table_of(CommissionRow), table_of(CommissionMemberRow)
    stmt = (
        select(commission.c.territory_id, member.c.role, member.c.id)
        .select_from(member)
        .join(commission, commission.c.id == member.c.commission_id)
        .where(member.c.role.in_([str(r) for r in SIGNING_ROLES]))
        .order_by(member.c.id)
    )
    out: dict[tuple[int, str], list[int]] = {}
    for tid, role, mid in select_in(session, stmt, commission.c.territory_id, territory_ids):
        out.setdefault((tid, role), []).append(mid)
    return out


# --- changing ------------------------------------------------------------------------------


def _find_user(session: Session, name: str) -> UserRow | None:
    problem = text_problem(name, limits.USER_NAME)
    if problem:
        raise InvalidInput.one("bad_text", f"name: {problem}", where="name")
    return session.scalar(select(UserRow).where(UserRow.name == name))


def _user_row(session: Session, name: str) -> UserRow:
    row = _find_user(session, name)
    if row is None:
        raise NotFound.one("unknown_user", f"no user named {name}", where="name", name=name)
    return row


def disable_user(*, session: Session, principal: Principal, name: str) -> None:
    with transaction(session=session):
        authorize(session=session, principal=principal, action=Action.USER_MANAGE)
        row = _user_row(session, name)
        if row.id == principal.user_id:
            raise Refused.one(
                "disable_self",
                "a user cannot disable itself (another cec-admin can)",
                where="name",
                user_id=row.id,
            )
        session.execute(update(_user).where(_user.c.id == row.id).values(is_enabled=False))
        audit.record(
            session=session,
            actor=principal.actor,
            action="user.disable",
            object_type=USER,
            object_id=row.id,
        )


def set_password(*, session: Session, principal: Principal, name: str, password: str) -> None:
    """A user sets its own password; a CEC administrator (USER_MANAGE) sets anyone's."""
    password_hash = hash_password(password)
    with transaction(session=session):
        found = _find_user(session, name)
        if found is None or found.id != principal.user_id:
            # Another's password: authorized before a missing name is reported, so that a
            # refusal does not tell who else has an account.
            authorize(session=session, principal=principal, action=Action.USER_MANAGE)
        row = _user_row(session, name)
        session.execute(
            update(_user).where(_user.c.id == row.id).values(password_hash=password_hash)
        )
        audit.record(
            session=session,
            actor=principal.actor,
            action="user.passwd",
            object_type=USER,
            object_id=row.id,
        )


# --- reading and authenticating ------------------------------------------------------------


def list_users(*, session: Session) -> list[User]:
    stmt = (
        select(UserRow, _territory.c.kato)
        .outerjoin(_territory, _territory.c.id == UserRow.scope_id)
        .order_by(UserRow.id)
    )
    return [
        User(
            id=UserId(row.id),
            name=row.name,
            display_name=row.display_name,
            role=Role(row.role),
            scope=kato,
            member_id=_member_id(row.member_id),
            is_enabled=row.is_enabled,
            has_password=row.password_hash is not None,
        )
        for row, kato in session.execute(stmt)
    ]


def describe_actors(*, session: Session, actors: Sequence[str]) -> dict[str, str]:
    """{actor: "name (role of scope)"} for the audit log's "user:N" actors; other actors
    (entries older than accounts) as they are."""
    ids = {a: int(a.split()[0].removeprefix("user:")) for a in actors if a.startswith("user:")}
    stmt = select(_user.c.id, _user.c.name, _user.c.role, _territory.c.kato).outerjoin(
        _territory, _territory.c.id == _user.c.scope_id
    )
    found = {
        i: f"{name} ({role}{f' of {kato}' if kato else ''})"
        for i, name, role, kato in select_in(session, stmt, _user.c.id, set(ids.values()))
    }
    return {a: found.get(ids[a], a) if a in ids else a for a in actors}


def principal_of(*, session: Session, name: str) -> Principal:
    """The Principal of an enabled user, without a password check: for callers that already
    authenticated it (or act for it, like the demo). Refused if unknown or disabled."""
    row = session.execute(
        select(UserRow, _territory.c.kato)
        .outerjoin(_territory, _territory.c.id == UserRow.scope_id)
        .where(UserRow.name == name)
    ).one_or_none()
    if row is None:
        raise Refused(f"no user named {name}", problems=[Problem("bad_credentials", "", "user")])
    user, kato = row
    if not user.is_enabled:
        raise Refused(
            f"user {name} is disabled", problems=[Problem("user_disabled", "disabled", "user")]
        )
    return Principal(
        user_id=UserId(user.id),
        role=Role(user.role),
        scope=kato,
        member_id=_member_id(user.member_id),
    )


def authenticate(*, session: Session, name: str, password: str) -> Principal:
    """The Principal of `name` if `password` is its password; refused otherwise, with one
    message for an unknown name and a wrong password alike."""
    bad = Refused(
        "bad credentials: unknown user or wrong password",
        problems=[Problem("bad_credentials", "unknown user or wrong password", "SAYLAU_USER")],
    )
    # A name that is no storable text names no user (and is never sent to the database: a
    # NUL in a query is an error on PostgreSQL only).
    stored = (
        None
        if text_problem(name, limits.USER_NAME)
        else session.scalar(select(UserRow.password_hash).where(UserRow.name == name))
    )
    try:
        # An unknown name (or no password) costs one hash check too, so that the time taken
        # does not tell which names exist.
        is_ok = _hasher.verify(stored or _dummy_hash(), password) and stored is not None
    except (VerificationError, InvalidHashError):
        is_ok = False
    if not is_ok:
        raise bad
    return principal_of(session=session, name=name)


def _member_id(stored: int | None) -> CommissionMemberId | None:
    return None if stored is None else CommissionMemberId(stored)


@cache
def _dummy_hash() -> str:
    return _hasher.hash("no user has this password")
