"""`saylau verify`: recompute the hash chain, check the head, and compare every object's latest
state digest with its stored rows (docs/audit.md, "What saylau verify checks")."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.audit.chain import GENESIS_HASH, canonical_json, entry_hash, sha256_hex
from saylau.db.base import table_of
from saylau.db.tables.audit import AuditEntryRow, AuditHeadRow
from saylau.services.audit.states import OBJECT_TYPES, ObjectType, load_states

_entry = table_of(AuditEntryRow)
_head = table_of(AuditHeadRow)


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


def verify_log(session: Session, *, types: Mapping[str, ObjectType] = OBJECT_TYPES) -> VerifyReport:
    """Recompute the chain, then compare every object's latest digest with its stored rows.

    Reads one snapshot, so that changes committed meanwhile by others are not half seen.
    """
    _begin_snapshot(session)
    problems: list[Mismatch] = []
    latest: dict[tuple[str, str], _Latest] = {}
    num_entries, last_seq, last_hash = _verify_chain(session, problems, latest)
    _verify_head(session, problems, last_seq, last_hash)
    _verify_states(session, problems, latest, types)
    _verify_unrecorded(session, problems, latest, types)
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
    session: Session,
    problems: list[Mismatch],
    latest: dict[tuple[str, str], _Latest],
    types: Mapping[str, ObjectType],
) -> None:
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in latest:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in sorted(by_type.items()):
        known = types.get(object_type)
        if known is None:
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
        states = load_states(session, known.load, ids)
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
    session: Session,
    problems: list[Mismatch],
    latest: dict[tuple[str, str], _Latest],
    types: Mapping[str, ObjectType],
) -> None:
    for object_type, known in sorted(types.items()):
        for object_id in known.list_ids(session):
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
