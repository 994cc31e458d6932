"""The observer bundle: the published record as one zip file that anyone can check offline with
`python -m saylau.audit.verify_bundle` or a verifier of their own (docs/observer-bundle.md).

It holds every audit entry without its state (the chain can be checked from the digests) and
the canonical states of the published objects, among them every commission key (its public
half) and every signed checkpoint. People's personal data (deputies, persons, commission
members) and anything not yet published stay out. Every file is canonical JSON, so that a
verifier can insist on the exact bytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.audit.chain import GENESIS_HASH, StoredEntry
from saylau.db.base import table_of
from saylau.db.tables.election import ContestRow, ProtocolRow, RoundRow
from saylau.domain.election import ProtocolStatus
from saylau.services.audit.encoding import canonical_json
from saylau.services.audit.read import begin_snapshot, stored_entries

FORMAT = "saylau-bundle-1"

# Object types whose every object is public once stored: the structure an election runs on
# (no person's data), and the anchors. Protocols and contests are public once published.
PUBLIC_TYPES = frozenset(
    {"territory", "council", "post", "commission", "election_event", "commission_key", "checkpoint"}
)


@dataclass(frozen=True)
class BundleSummary:
    path: str
    head_seq: int
    head_hash: str
    num_entries: int
    num_states: int
    num_keys: int
    num_checkpoints: int


def export_bundle(*, session: Session, path: Path) -> BundleSummary:
    """Write the bundle of the log as it stands (one snapshot: a read-only transaction)."""
    begin_snapshot(session=session)
    try:
        entries = stored_entries(session=session)
        published = _published_objects(session)
    finally:
        session.rollback()
    latest: dict[tuple[str, str], StoredEntry] = {}
    for e in entries:
        latest[(e.object_type, e.object_id)] = e
    states = sorted(
        (
            e
            for (object_type, object_id), e in latest.items()
            if object_type in PUBLIC_TYPES or (object_type, object_id) in published
        ),
        key=lambda e: e.seq,
    )
    last = entries[-1] if entries else None
    head_seq, head_hash = (last.seq, last.entry_hash) if last else (0, GENESIS_HASH)
    manifest = {
        "format": FORMAT,
        "head": {"seq": head_seq, "hash": head_hash},
        "num_entries": len(entries),
        "num_states": len(states),
    }
    num_keys = sum(1 for e in states if e.object_type == "commission_key")
    num_checkpoints = sum(1 for e in states if e.object_type == "checkpoint")
    with zipfile.ZipFile(path, "w") as z:
        for name, text in (
            ("bundle.json", canonical_json(manifest) + "\n"),
            ("entries.jsonl", "".join(_entry_lines(entries))),
            ("states.jsonl", "".join(_state_lines(states))),
        ):
            # A fixed time: the same log gives the same bytes.
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            z.writestr(info, text, compress_type=zipfile.ZIP_DEFLATED, compresslevel=6)
    return BundleSummary(
        str(path), head_seq, head_hash, len(entries), len(states), num_keys, num_checkpoints
    )


def _published_objects(session: Session) -> set[tuple[str, str]]:
    """Published protocols, and the contests whose state they make public: a contest's state
    holds its status and result, so it is public once the accepted protocol of its deciding
    round is published (or, undecided, once any of its protocols is)."""
    pt, rt, ct = table_of(ProtocolRow), table_of(RoundRow), table_of(ContestRow)
    rows = session.execute(
        select(pt.c.id, pt.c.status, rt.c.contest_id, rt.c.round_no, ct.c.decided_round)
        .join(rt, rt.c.id == pt.c.round_id)
        .join(ct, ct.c.id == rt.c.contest_id)
        .where(pt.c.published_at.is_not(None))
    )
    found: set[tuple[str, str]] = set()
    for protocol_id, status, contest_id, round_no, decided_round in rows:
        found.add(("protocol", str(protocol_id)))
        if decided_round is None or (
            round_no == decided_round and status == ProtocolStatus.ACCEPTED
        ):
            found.add(("contest", str(contest_id)))
    return found


def _entry_lines(entries: Iterable[StoredEntry]) -> Iterable[str]:
    for e in entries:
        yield (
            canonical_json(
                {
                    "seq": e.seq,
                    "at": e.at,
                    "actor": e.actor,
                    "action": e.action,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "state_digest": e.state_digest,
                    "prev_hash": e.prev_hash,
                    "entry_hash": e.entry_hash,
                }
            )
            + "\n"
        )


def _state_lines(entries: Iterable[StoredEntry]) -> Iterable[str]:
    for e in entries:
        # The state as the text that was hashed: a string, so that no re-encoding can change it.
        yield (
            canonical_json(
                {
                    "seq": e.seq,
                    "object_type": e.object_type,
                    "object_id": e.object_id,
                    "state": e.state,
                }
            )
            + "\n"
        )
