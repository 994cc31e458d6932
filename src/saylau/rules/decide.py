"""Decide one round: quorum, against-all, the win rule, ties and who stands next (pure).

Exact integer arithmetic throughout; readings of each preset's law are in
docs/decisions/0001-rules-readings.md.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from fractions import Fraction

from saylau.rules.errors import CountInputError
from saylau.rules.lots import Lot
from saylau.rules.model import Advance, Base, Quorum, RuleSet, Tie, Win, WinKind
from saylau.rules.protocol import check_round_counts
from saylau.rules.round_counts import RoundCounts

__all__ = [
    "Decision",
    "DecisionKind",
    "FailureReason",
    "RoundCounts",
    "base_value",
    "decide",
    "quorum_needed",
    "votes_needed",
]


class DecisionKind(StrEnum):
    NEXT_ROUND = "next_round"
    ELECTED = "elected"
    FAILED = "failed"
    LOT_REQUIRED = "lot_required"


class FailureReason(StrEnum):
    NO_QUORUM = "no_quorum"
    NO_MAJORITY = "no_majority"
    TIE = "tie"
    AGAINST_ALL = "against_all"


@dataclass(frozen=True)
class Decision:
    """What a round decided. `reason` also explains a next round (no_majority or tie)."""

    round: int
    kind: DecisionKind
    votes_needed: int | None
    elected: str | None
    standing: tuple[str, ...] | None
    tied: tuple[str, ...] | None
    reason: FailureReason | None
    # Set when a drawing of lots decided the round (`saylau lot draw`): method, seed, tied.
    lot: Lot | None = None

    @property
    def is_final(self) -> bool:
        return self.kind is not DecisionKind.NEXT_ROUND


def base_value(of: Base, counts: RoundCounts) -> int:
    match of:
        case Base.MEMBERS:
            return counts.members
        case Base.PRESENT:
            return counts.present
        case Base.BALLOTS_CAST:
            return counts.ballots_cast
        case Base.VALID_BALLOTS:
            return counts.valid_ballots
        case Base.CANDIDATE_VOTES:
            return counts.candidate_votes


def _threshold(fraction: Fraction, base: int, *, strict: bool) -> int:
    """Smallest whole number more than (strict) / at least `fraction` × `base`."""
    product = fraction * base
    return math.floor(product) + 1 if strict else math.ceil(product)


def votes_needed(win: Win, counts: RoundCounts) -> int | None:
    """The smallest winning number under a majority rule (never below 1); None for plurality."""
    if win.kind is WinKind.PLURALITY:
        return None
    assert win.fraction is not None and win.of is not None
    return max(1, _threshold(win.fraction, base_value(win.of, counts), strict=win.strict))


def quorum_needed(quorum: Quorum, counts: RoundCounts) -> int:
    """The smallest number present that makes the quorum."""
    return _threshold(quorum.fraction, base_value(quorum.of, counts), strict=quorum.strict)


def _check_inputs(
    rule_set: RuleSet, round_no: int, counts: RoundCounts, standing: Sequence[str]
) -> None:
    if rule_set.max_rounds is not None and round_no > rule_set.max_rounds:
        raise CountInputError("round", f"round {round_no} > max_rounds {rule_set.max_rounds}")
    if round_no < 1:
        raise CountInputError("round", f"round {round_no} < 1")
    violations = check_round_counts(counts)
    if violations:
        raise CountInputError(violations[0].field, violations[0].message)
    if counts.against_all and not rule_set.against_all:
        raise CountInputError(
            "against_all", f"{counts.against_all} but the rule set has no 'against all' line"
        )
    if _standing_is_open(rule_set, round_no) or not standing:
        return
    allowed = set(standing)
    for candidate in counts.votes:
        if candidate not in allowed:
            raise CountInputError(
                f"votes.{candidate}",
                f"{candidate!r} does not stand in round {round_no};"
                f" standing: {', '.join(sorted(allowed))}",
            )


def _standing_is_open(rule_set: RuleSet, round_no: int) -> bool:
    return round_no > 1 and rule_set.rule_for(round_no - 1).advance is Advance.OPEN


def _ranked(pool: Sequence[str], votes: Mapping[str, int]) -> list[tuple[str, int]]:
    """Candidates by votes, most first; equal votes in id order, so input order never matters."""
    return sorted(((c, votes.get(c, 0)) for c in pool), key=lambda cv: (-cv[1], cv[0]))


def _next_standing(advance: Advance, ranked: list[tuple[str, int]]) -> tuple[str, ...] | None:
    match advance:
        case Advance.OPEN:
            return None
        case Advance.ALL:
            return tuple(c for c, _ in ranked)
        case Advance.TOP_TWO:
            if len(ranked) <= 2:
                return tuple(c for c, _ in ranked)
            cut = ranked[1][1]
            return tuple(c for c, v in ranked if v >= cut)
        case Advance.DROP_LAST:
            if not ranked:
                return ()
            low = ranked[-1][1]
            kept = tuple(c for c, v in ranked if v > low)
            return kept if len(kept) >= 2 else tuple(c for c, _ in ranked)


def decide(
    rule_set: RuleSet,
    round_no: int,
    counts: RoundCounts,
    *,
    standing: Sequence[str],
    birth_dates: Mapping[str, date] | None = None,
    lot_winner: str | None = None,
) -> Decision:
    """Decide round `round_no`. `standing`: who may receive votes (empty or after an `open`
    round: anyone). Raises CountInputError (a ValueError) for counts that break a control
    relation, votes for someone not standing, or a tie rule that lacks its input."""
    _check_inputs(rule_set, round_no, counts, standing)
    rule = rule_set.rule_for(round_no)
    needed = votes_needed(rule.win, counts)
    is_last = rule_set.max_rounds is not None and round_no == rule_set.max_rounds

    def outcome(
        kind: DecisionKind,
        *,
        elected: str | None = None,
        next_standing: tuple[str, ...] | None = None,
        tied: tuple[str, ...] | None = None,
        reason: FailureReason | None = None,
    ) -> Decision:
        return Decision(round_no, kind, needed, elected, next_standing, tied, reason)

    if rule_set.quorum is not None and counts.present < quorum_needed(rule_set.quorum, counts):
        return outcome(DecisionKind.FAILED, reason=FailureReason.NO_QUORUM)

    pool = list(dict.fromkeys([*standing, *counts.votes]))
    ranked = _ranked(pool, counts.votes)
    top = ranked[0][1] if ranked else 0
    if rule_set.against_all and counts.against_all > top:
        return outcome(DecisionKind.FAILED, reason=FailureReason.AGAINST_ALL)

    qualifies = top >= 1 and (needed is None or top >= needed)
    leaders = tuple(c for c, v in ranked if v == top) if qualifies else ()
    if len(leaders) == 1:
        return outcome(DecisionKind.ELECTED, elected=leaders[0])
    if leaders:
        broken = _break_tie(rule_set.tie, leaders, birth_dates, lot_winner)
        if broken is not None:
            kind, elected, tied = broken
            reason = None if kind is DecisionKind.ELECTED else FailureReason.TIE
            return outcome(kind, elected=elected, tied=tied, reason=reason)
    if is_last:
        # The count contract: max_rounds reached without a winner is no_majority, whatever the
        # reason another round would have been held; `tied` still shows a tie.
        return outcome(DecisionKind.FAILED, tied=leaders or None, reason=FailureReason.NO_MAJORITY)
    return outcome(
        DecisionKind.NEXT_ROUND,
        next_standing=_next_standing(rule.advance, ranked),
        tied=leaders or None,
        reason=FailureReason.TIE if leaders else FailureReason.NO_MAJORITY,
    )


def _break_tie(
    tie: Tie,
    leaders: tuple[str, ...],
    birth_dates: Mapping[str, date] | None,
    lot_winner: str | None,
) -> tuple[DecisionKind, str | None, tuple[str, ...]] | None:
    """(kind, elected, tied) after a tie for the win; None when the tie leads to a next round."""
    match tie:
        case Tie.FAIL:
            return DecisionKind.FAILED, None, leaders
        case Tie.NEXT_ROUND:
            return None
        case Tie.LOT:
            return _by_lot(leaders, lot_winner)
        case Tie.OLDEST | Tie.YOUNGEST:
            dates = birth_dates or {}
            missing = [c for c in leaders if c not in dates]
            if missing:
                raise CountInputError(
                    f"candidates.{missing[0]}.birth_date",
                    f"tie rule {tie.value!r} needs the birth date of {', '.join(missing)}",
                )
            pick = min if tie is Tie.OLDEST else max
            best = pick(dates[c] for c in leaders)
            # Same birth date too: nothing in the rule separates them but a lot.
            still_tied = tuple(c for c in leaders if dates[c] == best)
            if len(still_tied) == 1:
                return DecisionKind.ELECTED, still_tied[0], leaders
            return _by_lot(still_tied, lot_winner)


def _by_lot(
    tied: tuple[str, ...], lot_winner: str | None
) -> tuple[DecisionKind, str | None, tuple[str, ...]]:
    if lot_winner is None:
        return DecisionKind.LOT_REQUIRED, None, tied
    if lot_winner not in tied:
        raise CountInputError(
            "lot", f"lot winner {lot_winner!r} is not among the tied: {', '.join(tied)}"
        )
    return DecisionKind.ELECTED, lot_winner, tied
