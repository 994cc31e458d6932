"""Who acts: a user's role and scope, and the `Principal` every write service is given.

Pure data (stdlib only); the roles' values are stored, so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from typing import NewType

from saylau.domain.structure import CommissionMemberId

UserId = NewType("UserId", int)


class Role(StrEnum):
    CEC_ADMIN = "cec-admin"
    REGIONAL = "regional"
    CHAIR = "chair"
    SECRETARY = "secretary"
    MEMBER = "member"
    OBSERVER = "observer"


# Roles whose user is one member of one district/town commission (scope: the council's KATO).
COMMISSION_ROLES = frozenset({Role.CHAIR, Role.SECRETARY, Role.MEMBER})
# Roles with no territory: the whole country.
NATIONAL_ROLES = frozenset({Role.CEC_ADMIN, Role.OBSERVER})


@dataclass(frozen=True)
class Principal:
    """An authenticated user as a service sees it. `scope` is a territory's KATO (None for the
    national roles); `member_id` the commission member a chair or secretary signs as;
    `entered_at`, when set, is the real time at which an act dated earlier is entered."""

    user_id: UserId
    role: Role
    scope: str | None = None
    member_id: CommissionMemberId | None = None
    entered_at: datetime | None = None

    @property
    def actor(self) -> str:
        """The audit log's actor: the user's id, and the real entry time of a past act."""
        if self.entered_at is None:
            return f"user:{self.user_id}"
        return f"user:{self.user_id} past-act entered {self.entered_at.isoformat()}"

    def entering_past_act(self, entered_at: datetime) -> Principal:
        """The same user entering an act dated before `entered_at` (the real time)."""
        return replace(self, entered_at=entered_at)


@dataclass(frozen=True)
class NewUser:
    name: str
    display_name: str
    role: Role
    scope: str | None = None


@dataclass(frozen=True)
class User:
    id: UserId
    name: str
    display_name: str
    role: Role
    scope: str | None
    member_id: CommissionMemberId | None
    is_enabled: bool
    has_password: bool
