"""The canonical form and the entry hash, which logs written by every version must share."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from saylau.audit.chain import GENESIS_HASH, canonical_json, entry_hash, sha256_hex

AT = datetime(2013, 8, 7, 9, 30, tzinfo=UTC)
PINNED_HASH = "8b555f98a8a64548642f0474ad075232dd2ac8f12a6c1755e9da9512574ef905"


def test_canonical_json_is_sorted_compact_and_iso() -> None:
    text_ = canonical_json({"b": 1, "a": [datetime(2013, 8, 7, tzinfo=UTC), "ә"]})
    assert text_ == '{"a":["2013-08-07T00:00:00.000000+00:00","ә"],"b":1}'


@pytest.mark.parametrize(
    ("actor", "object_id"),
    [("cli:root", "17"), ('secretary:"Жақсылықова" А.\\ \n\t\u2028 ', "KZ-ə/1"), ("", "")],
)
def test_entry_hash_is_the_digest_of_the_canonical_fields(actor: str, object_id: str) -> None:
    fields = {
        "prev_hash": "ab" * 32, "seq": 123456, "at": AT, "actor": actor,
        "action": "candidate.register", "object_type": "nomination", "object_id": object_id,
        "state_digest": "cd" * 32,
    }  # fmt: skip
    expected = sha256_hex(canonical_json(fields))
    assert entry_hash(**fields) == expected  # type: ignore[arg-type]


def test_entry_hash_of_a_known_entry_is_stable() -> None:
    # Pinned: logs written by earlier versions must still verify.
    found = entry_hash(
        prev_hash=GENESIS_HASH, seq=1, at=AT, actor="cli:test", action="territory.create",
        object_type="territory", object_id="1", state_digest="0" * 64,
    )  # fmt: skip
    assert found == PINNED_HASH
