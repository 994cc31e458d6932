"""Reading the audit log: its entries newest first, of one object or one actor (`saylau log`),
or all of them in order as chain entries (verify, the observer bundle)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple, cast

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.audit.chain import GENESIS_HASH, StoredEntry, iso_utc
from saylau.db.base import table_of
from saylau.db.bulk import select_in
from saylau.db.tables.audit import AuditEntryRow
from saylau.services.errors import InvalidInput

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
    *,
    session: Session,
    object_type: str | None = None,
    object_id: int | str | None = None,
    actor: str | None = None,
    limit: int | None = None,
) -> list[AuditEntry]:
    """Entries newest first, optionally of one object (every version of it) or one actor."""
    if limit is not None and limit < 0:
        # SQLite reads LIMIT -1 as no limit, PostgreSQL refuses it: refuse it on both.
        raise InvalidInput.one(
            "bad_limit", f"limit: {limit} is below 0", where="limit", limit=limit
        )
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


_COLUMNS = (
    "seq", "at", "actor", "action", "object_type", "object_id", "state_digest", "state",
    "prev_hash", "entry_hash",
)  # fmt: skip


def stored_entries(
    *, session: Session, after: int = 0, upto: int | None = None
) -> list[StoredEntry]:
    """The log's entries from seq `after` + 1 on (to `upto`, when given), in order, with their
    times in ISO form.

    Read through the driver's cursor (the log is the largest table; SQLAlchemy's per-row work
    would be most of verify's time). The entries of one batch share a time, so `at` is taken
    as the driver gives it and each distinct value converted, as its column type would, once.
    """
    conn = session.connection()
    dialect = conn.dialect
    to_datetime = _entry.c.at.type.dialect_impl(dialect).result_processor(dialect, None)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    where, params = f"seq > {marker}", [after]
    if upto is not None:
        where, params = f"{where} AND seq <= {marker}", [after, upto]
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            f"SELECT {', '.join(_COLUMNS)} FROM {_entry.name} WHERE {where} ORDER BY seq",
            params,
        )
        rows = cursor.fetchall()
    finally:
        cursor.close()
    iso: dict[object, str] = {}
    for raw_at in {r[1] for r in rows}:
        at = to_datetime(raw_at) if to_datetime else raw_at
        iso[raw_at] = iso_utc(cast(datetime, at))
    return [
        StoredEntry(seq, iso[at], actor, action, o_type, o_id, digest, state, prev, this)
        for seq, at, actor, action, o_type, o_id, digest, state, prev, this in rows
    ]


class RecordedState(NamedTuple):
    """An object's latest entry, as much of it as verify compares with the stored rows."""

    seq: int
    action: str
    object_type: str
    object_id: str
    state_digest: str
    state: str | None


def recorded_states(*, session: Session) -> list[RecordedState]:
    """Each object's latest entry in the session's snapshot (one statement: the greatest seq of
    each object, found through the log's index on the object)."""
    conn = session.connection()
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(
            f"SELECT seq, action, object_type, object_id, state_digest, state FROM {_entry.name}"
            f" WHERE seq IN (SELECT max(seq) FROM {_entry.name} GROUP BY object_type, object_id)"
        )
        return list(map(RecordedState._make, cursor.fetchall()))
    finally:
        cursor.close()


def entry_hashes(*, session: Session, seqs: Iterable[int]) -> dict[int, str]:
    """The entry_hash of each of the entries `seqs` that the log holds."""
    wanted = sorted(set(seqs))
    if not wanted:
        return {}
    rows = select_in(session, select(_entry.c.seq, _entry.c.entry_hash), _entry.c.seq, wanted)
    return {int(seq): str(found) for seq, found in rows}


def last_entry(*, session: Session) -> tuple[int, str]:
    """The seq and entry_hash of the log's last entry; (0, GENESIS_HASH) for an empty log."""
    found = session.execute(
        select(_entry.c.seq, _entry.c.entry_hash).order_by(_entry.c.seq.desc()).limit(1)
    ).one_or_none()
    return (0, GENESIS_HASH) if found is None else (int(found[0]), str(found[1]))


def begin_snapshot(*, session: Session) -> None:
    """Make the following reads see one snapshot (the caller ends it: commit or rollback)."""
    if session.in_transaction():
        return  # the caller's transaction is the snapshot
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif session.get_bind().dialect.name == "sqlite":
        # pysqlite opens a transaction only before a write; without this BEGIN every SELECT
        # would read its own snapshot. COMMIT/ROLLBACK of the session ends it as usual.
        session.connection().exec_driver_sql("BEGIN")
