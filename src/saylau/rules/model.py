"""Rule sets as data: quorum, win rule per range of rounds, advancement, ties, round limit.

A rule set says nothing about any one country; the presets (presets/*.json) bind it to a law.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction


class Base(StrEnum):
    """What a fraction is taken of."""

    MEMBERS = "members"  # statutory members of the electing body
    PRESENT = "present"  # electors registered present
    BALLOTS_CAST = "ballots_cast"  # every ballot in the box, blank and invalid included
    VALID_BALLOTS = "valid_ballots"  # ballots cast minus invalid ones
    CANDIDATE_VOTES = "candidate_votes"  # votes for named persons (listed or scattered)


class WinKind(StrEnum):
    MAJORITY = "majority"
    PLURALITY = "plurality"


class Advance(StrEnum):
    """Who may stand in the next round."""

    OPEN = "open"  # anyone: names may appear or leave
    ALL = "all"  # the same list
    TOP_TWO = "top_two"  # the two with most votes, everyone tied at the cut-off included
    DROP_LAST = "drop_last"  # all but the lowest (unless fewer than two would remain)


class Tie(StrEnum):
    """What a tie for the win leads to."""

    LOT = "lot"
    OLDEST = "oldest"
    YOUNGEST = "youngest"
    FAIL = "fail"
    NEXT_ROUND = "next_round"


@dataclass(frozen=True)
class Quorum:
    """Met when `present` is more than (strict) / at least `fraction` × `of`."""

    fraction: Fraction
    of: Base
    strict: bool


@dataclass(frozen=True)
class Win:
    """`majority`: more than (strict) / at least `fraction` × `of`; `plurality`: most votes."""

    kind: WinKind
    fraction: Fraction | None = None
    of: Base | None = None
    strict: bool = True


@dataclass(frozen=True)
class RoundRule:
    """The win rule and advancement of rounds `first`…`last` (`last` None: every later round)."""

    first: int
    last: int | None
    win: Win
    advance: Advance

    def covers(self, round_no: int) -> bool:
        return self.first <= round_no and (self.last is None or round_no <= self.last)


@dataclass(frozen=True)
class RuleSet:
    quorum: Quorum | None
    rounds: tuple[RoundRule, ...]
    max_rounds: int | None
    tie: Tie
    against_all: bool
    name: str | None = None
    source: str = ""
    title: str = ""
    reading: str = ""

    def rule_for(self, round_no: int) -> RoundRule:
        """The rule of round `round_no`; ValueError when the rule set has no such round."""
        if round_no < 1 or (self.max_rounds is not None and round_no > self.max_rounds):
            raise ValueError(f"round {round_no} is outside rounds 1…{self.max_rounds}")
        for rule in self.rounds:
            if rule.covers(round_no):
                return rule
        raise ValueError(f"no rule covers round {round_no}")
