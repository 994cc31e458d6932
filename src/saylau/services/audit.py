"""The audit log: every state change appends an entry chained by SHA-256 to the previous one,
with the digest of the object's new state; `verify_log` recomputes both (docs/audit.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import Any

from sqlalchemy import Table, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import select_in
from saylau.db.tables.audit import AuditEntryRow, AuditHeadRow

StateLoader = Callable[[Session, Sequence[str]], Mapping[str, Mapping[str, object]]]
IdLister = Callable[[Session], Iterable[str]]

GENESIS_HASH = "0" * 64
_HEAD_ID = 1
_CHUNK = 2000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits

_loaders: dict[str, StateLoader] = {}
_listers: dict[str, IdLister] = {}

_entry = table_of(AuditEntryRow)
_head = table_of(AuditHeadRow)


def register_state_loader(
    object_type: str, loader: StateLoader, *, list_ids: IdLister | None = None
) -> None:
    """Teach the log how to read the current state of `object_type` objects.

    `loader(session, ids)` returns {id: JSON-able state from the stored rows}. With `list_ids`,
    verify also reports stored objects that have no audit entry at all.
    """
    _loaders[object_type] = loader
    if list_ids is not None:
        _listers[object_type] = list_ids


def registered_types() -> tuple[str, ...]:
    return tuple(sorted(_loaders))


def table_state_loader(table: Table | Any, *, key: str = "id") -> StateLoader:
    """A loader whose state is every column of the row whose `key` column is the object id."""
    tbl: Table = table if isinstance(table, Table) else table.__table__
    key_col = tbl.c[key]

    def load(session: Session, object_ids: Sequence[str]) -> dict[str, Mapping[str, object]]:
        found: dict[str, Mapping[str, object]] = {}
        names = [c.name for c in tbl.columns]
        at = names.index(key)
        keys = [_as_key(key_col, i) for i in object_ids]
        for row in select_in(session, select(tbl), key_col, keys):
            found[str(row[at])] = dict(zip(names, row, strict=True))
        return found

    return load


def table_id_lister(table: Table | Any, *, key: str = "id") -> IdLister:
    tbl: Table = table if isinstance(table, Table) else table.__table__

    def list_ids(session: Session) -> Iterator[str]:
        for value in session.execute(select(tbl.c[key])).scalars():
            yield str(value)

    return list_ids


def register_table(object_type: str, table: Table | Any, *, key: str = "id") -> None:
    """Register a one-table object type: its state is its row, its id the `key` column."""
    register_state_loader(
        object_type,
        table_state_loader(table, key=key),
        list_ids=table_id_lister(table, key=key),
    )


# --- canonical form and digests ------------------------------------------------------------


def _json_default(value: object) -> object:
    if isinstance(value, datetime):
        return _iso(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    raise TypeError(f"cannot put {type(value).__name__} into an audit state")


# How the encoder below writes a str (ensure_ascii=False): quotes, escapes, no \\u for non-ASCII.
_json_str: Callable[[str], str] = json.encoder.encode_basestring

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=_json_default
)


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces, UTF-8 text, dates in ISO 8601: one text per state."""
    return _ENCODER.encode(value)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _iso(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="microseconds")


def entry_hash(
    *,
    prev_hash: str,
    seq: int,
    at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    state_digest: str,
) -> str:
    """SHA-256 of the canonical JSON of the entry's fields and the previous entry's hash."""
    return _entry_hash(
        prev_hash, seq, _iso(at), actor, action, object_type, object_id, state_digest
    )


