"""docs/observer-bundle.md's worked example: the two printf | sha256sum lines give the figures
the page prints, and the entry line's hash is what the chain computes."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

from saylau.audit.chain import GENESIS_HASH, canonical_json, entry_hash_iso

DOC = Path(__file__).resolve().parents[2] / "docs" / "observer-bundle.md"


def test_the_hand_check_recomputes() -> None:
    text = DOC.read_text(encoding="utf-8")
    pairs = re.findall(r"\$ printf '%s' '(.+)' \| sha256sum\n([0-9a-f]{64})  -", text)
    assert len(pairs) == 2
    for printed, digest in pairs:
        assert hashlib.sha256(printed.encode("utf-8")).hexdigest() == digest
    entry_line, state_line = re.findall(r'^\{"(?:action|object_id)".*\}$', text, re.M)[:2]
    entry, state = json.loads(entry_line), json.loads(state_line)
    assert canonical_json(entry) == entry_line and canonical_json(state) == state_line
    assert hashlib.sha256(state["state"].encode()).hexdigest() == entry["state_digest"]
    assert pairs[0] == (state["state"], entry["state_digest"])
    assert entry["prev_hash"] == GENESIS_HASH
    recomputed = entry_hash_iso(
        entry["prev_hash"], entry["seq"], entry["at"], entry["actor"], entry["action"],
        entry["object_type"], entry["object_id"], entry["state_digest"],
    )  # fmt: skip
    assert recomputed == entry["entry_hash"] == pairs[1][1]
