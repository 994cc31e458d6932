"""The numbers of one round that a decision is taken on (re-exported by saylau.rules.decide).

Smaller than a protocol (domain.election.ProtocolInput; rules.protocol.to_round_counts converts):
`saylau count` decides from these alone, without the ballot accounting of a signed protocol, and
with declared abstentions (`abstain`) that a protocol does not record."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class RoundCounts:
    """One round's count. `abstain` counts declared abstentions that are not in the box."""

    members: int
    present: int
    ballots_cast: int
    invalid: int = 0
    blank: int = 0
    against_all: int = 0
    scattered: int = 0
    abstain: int = 0
    votes: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))

    def counts(self) -> dict[str, int]:
        """Every count but the candidates' votes, by field name, in field order."""
        return {
            "members": self.members,
            "present": self.present,
            "ballots_cast": self.ballots_cast,
            "invalid": self.invalid,
            "blank": self.blank,
            "against_all": self.against_all,
            "scattered": self.scattered,
            "abstain": self.abstain,
        }

    @property
    def valid_ballots(self) -> int:
        return self.ballots_cast - self.invalid

    @property
    def candidate_votes(self) -> int:
        return self.scattered + sum(self.votes.values())
