"""Reading the audit log: its entries newest first, of one object or one actor (`saylau log`)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.audit import AuditEntryRow

_entry = table_of(AuditEntryRow)


@dataclass(frozen=True)
class AuditEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    object_type: str
    object_id: str
    state: Mapping[str, object]
    state_digest: str
    entry_hash: str


def list_entries(
    session: Session,
    *,
    object_type: str | None = None,
    object_id: int | str | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Entries newest first, optionally of one object (every version of it) or one actor."""
    stmt = select(_entry).order_by(_entry.c.seq.desc())
    if object_type is not None:
        stmt = stmt.where(_entry.c.object_type == object_type)
    if object_id is not None:
        stmt = stmt.where(_entry.c.object_id == str(object_id))
    if actor is not None:
        stmt = stmt.where(_entry.c.actor == actor)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        AuditEntry(
            seq=r.seq,
            at=r.at,
            actor=r.actor,
            action=r.action,
            object_type=r.object_type,
            object_id=r.object_id,
            state=json.loads(r.state),
            state_digest=r.state_digest,
            entry_hash=r.entry_hash,
        )
        for r in session.execute(stmt)
    ]
