"""The canonical JSON form of an audit state and the SHA-256 hash chain (docs/audit.md).

Standard library only: an observer's verifier may copy or import this module alone.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from enum import Enum
from fractions import Fraction
from typing import NamedTuple

GENESIS_HASH = "0" * 64
_HEAD = re.compile(r"(\d{1,18}):([0-9a-f]{64})")


def json_default(value: object) -> object:
    if isinstance(value, datetime):
        return iso_utc(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, Fraction):
        return f"{value.numerator}/{value.denominator}"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset)):
        return sorted(value)
    if isinstance(value, tuple):
        return list(value)
    raise TypeError(f"cannot put {type(value).__name__} into an audit state")


# How the encoder below writes a str (ensure_ascii=False): quotes, escapes, no \\u for non-ASCII.
json_str: Callable[[str], str] = json.encoder.encode_basestring

_ENCODER = json.JSONEncoder(
    sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=json_default
)


def canonical_json(value: object) -> str:
    """Sorted keys, no spaces, UTF-8 text, dates in ISO 8601: one text per state."""
    return _ENCODER.encode(value)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso_utc(at: datetime) -> str:
    """A timestamp as the log writes it: UTC, microseconds, `+00:00`."""
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
    return entry_hash_iso(
        prev_hash, seq, iso_utc(at), actor, action, object_type, object_id, state_digest
    )


def entry_hash_iso(
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
    hashes one per entry (tests/audit/test_chain.py compares the two)."""
    s = json_str
    text = (
        f'{{"action":{s(action)},"actor":{s(actor)},"at":{s(at_iso)},'
        f'"object_id":{s(object_id)},"object_type":{s(object_type)},'
        f'"prev_hash":{s(prev_hash)},"seq":{int(seq)!r},"state_digest":{s(state_digest)}}}'
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class StoredEntry(NamedTuple):
    """One entry as stored or exported, with its time already in the log's ISO form (a tuple:
    verify makes one per entry of the log). `state` is None where it was not exported (the
    observer bundle carries the states of published objects only)."""

    seq: int
    at: str
    actor: str
    action: str
    object_type: str
    object_id: str
    state_digest: str
    state: str | None
    prev_hash: str
    entry_hash: str


@dataclass(frozen=True)
class ChainBreak:
    """Where an entry is not what the chain gives: its `field` (seq, prev_hash, state_digest or
    entry_hash) should hold `expected`."""

    entry: StoredEntry
    field: str
    message: str
    expected: str
    found: str


def check_chain(
    entries: Iterable[StoredEntry], *, start_seq: int = 1, start_hash: str = GENESIS_HASH
) -> Iterator[ChainBreak]:
    """Every break in a run of entries in seq order: a missing seq, a prev_hash that is not the
    previous entry_hash, a state_digest that is not SHA-256 of the state (where the state is
    given), an entry_hash that is not the hash of the entry's fields."""
    prev, expected_seq = start_hash, start_seq
    sha256 = hashlib.sha256
    for e in entries:
        digest = e.state_digest if e.state is None else sha256(e.state.encode()).hexdigest()
        recomputed = entry_hash_iso(
            e.prev_hash, e.seq, e.at, e.actor, e.action, e.object_type, e.object_id,
            e.state_digest,
        )  # fmt: skip
        if e.seq != expected_seq:
            found, should = str(e.seq), str(expected_seq)
            yield ChainBreak(e, "seq", f"entry {expected_seq} is missing", should, found)
        if e.prev_hash != prev:
            message = "prev_hash is not the previous entry's hash"
            yield ChainBreak(e, "prev_hash", message, prev, e.prev_hash)
        if digest != e.state_digest:
            message = "state_digest is not the digest of the recorded state"
            yield ChainBreak(e, "state_digest", message, digest, e.state_digest)
        if recomputed != e.entry_hash:
            message = "entry_hash does not match the entry's fields"
            yield ChainBreak(e, "entry_hash", message, recomputed, e.entry_hash)
        prev, expected_seq = e.entry_hash, e.seq + 1


@dataclass(frozen=True)
class Head:
    """An entry of the log by its seq and entry_hash; seq 0 is the empty log."""

    seq: int
    hash: str

    def __str__(self) -> str:
        return f"{self.seq}:{self.hash}"


def parse_head(text: str) -> Head:
    """`N:HASH` (as `saylau head` prints it) -> Head; ValueError naming what is wrong."""
    found = _HEAD.fullmatch(text.strip())
    if found is None:
        raise ValueError(
            f"expected N:HASH (a seq, a colon, 64 lower-case hex digits), got {text!r}"
        )
    return Head(int(found[1]), found[2])
