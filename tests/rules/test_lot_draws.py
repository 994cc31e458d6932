"""The seeded drawing of lots (rules/lots.py, docs/lots.md): a pinned example anyone can
recompute with sha256sum, determinism, the order of the tied ids, seeds refused; the lot in the
one Decision encoding."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from saylau.rules.decide import Decision, DecisionKind
from saylau.rules.decisions import decision_from_json, decision_json, decision_text
from saylau.rules.errors import InputError
from saylau.rules.lots import (
    Lot,
    LotMethod,
    check_seed,
    lot_from_json,
    lot_hashes,
    lot_json,
    seeded_winner,
)

SEED = "48213907655108243391"


def test_the_pinned_example_of_docs_lots() -> None:
    hashes = lot_hashes(SEED, 3, 2, ["7", "8"])
    assert hashes == {
        "7": "2e641d924f388dc9cdf54ca1594acccad2e7b2cf98436db014498fd1fb63887c",
        "8": "adf4b9a0234cb329977530fc743c58cddea906ddb357d50b2d92b323180d910a",
    }
    # What `printf '%s' 'saylau-lot-v1 SEED 3 2 7' | sha256sum` prints.
    line = f"saylau-lot-v1 {SEED} 3 2 7".encode()
    assert hashlib.sha256(line).hexdigest() == hashes["7"]
    assert seeded_winner(SEED, 3, 2, ["7", "8"]) == "7"
    assert seeded_winner("31415926535897932384", 3, 2, ["7", "8"]) == "8"


def test_each_input_counts_and_the_result_is_deterministic() -> None:
    assert seeded_winner(SEED, 3, 2, ["7", "8"]) == seeded_winner(SEED, 3, 2, ["7", "8"])
    base = lot_hashes(SEED, 3, 2, ["7", "8"])
    assert lot_hashes(SEED, 4, 2, ["7", "8"]) != base  # another contest
    assert lot_hashes(SEED, 3, 1, ["7", "8"]) != base  # another round
    assert lot_hashes("48213907655108243390", 3, 2, ["7", "8"]) != base  # another seed
    # Over many seeds each of three tied candidates wins sometimes.
    seeds = [f"{n:020d}" for n in range(60)]
    assert {seeded_winner(s, 3, 2, ["7", "8", "9"]) for s in seeds} == {"7", "8", "9"}


def test_the_order_of_the_tied_ids_does_not_matter() -> None:
    tied = ["12", "3", "40"]
    winners = {seeded_winner(SEED, 5, 2, list(p)) for p in itertools.permutations(tied)}
    assert len(winners) == 1
    assert list(lot_hashes(SEED, 5, 2, ["40", "3", "12"])) == ["3", "12", "40"]


@pytest.mark.parametrize(
    ("seed", "message"),
    [
        ("٤٨٢١٣٩٠٧٦٥٥١٠٨٢٤٣٣٩١", "a seed is ASCII digits 0-9 only"),  # Arabic-Indic digits
        ("4821390765510824339１", "a seed is ASCII digits 0-9 only"),  # a full-width one
        ("4821 3907 6551 0824 3391", "a seed is ASCII digits 0-9 only"),
        ("1234567890123456789", "19 digits: a seed has 20 to 100 digits"),
        ("", "a seed is ASCII digits 0-9 only"),
        ("1" * 101, "101 digits: a seed has 20 to 100 digits"),
    ],
)
def test_a_bad_seed_is_refused(seed: str, message: str) -> None:
    with pytest.raises(InputError) as refused:
        check_seed(seed)
    assert refused.value.path == "seed"
    assert message in refused.value.message
    with pytest.raises(InputError):
        seeded_winner(seed, 3, 2, ["7", "8"])


def test_a_lot_needs_two_tied_candidates_with_ids() -> None:
    with pytest.raises(InputError, match="at least two"):
        seeded_winner(SEED, 3, 2, ["7", "7"])
    with pytest.raises(InputError, match="a candidate id is ASCII digits"):
        seeded_winner(SEED, 3, 2, ["7", "b"])


def test_the_decision_encoding_carries_the_lot_and_stays_unchanged_without_one() -> None:
    tied = Decision(2, DecisionKind.LOT_REQUIRED, None, None, None, ("7", "8"), None)
    assert "lot" not in decision_json(tied)
    assert decision_from_json(decision_json(tied)) == tied
    lot = Lot(LotMethod.SEED, ("7", "8"), "7", SEED, "Chair Amanov", ("Deputy 1",))
    decided = Decision(2, DecisionKind.ELECTED, None, "7", None, ("7", "8"), None, lot)
    encoded = decision_json(decided)
    assert encoded["lot"] == {
        "method": "seed",
        "tied": ["7", "8"],
        "winner": "7",
        "seed": SEED,
        "drawn_by": "Chair Amanov",
        "witnesses": ["Deputy 1"],
    }
    assert decision_from_json(encoded) == decided
    assert lot_from_json(lot_json(lot)) == lot
    assert decision_text(decided) == f"elected (by lot: seed {SEED}; tied 7, 8)"
    recorded = Lot(LotMethod.RECORDED, ("7", "8"), "8", None, "Chair Amanov", ("D. 1", "D. 2"))
    assert decision_text(
        Decision(2, DecisionKind.ELECTED, None, "8", None, ("7", "8"), None, recorded)
    ) == ("elected (by lot: recorded; tied 7, 8)")
