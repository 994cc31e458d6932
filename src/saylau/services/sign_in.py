"""Signing in to the web: a user's password checked once (services/users.authenticate), then a
credential stamp that a signed session cookie carries and that every later request checks.

The stamp is a digest of the user's id, its password hash and its enabled flag: setting a new
password or disabling the user changes it, which ends every session the user had (docs/web.md,
"Sessions"). It reveals nothing about the password: the hash is digested with its salt, and the
cookie holding the stamp is signed with the server's key and never shown to anyone else.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.accounts import UserRow
from saylau.domain.accounts import Principal, UserId
from saylau.services import users
from saylau.services.errors import Problem, Refused

__all__ = ["SignedIn", "resume", "sign_in"]


@dataclass(frozen=True)
class SignedIn:
    """A signed-in user: who acts (the Principal every write service takes) and the stamp."""

    principal: Principal
    name: str
    display_name: str
    stamp: str


def _stamp(user: UserRow) -> str:
    material = f"{user.id}\n{user.password_hash or ''}\n{int(user.is_enabled)}"
    return hashlib.sha256(material.encode("utf-8")).hexdigest()[:32]


def _signed_in(session: Session, principal: Principal) -> SignedIn:
    user = session.get_one(UserRow, principal.user_id)
    return SignedIn(principal, user.name, user.display_name, _stamp(user))


def sign_in(*, session: Session, name: str, password: str) -> SignedIn:
    """The user `name` if `password` is its password and it is enabled (refused otherwise, the
    same words for an unknown name and a wrong password: users.authenticate)."""
    principal = users.authenticate(session=session, name=name, password=password)
    return _signed_in(session, principal)


def resume(*, session: Session, user_id: UserId, stamp: str) -> SignedIn:
    """The user a session cookie names, if its stamp still holds: refused (`session_ended`)
    when the user is unknown or disabled, or its password changed since the sign-in."""
    ended = Refused(
        "the session has ended: sign in again",
        problems=[Problem("session_ended", "sign in again", "session")],
    )
    name = session.scalar(select(UserRow.name).where(UserRow.id == user_id))
    if name is None:
        raise ended
    try:
        principal = users.principal_of(session=session, name=name)
    except Refused:
        raise ended from None
    found = _signed_in(session, principal)
    if found.stamp != stamp:
        raise ended
    return found
