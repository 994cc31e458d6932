"""Accounts: one row per user, with its role, its scope (a territory) and, for a chair or a
secretary, the commission member whose signature the user gives (see docs/accounts.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from saylau.db.base import Base


class UserRow(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))
    scope_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"))
    member_id: Mapped[int | None] = mapped_column(ForeignKey("commission_member.id"))
    is_enabled: Mapped[bool]
    # argon2id, in the PHC string format; NULL means no usable password (set with `user passwd`).
    password_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime]
