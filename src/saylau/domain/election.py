"""The election flow's values: events, contests, candidates, sittings, rounds and protocols.

Pure data (stdlib only); the enums' values are stored, so they never change.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import NewType

EventId = NewType("EventId", int)
ContestId = NewType("ContestId", int)
PersonId = NewType("PersonId", int)
NominationId = NewType("NominationId", int)
SittingId = NewType("SittingId", int)
RoundId = NewType("RoundId", int)
ProtocolId = NewType("ProtocolId", int)


class NominatorKind(StrEnum):
    """Who proposed a candidate (Decree No. 555: the district akim; others as data)."""

    DISTRICT_AKIM = "district_akim"
    SELF = "self"
    PARTY = "party"


class CandidateStatus(StrEnum):
    NOMINATED = "nominated"
    REGISTERED = "registered"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"


class ContestStatus(StrEnum):
    """A contest is pending until its last round decides it."""

    PENDING = "pending"  # nominations, registration, not yet voted
    VOTING = "voting"  # a round is open at a sitting
    ELECTED = "elected"
    LOT_REQUIRED = "lot_required"  # the rule set asks for a drawing of lots
    REPEAT_ELECTION = "repeat_election"  # failed: a repeat election must be called


class SittingStatus(StrEnum):
    """scheduled → open ⇄ adjourned → closed (docs/lifecycle.md, "The sitting's life")."""

    SCHEDULED = "scheduled"
    OPEN = "open"
    ADJOURNED = "adjourned"  # a break with its reason; no vote is entered until it resumes
    CLOSED = "closed"  # every round decided; nothing more is voted at it


class RoundStatus(StrEnum):
    OPEN = "open"
    DECIDED = "decided"
    CANCELLED = "cancelled"  # a correction of the previous round made it unnecessary


class ProtocolStatus(StrEnum):
    REJECTED = "rejected"  # a draft that broke a control relation; kept with its violations
    ACCEPTED = "accepted"  # the current version of the round's count
    SUPERSEDED = "superseded"  # replaced by a correction; stays readable
    ANNULLED = "annulled"  # annulled on appeal: its round is voted again; stays readable


@dataclass(frozen=True)
class Eligibility:
    """Eligibility settings of an event, as data (2013: 25 years on voting day, two documents)."""

    min_age: int = 25
    required_documents: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {"min_age": self.min_age, "required_documents": list(self.required_documents)}


@dataclass(frozen=True)
class Calendar:
    """The event-wide dates; voting days are set per region or district territory."""

    nomination_opens: date
    nomination_closes: date
    registration_deadline: date


@dataclass(frozen=True)
class PersonData:
    """Who a candidate is. `iin` is the national identification number when known."""

    full_name: str
    sex: str
    birth_date: date
    iin: str | None = None


@dataclass(frozen=True)
class NominationRequest:
    """One nomination of a person for the contest of a post."""

    contest_id: ContestId
    person: PersonData
    nominated_by: NominatorKind
    nominator: str = ""
    documents: tuple[str, ...] = ()
    is_incumbent: bool = False


@dataclass(frozen=True)
class ProtocolInput:
    """A round protocol's numbers: as the commission fills it in (`votes` keyed by nomination id
    or the candidate's name), and, once the names are resolved, what the control relations of
    rules.protocol check and what is stored. The one protocol count type (docs/architecture.md:
    rules.round_counts.RoundCounts is the smaller set a decision is taken on)."""

    members: int
    present: int
    ballots_received: int
    ballots_issued: int
    ballots_cast: int
    ballots_unused: int = 0
    ballots_spoiled: int = 0
    invalid: int = 0
    blank: int = 0
    against_all: int = 0
    scattered: int = 0
    votes: Mapping[str, int] = field(default_factory=lambda: MappingProxyType({}))
    lot_winner: str | None = None
    # Counts left out of the file for the sitting to fill in (SITTING_FIELDS), each 0 until
    # services/sitting_figures.py puts the sitting's number in; empty once filled.
    from_sitting: frozenset[str] = frozenset()

    def counts(self) -> dict[str, int]:
        """Every count but the candidates' votes, by field name, in field order (COUNT_FIELDS):
        the protocol table's count columns and the names the control relations report."""
        return {
            "members": self.members,
            "present": self.present,
            "ballots_received": self.ballots_received,
            "ballots_issued": self.ballots_issued,
            "ballots_cast": self.ballots_cast,
            "ballots_unused": self.ballots_unused,
            "ballots_spoiled": self.ballots_spoiled,
            "invalid": self.invalid,
            "blank": self.blank,
            "against_all": self.against_all,
            "scattered": self.scattered,
        }


COUNT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(ProtocolInput) if f.name not in ("votes", "lot_winner", "from_sitting")
)
"""The protocol's counts by name, in field order (ProtocolInput.counts() gives their values)."""

SITTING_FIELDS: tuple[str, ...] = ("members", "present", "ballots_issued")
"""The counts the sitting itself knows for a round: a protocol file may leave them out."""
