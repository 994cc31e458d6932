"""Drawing lots between tied candidates (pure): the seeded function anyone can recompute, and
the record of a draw that decided a round (docs/lots.md).

The seeded draw: for each tied candidate id, the SHA-256 of the line

    saylau-lot-v1 SEED CONTEST ROUND CANDIDATE

(fields separated by one space, no newline) in lowercase hex; the candidate with the smallest
hash wins. The order in which the tied ids are given does not matter, and each hash can be
recomputed with `printf '%s' 'saylau-lot-v1 SEED CONTEST ROUND CANDIDATE' | sha256sum`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum

from saylau.rules.errors import InputError

__all__ = [
    "LOT_PREFIX",
    "MAX_SEED_DIGITS",
    "MIN_SEED_DIGITS",
    "Lot",
    "LotMethod",
    "check_seed",
    "lot_from_json",
    "lot_hashes",
    "lot_json",
    "seeded_winner",
]

LOT_PREFIX = "saylau-lot-v1"
MIN_SEED_DIGITS = 20  # twenty ten-sided dice: 10^20 outcomes
MAX_SEED_DIGITS = 100


class LotMethod(StrEnum):
    SEED = "seed"  # the winner follows from a public seed by `seeded_winner`
    RECORDED = "recorded"  # a physical draw at the meeting, its result recorded


@dataclass(frozen=True)
class Lot:
    """How a lot decided a tie: the method, the tied candidates (ids as strings, ascending),
    the winner, the seed (seeded draws), who drew and the witnesses (recorded draws)."""

    method: LotMethod
    tied: tuple[str, ...]
    winner: str
    seed: str | None = None
    drawn_by: str | None = None
    witnesses: tuple[str, ...] = ()


def check_seed(seed: str, path: str = "seed") -> str:
    """The seed as given, if it is 20 to 100 ASCII digits; else InputError naming `path`."""
    if not (seed.isascii() and seed.isdigit()):
        raise InputError(path, f"{seed!r}: a seed is ASCII digits 0-9 only")
    if not MIN_SEED_DIGITS <= len(seed) <= MAX_SEED_DIGITS:
        raise InputError(
            path,
            f"{len(seed)} digits: a seed has {MIN_SEED_DIGITS} to {MAX_SEED_DIGITS} digits"
            " (for example twenty ten-sided dice)",
        )
    return seed


def _ordered(tied: Iterable[str]) -> tuple[str, ...]:
    ids = set(tied)
    bad = sorted(i for i in ids if not (i.isascii() and i.isdigit()))
    if bad:
        raise InputError("tied", f"{bad[0]!r}: a candidate id is ASCII digits")
    if len(ids) < 2:
        raise InputError("tied", "a lot is drawn between at least two candidates")
    return tuple(sorted(ids, key=int))


def lot_hashes(seed: str, contest: int, round_no: int, tied: Iterable[str]) -> dict[str, str]:
    """Each tied candidate's SHA-256 (hex) of `saylau-lot-v1 SEED CONTEST ROUND CANDIDATE`."""
    check_seed(seed)
    return {
        c: hashlib.sha256(f"{LOT_PREFIX} {seed} {contest} {round_no} {c}".encode()).hexdigest()
        for c in _ordered(tied)
    }


def seeded_winner(seed: str, contest: int, round_no: int, tied: Iterable[str]) -> str:
    """The tied candidate whose hash is smallest (hashes are distinct for distinct lines)."""
    hashes = lot_hashes(seed, contest, round_no, tied)
    return min(hashes, key=lambda c: hashes[c])


def lot_json(lot: Lot) -> dict[str, object]:
    return {
        "method": lot.method.value,
        "tied": list(lot.tied),
        "winner": lot.winner,
        "seed": lot.seed,
        "drawn_by": lot.drawn_by,
        "witnesses": list(lot.witnesses),
    }


def lot_from_json(data: Mapping[str, object]) -> Lot:
    def strings(key: str) -> tuple[str, ...]:
        value = data.get(key) or []
        assert isinstance(value, Sequence)
        return tuple(str(v) for v in value)

    seed, drawn_by = data.get("seed"), data.get("drawn_by")
    return Lot(
        method=LotMethod(str(data["method"])),
        tied=strings("tied"),
        winner=str(data["winner"]),
        seed=None if seed is None else str(seed),
        drawn_by=None if drawn_by is None else str(drawn_by),
        witnesses=strings("witnesses"),
    )
