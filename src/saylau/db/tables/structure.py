"""Tables of the administrative structure: territory, council, deputy, commission,
commission_member and post (names fixed by the issue 3 contract)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from saylau.db.base import Base


class TerritoryRow(Base):
    __tablename__ = "territory"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kato: Mapped[str] = mapped_column(String(16), unique=True)
    kind: Mapped[str] = mapped_column(String(40))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), index=True)
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")


class CouncilRow(Base):
    __tablename__ = "council"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), unique=True)
    num_seats: Mapped[int] = mapped_column(Integer)
    name_kk: Mapped[str] = mapped_column(String(200), default="")
    name_ru: Mapped[str] = mapped_column(String(200), default="")
    name_en: Mapped[str] = mapped_column(String(200), default="")


class DeputyRow(Base):
    __tablename__ = "deputy"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(8))
    birth_date: Mapped[date] = mapped_column(Date)
    mandate_start: Mapped[date] = mapped_column(Date)
    mandate_end: Mapped[date | None] = mapped_column(Date)


class CommissionRow(Base):
    __tablename__ = "commission"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    level: Mapped[str] = mapped_column(String(16))
    # One commission per territory; the CEC has none (NULLs do not collide).
    territory_id: Mapped[int | None] = mapped_column(ForeignKey("territory.id"), unique=True)
    name: Mapped[str] = mapped_column(String(300))


class CommissionMemberRow(Base):
    __tablename__ = "commission_member"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    full_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(16))


class PostRow(Base):
    __tablename__ = "post"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"), unique=True)
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"), index=True)
