"""Appending to the audit log: one entry per changed object, in the transaction of the change,
chained onto the head under the append lock (docs/audit.md, "Appending safely")."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import insert, select, update
from sqlalchemy.orm import Session

from saylau.audit.chain import GENESIS_HASH, entry_hash_iso, iso_utc
from saylau.db.base import table_of
from saylau.db.tables.audit import AuditEntryRow, AuditHeadRow
from saylau.services.audit.encoding import canonical_json
from saylau.services.audit.states import States, load_states, state_loader

HEAD_ID = 1

_entry = table_of(AuditEntryRow)
_head = table_of(AuditHeadRow)


def record(
    *,
    session: Session,
    actor: str,
    action: str,
    object_type: str,
    object_id: int | str,
    at: datetime | None = None,
) -> None:
    """Append one entry for the current state of one object (same transaction as the change)."""
    record_many(
        session=session,
        actor=actor,
        action=action,
        object_type=object_type,
        object_ids=[object_id],
        at=at,
    )


def record_many(
    *,
    session: Session,
    actor: str,
    action: str,
    object_type: str,
    object_ids: Sequence[int | str],
    at: datetime | None = None,
) -> None:
    """Append one entry per object, in the order given, with one insert for all of them."""
    record_groups(
        session=session, groups=[EntryGroup(actor, action, object_type, object_ids)], at=at
    )


class EntryGroup(NamedTuple):
    """Entries of one actor's one action on objects of one type, in the order of `object_ids`."""

    actor: str
    action: str
    object_type: str
    object_ids: Sequence[int | str]


def record_groups(
    *, session: Session, groups: Sequence[EntryGroup], at: datetime | None = None
) -> None:
    """Append the entries of several groups, group after group, as one append: one read of
    the states per object type, one take of the lock, one insert. A batch of many actors (a
    day's signatures, by some 200 secretaries) costs what one actor's does."""
    wanted = [(g, list(dict.fromkeys(str(i) for i in g.object_ids))) for g in groups]
    wanted = [(g, ids) for g, ids in wanted if ids]
    if not wanted:
        return
    by_type: dict[str, list[str]] = {}
    for g, ids in wanted:
        by_type.setdefault(g.object_type, []).extend(ids)
    loaders = {t: state_loader(t) for t in by_type}
    session.flush()
    states: dict[str, States] = {}
    for object_type, ids in by_type.items():
        unique = list(dict.fromkeys(ids))
        states[object_type] = load_states(session=session, loader=loaders[object_type], ids=unique)
        missing = [i for i in unique if i not in states[object_type]]
        if missing:
            raise LookupError(f"no stored {object_type} with id {', '.join(missing[:5])}")
    when = (at or datetime.now(UTC)).astimezone(UTC)
    when_iso = iso_utc(when)
    seq, prev = lock_head(session=session)
    rows: list[tuple[Any, ...]] = []
    encode, sha256 = canonical_json, hashlib.sha256
    for (actor, action, object_type, _ids), ids in wanted:
        of_type = states[object_type]
        for object_id in ids:
            seq += 1
            state = encode(of_type[object_id])
            digest = sha256(state.encode("utf-8")).hexdigest()
            this_hash = entry_hash_iso(
                prev, seq, when_iso, actor, action, object_type, object_id, digest
            )
            rows.append(
                (seq, actor, action, object_type, object_id, digest, state, prev, this_hash)
            )
            prev = this_hash
    _insert_entries(session, when, rows)
    _move_head(session, seq, prev)


# The order of the tuples record_many builds; `at` is the same for a batch and added here.
_ENTRY_COLUMNS = (
    "seq", "actor", "action", "object_type", "object_id", "state_digest", "state", "prev_hash",
    "entry_hash",
)  # fmt: skip


