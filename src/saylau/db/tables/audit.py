"""The audit log: one hash-chained entry per state change, the one-row head that serializes
appends, and its anchors: commissions' public keys and the checkpoints they signed (see
services/audit/ and docs/audit.md)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from saylau.db.base import Base


class AuditEntryRow(Base):
    __tablename__ = "audit_entry"
    __table_args__ = (Index("ix_audit_entry_object", "object_type", "object_id"),)

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    at: Mapped[datetime]
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(100))
    object_type: Mapped[str] = mapped_column(String(60))
    object_id: Mapped[str] = mapped_column(String(100))
    state_digest: Mapped[str] = mapped_column(String(64))
    # The canonical JSON the digest was computed from, so verify can say what differs.
    state: Mapped[str] = mapped_column(Text)
    prev_hash: Mapped[str] = mapped_column(String(64))
    entry_hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditHeadRow(Base):
    """The last entry's seq and hash; every append updates this row first, which takes a row
    lock on PostgreSQL and the write lock on SQLite, so two appends can never fork the chain."""

    __tablename__ = "audit_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    seq: Mapped[int] = mapped_column(Integer)
    entry_hash: Mapped[str] = mapped_column(String(64))


class CommissionKeyRow(Base):
    """A commission's Ed25519 public key (the commission keeps the private key in a file);
    published with the record. A commission may have several: each checkpoint names its own."""

    __tablename__ = "commission_key"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    commission_id: Mapped[int] = mapped_column(ForeignKey("commission.id"), index=True)
    public_key: Mapped[str] = mapped_column(String(64), unique=True)  # raw 32 bytes, hex
    created_at: Mapped[datetime]


class CheckpointRow(Base):
    """A commission's signature over the log's head `seq`:`entry_hash` at `signed_at`
    (the message is saylau.audit.checkpoint.checkpoint_message)."""

    __tablename__ = "checkpoint"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key_id: Mapped[int] = mapped_column(ForeignKey("commission_key.id"), index=True)
    commission: Mapped[str] = mapped_column(String(300))  # the name signed
    seq: Mapped[int]
    entry_hash: Mapped[str] = mapped_column(String(64))
    signed_at: Mapped[datetime]
    signature: Mapped[str] = mapped_column(String(128))
