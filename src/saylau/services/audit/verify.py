"""`saylau verify`: recompute the hash chain, check the head, and compare every object's latest
state digest with its stored rows (docs/audit.md, "What saylau verify checks")."""

from __future__ import annotations

import gc
import json
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from functools import partial
from typing import Any

from sqlalchemy import URL, select
from sqlalchemy.orm import Session

from saylau.audit.chain import (
    GENESIS_HASH,
    Head,
    StoredEntry,
    check_chain,
    iso_utc,
    sha256_hex,
)
from saylau.db.base import table_of
from saylau.db.tables.audit import AuditEntryRow, AuditHeadRow, CheckpointRow, CommissionKeyRow
from saylau.services.audit.child import start_in_child
from saylau.services.audit.encoding import canonical_json
from saylau.services.audit.read import (
    RecordedState,
    begin_snapshot,
    entry_hashes,
    last_entry,
    recorded_states,
    stored_entries,
)
from saylau.services.audit.states import OBJECT_TYPES, StateLoader

_entry = table_of(AuditEntryRow)
# An object's latest entry as verify compares it: read alone, or one of the whole log's.
Recorded = RecordedState | StoredEntry
_head = table_of(AuditHeadRow)


@dataclass(frozen=True)
class Mismatch:
    """One thing the log and the stored rows disagree on.

    kind: "chain" (an entry's hashes or sequence are not what the chain gives), "head" (the
    head row does not name the last entry), "expected_head" (the head given to verify is not
    in the log), "checkpoint" (a signed checkpoint's signature or head does not hold),
    "state" (an object's rows no longer have the digest of its latest entry), "unrecorded" (a
    stored object no entry speaks of),
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


def verify_log(
    *,
    session: Session,
    expect_head: Head | None = None,
    types: Mapping[str, StateLoader] = OBJECT_TYPES,
    parallel: bool = False,
) -> VerifyReport:
    """Recompute the chain, check every signed checkpoint against it (and the head someone
    kept, when given), then compare every object's latest digest with its stored rows.

    Reads one snapshot, so that changes committed meanwhile by others are not half seen.
    With `parallel`, a log of PARALLEL_FROM entries or more has its chain and checkpoints
    checked by a forked child while this process compares the stored rows (the same report;
    `saylau verify` asks for it, docs/audit.md "What it costs").
    """
    with cycle_collection_paused():
        return _verify_log(session, expect_head, types, parallel=parallel)


@contextmanager
def cycle_collection_paused() -> Iterator[None]:
    """Python's cycle collector off meanwhile: reading a log makes hundreds of thousands of
    tuples and strings and no cycles, and the collector's passes over them cost verify a
    third of its time (docs/audit.md, "What it costs")."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _verify_log(
    session: Session,
    expect_head: Head | None,
    types: Mapping[str, StateLoader],
    *,
    parallel: bool,
) -> VerifyReport:
    begin_snapshot(session=session)
    upto, last_hash = last_entry(session=session)
    url = session.connection().engine.url
    checkpoints = _stored_checkpoints(session)
    if parallel and upto >= PARALLEL_FROM and _reachable_from_a_child(url):
        # The child reads the entries to `upto` over its own connection: no one changes an
        # entry once written, so it reads what this snapshot holds.
        log_checked = start_in_child(partial(_check_stored_log, url, upto, checkpoints))
        recorded: Sequence[Recorded] = recorded_states(session=session)
    else:
        entries = stored_entries(session=session, upto=upto)
        log_checked = partial(_check_log, entries, checkpoints)
        recorded = entries  # each object's last entry is its latest
    latest = {(e.object_type, e.object_id): e for e in recorded}
    expected = []
    if expect_head is not None:
        hashes = entry_hashes(session=session, seqs=[expect_head.seq])
        expected = _verify_expected_head(hashes, expect_head, upto)
    head_problems: list[Mismatch] = []
    _verify_head(session, head_problems, upto, last_hash)
    state_problems, matched = _verify_states(session, latest, types)
    log = log_checked()
    problems = [*log.chain, *expected, *log.checkpoints, *head_problems, *state_problems]
    # An object whose rows equal its latest recorded state, where that state is not the one
    # its digest was taken of: the rows do not have the recorded digest either.
    problems += [_digest_mismatch(e) for e in matched if e.seq in log.bad_digests]
    problems.sort(key=lambda p: (p.seq is None, p.seq or 0))
    return VerifyReport(
        num_entries=log.num_entries, num_objects=len(latest), problems=tuple(problems)
    )


# Below this many entries, a child checking the log costs more than it saves.
PARALLEL_FROM = 10_000


@dataclass(frozen=True)
class _LogChecked:
    """What the log says without the stored rows: its chain's breaks, its signed checkpoints'
    problems, and the seqs whose state_digest is not their state's."""

    num_entries: int
    chain: list[Mismatch]
    checkpoints: list[Mismatch]
    bad_digests: set[int]


def _check_log(entries: list[StoredEntry], checkpoints: list[Any]) -> _LogChecked:
    chain: list[Mismatch] = []
    bad_digests = _verify_chain(entries, chain)
    hashes = {e.seq: e.entry_hash for e in entries}
    return _LogChecked(len(entries), chain, _check_checkpoints(checkpoints, hashes), bad_digests)


def _check_stored_log(url: URL, upto: int, checkpoints: list[Any]) -> _LogChecked:
    """`_check_log` of the entries to `upto`, read over a connection of its own (a forked
    child's: it may not use the one it inherits)."""
    from saylau.db.engine import make_engine, make_session_factory

    engine = make_engine(url.render_as_string(hide_password=False))
    try:
        with make_session_factory(engine)() as session:
            entries = stored_entries(session=session, upto=upto)
    finally:
        engine.dispose()
    return _check_log(entries, checkpoints)