def _insert_entries(session: Session, at: datetime, rows: list[tuple[Any, ...]]) -> None:
    """Straight to the driver: at national scale SQLAlchemy's per-row parameter processing costs
    more than the hashing. PostgreSQL (psycopg) takes the rows by COPY, in the transaction of
    the change; other drivers by one executemany. `at` is the same for the batch."""
    conn = session.connection()
    dialect = conn.dialect
    columns = ("at", *_ENTRY_COLUMNS)
    marker = _marker(dialect)
    if marker is None:
        session.execute(insert(_entry), [dict(zip(columns, (at, *r), strict=True)) for r in rows])
        return
    process_at = _entry.c.at.type.bind_processor(dialect)
    at_value = process_at(at) if process_at else at
    if dialect.driver == "psycopg":
        cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f"COPY {_entry.name} ({', '.join(columns)}) FROM STDIN") as copy:
            for r in rows:
                copy.write_row((at_value, *r))
        return
    if dialect.driver == "pysqlite" and isinstance(at_value, datetime):
        # The text sqlite3's default datetime adapter would store, made once for the batch
        # instead of once per row.
        at_value = at_value.isoformat(" ")
    sql = (
        f"INSERT INTO {_entry.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    conn.exec_driver_sql(sql, [(at_value, *r) for r in rows])


def lock_head(*, session: Session) -> tuple[int, str]:
    """Take the append lock (an UPDATE of the head row) and return the last seq and hash.

    Under PostgreSQL's READ COMMITTED a waiting UPDATE proceeds on the newest committed row,
    and the following SELECT sees it; on SQLite the UPDATE takes the database write lock.
    The two statements go straight to the driver (an append takes the lock every time: 643
    times in the national demo), after the flush a query through the session would do.
    """
    if session.autoflush:
        session.flush()
    conn = session.connection()
    marker = _marker(conn.dialect)
    if marker is None:
        return _lock_head_core(session)
    lock = f"UPDATE {_head.name} SET seq = seq WHERE id = {marker}"
    if not conn.exec_driver_sql(lock, (HEAD_ID,)).rowcount:
        # A log that never had an entry (the migration creates the head; create_all or a
        # TRUNCATE may not). Racing first appends both insert-or-ignore, then lock.
        session.execute(_insert_genesis_head(session))
        conn.exec_driver_sql(lock, (HEAD_ID,))
    row = conn.exec_driver_sql(
        f"SELECT seq, entry_hash FROM {_head.name} WHERE id = {marker}", (HEAD_ID,)
    )
    seq, last_hash = row.one()
    return int(seq), str(last_hash)


def _lock_head_core(session: Session) -> tuple[int, str]:
    """`lock_head` through SQLAlchemy, for a driver with named parameters."""
    lock = update(_head).where(_head.c.id == HEAD_ID).values(seq=_head.c.seq)
    if not session.execute(lock).rowcount:  # type: ignore[attr-defined]
        session.execute(_insert_genesis_head(session))
        session.execute(lock)
    row = session.execute(select(_head.c.seq, _head.c.entry_hash).where(_head.c.id == HEAD_ID))
    seq, last_hash = row.one()
    return int(seq), str(last_hash)


def _move_head(session: Session, seq: int, entry_hash: str) -> None:
    """Point the head at the last entry appended."""
    conn = session.connection()
    marker = _marker(conn.dialect)
    if marker is None:
        stmt = update(_head).where(_head.c.id == HEAD_ID)
        session.execute(stmt.values(seq=seq, entry_hash=entry_hash))
        return
    conn.exec_driver_sql(
        f"UPDATE {_head.name} SET seq = {marker}, entry_hash = {marker} WHERE id = {marker}",
        (seq, entry_hash, HEAD_ID),
    )


def _marker(dialect: Any) -> str | None:
    """The driver's positional parameter marker; None for a driver with named parameters."""
    if dialect.paramstyle == "qmark":
        return "?"
    return "%s" if dialect.paramstyle in ("format", "pyformat") else None


def _insert_genesis_head(session: Session) -> Any:
    # Imported here: the dialect modules cost start-up time and this runs once per database.
    from sqlalchemy.dialects.postgresql import insert as pg_insert
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    values = {"id": HEAD_ID, "seq": 0, "entry_hash": GENESIS_HASH}
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(_head).values(values).on_conflict_do_nothing()
    if session.get_bind().dialect.name == "sqlite":
        return sqlite_insert(_head).values(values).on_conflict_do_nothing()
    return insert(_head).values(values)