def _entry_hash(
    prev_hash: str,
    seq: int,
    at_iso: str,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    state_digest: str,
) -> str:
    """`entry_hash` with the time already in ISO form: the text canonical_json gives for the
    dict of the eight fields (keys sorted, no spaces), written out directly because the log
    hashes one per entry (tests/services/test_audit.py compares the two)."""
    s = _json_str
    text = (
        f'{{"action":{s(action)},"actor":{s(actor)},"at":{s(at_iso)},'
        f'"object_id":{s(object_id)},"object_type":{s(object_type)},'
        f'"prev_hash":{s(prev_hash)},"seq":{int(seq)!r},"state_digest":{s(state_digest)}}}'
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# --- appending -----------------------------------------------------------------------------


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
    ids = list(dict.fromkeys(str(i) for i in object_ids))
    if not ids:
        return
    loader = _loader_for(object_type)
    session.flush()
    states = _load_states(session, loader, ids)
    missing = [i for i in ids if i not in states]
    if missing:
        raise LookupError(f"no stored {object_type} with id {', '.join(missing[:5])}")
    when = (at or datetime.now(UTC)).astimezone(UTC)
    when_iso = _iso(when)
    seq, prev = _lock_head(session)
    rows: list[tuple[Any, ...]] = []
    encode, sha256 = _ENCODER.encode, hashlib.sha256
    for object_id in ids:
        seq += 1
        state = encode(states[object_id])
        digest = sha256(state.encode("utf-8")).hexdigest()
        this_hash = _entry_hash(prev, seq, when_iso, actor, action, object_type, object_id, digest)
        rows.append((seq, actor, action, object_type, object_id, digest, state, prev, this_hash))
        prev = this_hash
    _insert_entries(session, when, rows)
    session.execute(update(_head).where(_head.c.id == _HEAD_ID).values(seq=seq, entry_hash=prev))


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
    if dialect.paramstyle not in ("qmark", "format", "pyformat"):
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
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {_entry.name} ({', '.join(columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    conn.exec_driver_sql(sql, [(at_value, *r) for r in rows])


def _lock_head(session: Session) -> tuple[int, str]:
    """Take the append lock (an UPDATE of the head row) and return the last seq and hash.

    Under PostgreSQL's READ COMMITTED a waiting UPDATE proceeds on the newest committed row,
    and the following SELECT sees it; on SQLite the UPDATE takes the database write lock.
    """
    lock = update(_head).where(_head.c.id == _HEAD_ID).values(seq=_head.c.seq)
    if not session.execute(lock).rowcount:  # type: ignore[attr-defined]
        # A log that never had an entry (the migration creates the head; create_all or a
        # TRUNCATE may not). Racing first appends both insert-or-ignore, then lock.
        session.execute(_insert_genesis_head(session))
        session.execute(lock)
    row = session.execute(select(_head.c.seq, _head.c.entry_hash).where(_head.c.id == _HEAD_ID))
    seq, last_hash = row.one()
    return int(seq), str(last_hash)


def _insert_genesis_head(session: Session) -> Any:
    values = {"id": _HEAD_ID, "seq": 0, "entry_hash": GENESIS_HASH}
    if session.get_bind().dialect.name == "postgresql":
        return pg_insert(_head).values(values).on_conflict_do_nothing()
    if session.get_bind().dialect.name == "sqlite":
        return sqlite_insert(_head).values(values).on_conflict_do_nothing()
    return insert(_head).values(values)


def _loader_for(object_type: str) -> StateLoader:
    try:
        return _loaders[object_type]
    except KeyError:
        raise LookupError(
            f"no state loader for object type {object_type!r}; "
            f"known: {', '.join(registered_types()) or 'none'}"
        ) from None


def _load_states(
    session: Session, loader: StateLoader, ids: Sequence[str]
) -> dict[str, Mapping[str, object]]:
    states: dict[str, Mapping[str, object]] = {}
    for chunk in _chunks(list(ids)):
        states.update(loader(session, chunk))
    return states


def _chunks(items: list[Any]) -> Iterator[list[Any]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


def _as_key(column: Any, object_id: str) -> object:
    python_type: type | None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = None
    return int(object_id) if python_type is int else object_id


# --- verifying -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Mismatch:
    """One thing the log and the stored rows disagree on.

    kind: "chain" (an entry's hashes or sequence are not what the chain gives), "head" (the
    head row does not name the last entry), "state" (an object's rows no longer have the
    digest of its latest entry), "unrecorded" (a stored object no entry speaks of),
    "unknown_type" (no loader for an object type in the log).
    """

    kind: str
    message: str
    seq: int | None = None
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    expected: str = ""
    found: str = ""
    differences: tuple[str, ...] = ()


@dataclass(frozen=True)
class VerifyReport:
    num_entries: int
    num_objects: int
    problems: tuple[Mismatch, ...]

    @property
    def is_ok(self) -> bool:
        return not self.problems

    @property
    def first_problem(self) -> Mismatch | None:
        return self.problems[0] if self.problems else None


@dataclass
class _Latest:
    seq: int
    action: str
    digest: str
    state: str


def verify_log(*, session: Session) -> VerifyReport:
    """Recompute the chain, then compare every object's latest digest with its stored rows.

    Reads one snapshot, so that changes committed meanwhile by others are not half seen.
    """
    _begin_snapshot(session)
    problems: list[Mismatch] = []
    latest: dict[tuple[str, str], _Latest] = {}
    num_entries, last_seq, last_hash = _verify_chain(session, problems, latest)
    _verify_head(session, problems, last_seq, last_hash)
    _verify_states(session, problems, latest)
    _verify_unrecorded(session, problems, latest)
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return VerifyReport(num_entries=num_entries, num_objects=len(latest), problems=tuple(problems))


def _begin_snapshot(session: Session) -> None:
    if session.in_transaction():
        return  # the caller's transaction is the snapshot
    if session.get_bind().dialect.name == "postgresql":
        session.connection(execution_options={"isolation_level": "REPEATABLE READ"})
    elif session.get_bind().dialect.name == "sqlite":
        # pysqlite opens a transaction only before a write; without this BEGIN every SELECT
        # would read its own snapshot. COMMIT/ROLLBACK of the session ends it as usual.
        session.connection().exec_driver_sql("BEGIN")


def _verify_chain(
    session: Session, problems: list[Mismatch], latest: dict[tuple[str, str], _Latest]
) -> tuple[int, int, str]:
    prev, expected_seq, count = GENESIS_HASH, 1, 0
    rows = session.execute(select(_entry).order_by(_entry.c.seq)).mappings()
    for e in rows:
        count += 1
        object_id = str(e["object_id"])
        recorded_digest = sha256_hex(e["state"])
        recomputed = entry_hash(
            prev_hash=e["prev_hash"],
            seq=e["seq"],
            at=e["at"],
            actor=e["actor"],
            action=e["action"],
            object_type=e["object_type"],
            object_id=object_id,
            state_digest=e["state_digest"],
        )
        checks = [
            (e["seq"] == expected_seq, f"entry {expected_seq} is missing", str(expected_seq),
             str(e["seq"])),
            (e["prev_hash"] == prev, "prev_hash is not the previous entry's hash", prev,
             e["prev_hash"]),
            (recorded_digest == e["state_digest"],
             "state_digest is not the digest of the recorded state", recorded_digest,
             e["state_digest"]),
            (recomputed == e["entry_hash"], "entry_hash does not match the entry's fields",
             recomputed, e["entry_hash"]),
        ]  # fmt: skip
        for is_ok, message, expected, found in checks:
            if not is_ok:
                problems.append(
                    Mismatch(
                        "chain",
                        message,
                        seq=e["seq"],
                        action=e["action"],
                        object_type=e["object_type"],
                        object_id=object_id,
                        expected=expected,
                        found=found,
                    )
                )
        latest[(e["object_type"], object_id)] = _Latest(
            e["seq"], e["action"], e["state_digest"], e["state"]
        )
        prev, expected_seq = e["entry_hash"], e["seq"] + 1
    return count, expected_seq - 1, prev


def _verify_head(session: Session, problems: list[Mismatch], last_seq: int, last: str) -> None:
    head = session.execute(select(_head.c.seq, _head.c.entry_hash)).one_or_none()
    head_seq, head_hash = (0, GENESIS_HASH) if head is None else (int(head[0]), str(head[1]))
    if (head_seq, head_hash) != (last_seq, last):
        problems.append(
            Mismatch(
                "head",
                f"the log's head names entry {head_seq} but the last entry is {last_seq}"
                " (entries removed or added outside saylau)",
                seq=min(head_seq, last_seq) + 1,
                expected=f"{head_seq}:{head_hash}",
                found=f"{last_seq}:{last}",
            )
        )


def _verify_states(
    session: Session, problems: list[Mismatch], latest: dict[tuple[str, str], _Latest]
) -> None:
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in latest:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in sorted(by_type.items()):
        loader = _loaders.get(object_type)
        if loader is None:
            first = min(latest[(object_type, i)].seq for i in ids)
            problems.append(
                Mismatch(
                    "unknown_type",
                    f"no state loader for {object_type!r}",
                    seq=first,
                    object_type=object_type,
                )
            )
            continue
        states = _load_states(session, loader, ids)
        for object_id in ids:
            entry = latest[(object_type, object_id)]
            current = states.get(object_id)
            text = canonical_json(current) if current is not None else "null"
            digest = sha256_hex(text)
            if digest == entry.digest:
                continue
            problems.append(
                Mismatch(
                    "state",
                    "the stored rows differ from the state this entry recorded"
                    if current is not None
                    else "the object recorded by this entry is no longer stored",
                    seq=entry.seq,
                    action=entry.action,
                    object_type=object_type,
                    object_id=object_id,
                    expected=entry.digest,
                    found=digest,
                    differences=tuple(diff_states(json.loads(entry.state), json.loads(text))),
                )
            )


def _verify_unrecorded(
    session: Session, problems: list[Mismatch], latest: dict[tuple[str, str], _Latest]
) -> None:
    for object_type, list_ids in sorted(_listers.items()):
        for object_id in list_ids(session):
            if (object_type, object_id) not in latest:
                problems.append(
                    Mismatch(
                        "unrecorded",
                        "stored, but no audit entry records it",
                        object_type=object_type,
                        object_id=object_id,
                    )
                )


def diff_states(recorded: object, stored: object, path: str = "") -> list[str]:
    """Where two states differ, as "path: recorded X, stored Y" lines."""
    if isinstance(recorded, dict) and isinstance(stored, dict):
        out: list[str] = []
        for key in sorted(set(recorded) | set(stored), key=str):
            sub = f"{path}.{key}" if path else str(key)
            out += diff_states(recorded.get(key), stored.get(key), sub)
        return out
    if isinstance(recorded, list) and isinstance(stored, list) and len(recorded) == len(stored):
        out = []
        for i, (a, b) in enumerate(zip(recorded, stored, strict=True)):
            out += diff_states(a, b, f"{path}[{i}]")
        return out
    if recorded == stored:
        return []
    was, now = json.dumps(recorded, ensure_ascii=False), json.dumps(stored, ensure_ascii=False)
    return [f"{path or 'state'}: recorded {was}, stored {now}"]


# --- reading the log -----------------------------------------------------------------------


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
