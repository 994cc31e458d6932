"""Appeals and repeat elections: what was appealed, to whom, the deadline, the decision; and
the new contest called for a post whose contest failed.

Pure data (stdlib only); the enums' values are stored, so they never change.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import NewType

from saylau.domain.election import ContestId, EventId

AppealId = NewType("AppealId", int)
RepeatElectionId = NewType("RepeatElectionId", int)


class AppealSubject(StrEnum):
    """The decision or act appealed against; each names one stored object."""

    REGISTRATION = "registration"  # a nomination registered (object: the nomination)
    REFUSAL = "refusal"  # a nomination refused registration (object: the nomination)
    SITTING = "sitting"  # a meeting of electors' conduct (object: the sitting)
    PROTOCOL = "protocol"  # a round protocol (object: the protocol version)


class AuthorityKind(StrEnum):
    COMMISSION = "commission"  # the higher election commission
    COURT = "court"


class AppealOutcome(StrEnum):
    UPHELD = "upheld"
    REJECTED = "rejected"
    LEFT_WITHOUT_CONSIDERATION = "left_without_consideration"


class RepeatReason(StrEnum):
    """Why a contest failed: the rules engine's reasons, and too few registered candidates."""

    NO_QUORUM = "no_quorum"
    NO_MAJORITY = "no_majority"
    TIE = "tie"
    AGAINST_ALL = "against_all"
    TOO_FEW_CANDIDATES = "too_few_candidates"


@dataclass(frozen=True)
class NewAppeal:
    """An appeal as it arrives: who, when, against what, to which commission or court."""

    subject: AppealSubject
    object_id: int
    appellant: str
    filed_on: date
    authority_kind: AuthorityKind
    authority: str  # the commission's or court's name
    grounds: str


@dataclass(frozen=True)
class AppealDecision:
    appeal_id: AppealId
    outcome: AppealOutcome
    reason: str
    decided_on: date


@dataclass(frozen=True)
class Appeal:
    id: AppealId
    event_id: EventId
    contest_id: ContestId | None  # None for an appeal against a sitting's conduct
    subject: AppealSubject
    object_id: int
    appellant: str
    filed_on: date
    authority_kind: AuthorityKind
    authority: str
    grounds: str
    voting_day: date
    deadline: date
    is_at_once: bool
    outcome: AppealOutcome | None
    decision_reason: str | None
    decided_on: date | None
    effect: str | None  # what the services did: reinstated, registration_cancelled, annulled

    def is_overdue(self, on: date) -> bool:
        return self.outcome is None and on > self.deadline


@dataclass(frozen=True)
class RepeatElection:
    id: RepeatElectionId
    failed_contest_id: ContestId
    contest_id: ContestId  # the new contest, in the repeat event
    event_id: EventId  # the repeat event (its own calendar)
    post_kato: str
    reason: RepeatReason
    failed_on: date
    voting_day: date
    nomination_opens: date
    nomination_closes: date
    registration_deadline: date
    called_on: date
    called_at: datetime
    status: str  # the new contest's status