def _reachable_from_a_child(url: URL) -> bool:
    """Whether another connection sees this database: not an in-memory SQLite one."""
    return url.get_backend_name() != "sqlite" or url.database not in (None, "", ":memory:")


def _digest_mismatch(entry: Recorded) -> Mismatch:
    return Mismatch(
        "state",
        "the stored rows differ from the state this entry recorded"
        if entry.state != "null"
        else "the object recorded by this entry is no longer stored",
        seq=entry.seq,
        action=entry.action,
        object_type=entry.object_type,
        object_id=entry.object_id,
        expected=entry.state_digest,
        found=sha256_hex(entry.state or "null"),
    )


def _verify_chain(entries: list[StoredEntry], problems: list[Mismatch]) -> set[int]:
    """Adds every break of the chain to `problems`; returns the seqs whose state_digest is not
    the digest of their state."""
    bad_digests: set[int] = set()
    for broken in check_chain(entries):
        e = broken.entry
        if broken.field == "state_digest":
            bad_digests.add(e.seq)
        problems.append(
            Mismatch(
                "chain",
                broken.message,
                seq=e.seq,
                action=e.action,
                object_type=e.object_type,
                object_id=e.object_id,
                expected=broken.expected,
                found=broken.found,
            )
        )
    return bad_digests


def _verify_expected_head(hashes: Mapping[int, str], head: Head, last: int) -> list[Mismatch]:
    """The head someone noted earlier must still be in the log, unchanged (`hashes` holds
    its entry's hash if there is one; `last` is the log's last seq)."""
    found = hashes.get(head.seq)
    if found == head.hash or (head.seq == 0 and head.hash == GENESIS_HASH):
        return []
    message = (
        f"the expected head is missing: the log ends at entry {last}"
        if found is None
        else "the expected head differs: the log was rewritten at or before this entry"
    )
    return [Mismatch("expected_head", message, seq=head.seq, expected=head.hash, found=found or "")]


def _stored_checkpoints(session: Session) -> list[Any]:
    """The stored checkpoints, each with its commission's public key."""
    cp, key = table_of(CheckpointRow), table_of(CommissionKeyRow)
    stmt = select(cp, key.c.public_key).join(key, key.c.id == cp.c.key_id).order_by(cp.c.id)
    return list(session.execute(stmt).all())


def _check_checkpoints(rows: list[Any], hashes: Mapping[int, str]) -> list[Mismatch]:
    """Each stored checkpoint: its commission's signature over its head is valid, and the log
    still passes through that head."""
    if not rows:
        return []
    # Imported only when there is a signature to check: `cryptography` costs start-up time.
    from saylau.audit.checkpoint import checkpoint_message, is_valid_signature

    problems = []
    for r in rows:
        message = checkpoint_message(
            commission=r.commission,
            seq=r.seq,
            entry_hash=r.entry_hash,
            signed_at=iso_utc(r.signed_at),
        )
        where = f"checkpoint {r.id} ({r.commission}) of head {r.seq}"
        if not is_valid_signature(r.public_key, message, r.signature):
            problems.append(
                Mismatch(
                    "checkpoint",
                    f"{where}: the signature is not the commission key's over this head",
                    seq=r.seq,
                    object_type="checkpoint",
                    object_id=str(r.id),
                    expected=f"a signature by {r.public_key}",
                    found=r.signature,
                )
            )
        found = hashes.get(r.seq)
        if found != r.entry_hash and not (r.seq == 0 and r.entry_hash == GENESIS_HASH):
            problems.append(
                Mismatch(
                    "checkpoint",
                    f"{where}: the log no longer passes through the signed head"
                    + (" (entry missing)" if found is None else " (rewritten after it)"),
                    seq=r.seq,
                    object_type="checkpoint",
                    object_id=str(r.id),
                    expected=r.entry_hash,
                    found=found or "",
                )
            )
    return problems


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
    latest: dict[tuple[str, str], Recorded],
    types: Mapping[str, StateLoader],
) -> tuple[list[Mismatch], list[Recorded]]:
    """Each type's stored objects read in one pass (every row: verify compares them all), so
    that objects with no entry are found in the same pass. Returns the problems, and the
    entries whose recorded state is the very text of the rows' state (these match as long as
    the chain finds each one's digest to be that of its state)."""
    problems: list[Mismatch] = []
    matched: list[Recorded] = []
    by_type: dict[str, list[str]] = {}
    for object_type, object_id in latest:
        by_type.setdefault(object_type, []).append(object_id)
    for object_type, ids in sorted(by_type.items()):
        if object_type not in types:
            first = min(latest[(object_type, i)].seq for i in ids)
            problems.append(
                Mismatch(
                    "unknown_type",
                    f"no state loader for {object_type!r}",
                    seq=first,
                    object_type=object_type,
                )
            )
    for object_type, load in sorted(types.items()):
        states = load(session, None)
        for object_id in by_type.get(object_type, ()):
            entry = latest[(object_type, object_id)]
            current = states.get(object_id)
            text = canonical_json(current) if current is not None else "null"
            if text == entry.state:
                matched.append(entry)
                continue
            digest = sha256_hex(text)
            if digest == entry.state_digest:
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
                    expected=entry.state_digest,
                    found=digest,
                    differences=tuple(
                        diff_states(json.loads(entry.state or "null"), json.loads(text))
                    ),
                )
            )
        for object_id in states:
            if (object_type, object_id) not in latest:
                problems.append(
                    Mismatch(
                        "unrecorded",
                        "stored, but no audit entry records it",
                        object_type=object_type,
                        object_id=object_id,
                    )
                )
    return problems, matched


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
