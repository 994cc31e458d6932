"""Time of the count contract on a large record: C candidates (a candidate list) × R rounds,
each round with votes for V candidates, under us-house-speaker (open ballots, no round limit).
It must grow linearly with C × R (issue 7: 10,000 × 1,000 took 516 s with tuple membership).

Usage: .venv/bin/python bench/count_scale.py [C R V]   (default 10000 1000 1000)
"""

from __future__ import annotations

import sys
import time

from saylau.rules.count import count


def record(num_candidates: int, num_rounds: int, num_voted: int) -> dict[str, object]:
    ids = [f"c{i:05d}" for i in range(num_candidates)]
    rounds = []
    for r in range(num_rounds):
        # A different slice of the list each round; nobody reaches the majority.
        start = (r * num_voted) % num_candidates
        voted = [ids[(start + i) % num_candidates] for i in range(num_voted)]
        rounds.append({"votes": dict.fromkeys(voted, 1)})
    members = max(num_voted, 2)
    return {
        "rules": "us-house-speaker",
        "members": members,
        "candidates": [{"id": c} for c in ids],
        "rounds": rounds,
    }


def main() -> None:
    args = [int(a) for a in sys.argv[1:4]] or [10_000, 1_000, 1_000]
    num_candidates, num_rounds, num_voted = args
    data = record(num_candidates, num_rounds, num_voted)
    start = time.perf_counter()
    result = count(data)
    seconds = time.perf_counter() - start
    rounds = result["rounds"]
    assert isinstance(rounds, list) and len(rounds) == num_rounds, result["outcome"]
    print(
        f"count: {num_candidates:,} candidates × {num_rounds:,} rounds, {num_voted:,} votes"
        f" per round: {seconds:.2f} s (outcome {result['outcome']})"
    )


if __name__ == "__main__":
    main()
