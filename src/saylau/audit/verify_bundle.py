"""Check an observer bundle offline: `python -m saylau.audit.verify_bundle FILE.zip
[--expect-head N:HASH]`. The standard library and `cryptography` only, nothing else of saylau
(docs/observer-bundle.md describes the format and every check, for independent verifiers).

Exit 0: the bundle is intact; 1: a check failed (each failure on its own line); 2: the file
cannot be read as a bundle, or an argument is wrong.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from saylau.audit.chain import (
    GENESIS_HASH,
    Head,
    StoredEntry,
    canonical_json,
    check_chain,
    parse_head,
)
from saylau.audit.checkpoint import checkpoint_message, is_valid_signature

FORMAT = "saylau-bundle-1"
FILES = ("bundle.json", "entries.jsonl", "states.jsonl")
_ENTRY_KEYS = {
    "seq", "at", "actor", "action", "object_type", "object_id", "state_digest", "prev_hash",
    "entry_hash",
}  # fmt: skip
_STATE_KEYS = {"seq", "object_type", "object_id", "state"}


class BundleError(Exception):
    """The file is not a readable bundle of this format."""


@dataclass
class BundleReport:
    head: Head
    num_entries: int = 0
    num_states: int = 0
    num_keys: int = 0
    num_checkpoints: int = 0
    failures: list[str] = field(default_factory=list)

    @property
    def is_ok(self) -> bool:
        return not self.failures


def verify_bundle(path: str, *, expect_head: Head | None = None) -> BundleReport:
    """Every check of docs/observer-bundle.md; BundleError when the file cannot be read."""
    try:
        return _verify(path, expect_head)
    except (KeyError, TypeError, ValueError, AttributeError) as error:
        # A value of the wrong type where the format wants a string or a number.
        raise BundleError(f"{path}: malformed ({error!r})") from None


def _verify(path: str, expect_head: Head | None) -> BundleReport:
    files = _read(path)
    manifest = _canonical_lines(files["bundle.json"], "bundle.json")
    if len(manifest) != 1 or manifest[0].get("format") != FORMAT:
        raise BundleError(f"bundle.json: not one object of format {FORMAT!r}")
    try:
        head = Head(int(manifest[0]["head"]["seq"]), str(manifest[0]["head"]["hash"]))
    except (KeyError, TypeError, ValueError) as error:
        raise BundleError(f"bundle.json: no head ({error!r})") from None
    report = BundleReport(head)
    entries = [_entry(e, n) for n, e in enumerate(_lines(files, "entries.jsonl"), start=1)]
    report.num_entries = len(entries)
    _check_entries(entries, manifest[0], report)
    hashes = {e.seq: e.entry_hash for e in entries}
    if expect_head is not None:
        _check_expected_head(hashes, expect_head, report)
    states = _check_states(_lines(files, "states.jsonl"), entries, manifest[0], report)
    _check_checkpoints(states, hashes, report)
    return report


def _read(path: str) -> dict[str, str]:
    try:
        with zipfile.ZipFile(path) as z:
            names = sorted(z.namelist())
            if names != sorted(FILES):
                raise BundleError(f"not a saylau bundle: holds {names}, expected {list(FILES)}")
            # ZipFile.read checks each member's CRC-32.
            return {n: z.read(n).decode("utf-8") for n in FILES}
    except (OSError, zipfile.BadZipFile, UnicodeDecodeError, EOFError) as error:
        raise BundleError(f"{path}: {error}") from None
    except Exception as error:  # zlib.error and others a damaged member raises
        raise BundleError(f"{path}: damaged ({error!r})") from None


def _lines(files: dict[str, str], name: str) -> list[dict[str, Any]]:
    return _canonical_lines(files[name], name)


def _canonical_lines(text: str, name: str) -> list[dict[str, Any]]:
    """One JSON object per line, each exactly its canonical form (so no byte can change
    unseen), the file ending with a newline."""
    if text and not text.endswith("\n"):
        raise BundleError(f"{name}: does not end with a newline")
    found = []
    for n, line in enumerate(text.splitlines(), start=1):
        try:
            value = json.loads(line)
        except ValueError as error:
            raise BundleError(f"{name} line {n}: not JSON ({error})") from None
        if not isinstance(value, dict) or canonical_json(value) != line:
            raise BundleError(f"{name} line {n}: not an object in canonical JSON")
        found.append(value)
    return found


def _entry(e: dict[str, Any], n: int) -> StoredEntry:
    if set(e) != _ENTRY_KEYS or not isinstance(e["seq"], int):
        raise BundleError(f"entries.jsonl line {n}: expected the keys {sorted(_ENTRY_KEYS)}")
    return StoredEntry(
        e["seq"], e["at"], e["actor"], e["action"], e["object_type"], e["object_id"],
        e["state_digest"], None, e["prev_hash"], e["entry_hash"],
    )  # fmt: skip


def _check_entries(entries: Sequence[StoredEntry], manifest: Any, report: BundleReport) -> None:
    for broken in check_chain(entries):
        report.failures.append(
            f"entry {broken.entry.seq}: {broken.message} (expected {broken.expected},"
            f" found {broken.found})"
        )
    last = Head(entries[-1].seq, entries[-1].entry_hash) if entries else Head(0, GENESIS_HASH)
    if last != report.head:
        report.failures.append(f"bundle.json names head {report.head}, the last entry is {last}")
    if manifest.get("num_entries") != len(entries):
        report.failures.append(
            f"bundle.json counts {manifest.get('num_entries')} entries, entries.jsonl holds"
            f" {len(entries)}"
        )


def _check_expected_head(hashes: dict[int, str], head: Head, report: BundleReport) -> None:
    found = hashes.get(head.seq)
    if found == head.hash or (head.seq == 0 and head.hash == GENESIS_HASH):
        return
    report.failures.append(
        f"entry {head.seq}: the expected head is missing"
        if found is None
        else f"entry {head.seq}: the expected head differs (the bundle has {found}): the log"
        " was rewritten at or before it"
    )


def _check_states(
    lines: list[dict[str, Any]],
    entries: Sequence[StoredEntry],
    manifest: Any,
    report: BundleReport,
) -> dict[tuple[str, str], dict[str, Any]]:
    """Each state: SHA-256 of its text is the state_digest of the entry it names, and that
    entry is the newest of its object (the state shown is current). Returns the states read,
    by (object type, object id)."""
    by_seq = {e.seq: e for e in entries}
    newest = {(e.object_type, e.object_id): e.seq for e in entries}
    states: dict[tuple[str, str], dict[str, Any]] = {}
    for n, s in enumerate(lines, start=1):
        if set(s) != _STATE_KEYS or not isinstance(s["state"], str):
            raise BundleError(f"states.jsonl line {n}: expected the keys {sorted(_STATE_KEYS)}")
        report.num_states += 1
        where = f"state of {s['object_type']} {s['object_id']} (entry {s['seq']})"
        entry = by_seq.get(s["seq"])
        if entry is None or (entry.object_type, entry.object_id) != (
            s["object_type"],
            s["object_id"],
        ):
            report.failures.append(f"{where}: the log has no such entry of this object")
            continue
        digest = hashlib.sha256(s["state"].encode("utf-8")).hexdigest()
        if digest != entry.state_digest:
            report.failures.append(
                f"{where}: SHA-256 of the state is {digest}, the entry's state_digest is"
                f" {entry.state_digest}"
            )
            continue
        if newest[(entry.object_type, entry.object_id)] != entry.seq:
            report.failures.append(
                f"{where}: entry {newest[(entry.object_type, entry.object_id)]} is newer"
            )
        state = json.loads(s["state"])
        if isinstance(state, dict):
            states[(entry.object_type, entry.object_id)] = state
    if manifest.get("num_states") != report.num_states:
        report.failures.append(
            f"bundle.json counts {manifest.get('num_states')} states, states.jsonl holds"
            f" {report.num_states}"
        )
    return states


def _check_checkpoints(
    states: dict[tuple[str, str], dict[str, Any]], hashes: dict[int, str], report: BundleReport
) -> None:
    """Each checkpoint state: signed by the commission key its key_id names (a commission_key
    state of the bundle), over its head; and the chain passes through that head."""
    keys = {oid: s for (otype, oid), s in states.items() if otype == "commission_key"}
    report.num_keys = len(keys)
    for (otype, oid), c in sorted(states.items()):
        if otype != "checkpoint":
            continue
        report.num_checkpoints += 1
        where = f"checkpoint {oid} ({c.get('commission')}) of head {c.get('seq')}"
        key = keys.get(str(c.get("key_id")))
        if key is None:
            report.failures.append(f"{where}: its key {c.get('key_id')} is not in the bundle")
            continue
        try:
            message = checkpoint_message(
                commission=c["commission"], seq=c["seq"], entry_hash=c["entry_hash"],
                signed_at=c["signed_at"],
            )  # fmt: skip
            is_valid = is_valid_signature(key["public_key"], message, c["signature"])
        except (KeyError, TypeError, AttributeError):
            is_valid = False
        if not is_valid:
            report.failures.append(f"{where}: the signature is not the key's over this head")
        if hashes.get(c["seq"]) != c.get("entry_hash"):
            report.failures.append(f"{where}: the log does not pass through the signed head")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m saylau.audit.verify_bundle",
        description="Check a saylau observer bundle offline (docs/observer-bundle.md).",
    )
    parser.add_argument("bundle", help="the bundle's zip file (saylau bundle export)")
    parser.add_argument(
        "--expect-head", metavar="N:HASH", help="a head kept earlier: entry N must still be HASH"
    )
    args = parser.parse_args(argv)
    try:
        expected = parse_head(args.expect_head) if args.expect_head else None
    except ValueError as error:
        parser.error(f"--expect-head: {error}")
    try:
        report = verify_bundle(args.bundle, expect_head=expected)
    except BundleError as error:
        sys.stderr.write(f"error: {error}\n")
        return 2
    if report.is_ok:
        sys.stdout.write(
            f"ok: {report.num_entries} entries, chain intact up to head {report.head};"
            f" {report.num_states} published states match, among them {report.num_keys}"
            f" commission keys and {report.num_checkpoints} signed checkpoints\n"
        )
        return 0
    sys.stdout.write(f"FAILED: {len(report.failures)} problem(s)\n")
    sys.stdout.write("".join(f"  {f}\n" for f in report.failures))
    return 1


if __name__ == "__main__":
    raise SystemExit(main())
