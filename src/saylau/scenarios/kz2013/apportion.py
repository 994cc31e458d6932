"""Largest-remainder apportionment with floors, in exact arithmetic.

Used to spread national totals over regions and districts so that every sum is exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from fractions import Fraction


def apportion(
    total: int,
    weights: Sequence[Fraction | int],
    minima: Sequence[int] | None = None,
) -> list[int]:
    """Split `total` into parts: each part gets its minimum, the rest goes by weight.

    The rest is shared by the largest-remainder (Hamilton) method; ties in the remainders go to
    the lower index, so the result is deterministic. Raises ValueError when the minima exceed
    the total or when there is something to share and every weight is zero.
    """
    floors = list(minima) if minima is not None else [0] * len(weights)
    if len(floors) != len(weights):
        raise ValueError(f"{len(weights)} weights but {len(floors)} minima")
    rest = total - sum(floors)
    if rest < 0:
        raise ValueError(f"minima sum to {sum(floors)}, more than the total {total}")
    weight_sum = sum((Fraction(w) for w in weights), Fraction(0))
    if rest == 0:
        return floors
    if weight_sum <= 0:
        raise ValueError(f"{rest} left to share but no positive weight")
    quotas = [Fraction(w) * rest / weight_sum for w in weights]
    parts = [int(q) for q in quotas]  # floor: quotas are non-negative
    left = rest - sum(parts)
    order = sorted(range(len(quotas)), key=lambda i: (-(quotas[i] - parts[i]), i))
    for i in order[:left]:
        parts[i] += 1
    return [f + p for f, p in zip(floors, parts, strict=True)]
