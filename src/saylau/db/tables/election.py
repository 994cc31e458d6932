"""Tables of the election flow: events, contests, candidates, sittings, rounds and protocols.

Ballot secrecy: attendance says who was present, protocols say how many voted for whom;
no table links a deputy to a vote.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from saylau.db.base import Base


class ElectionEventRow(Base):
    __tablename__ = "election_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    rule_set_name: Mapped[str | None] = mapped_column(String(100))
    # The inline JSON form, so that a later edit of a preset cannot change a running event.
    rule_set: Mapped[dict[str, Any]] = mapped_column(JSON)
    nomination_opens: Mapped[date]
    nomination_closes: Mapped[date]
    registration_deadline: Mapped[date]
    min_candidates: Mapped[int]
    eligibility: Mapped[dict[str, Any]] = mapped_column(JSON)
    created_at: Mapped[datetime]


class VotingDayRow(Base):
    """The voting day of a region or of one district territory (which overrides its region)."""

    __tablename__ = "voting_day"
    __table_args__ = (UniqueConstraint("event_id", "territory_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("election_event.id"))
    territory_id: Mapped[int] = mapped_column(ForeignKey("territory.id"))
    day: Mapped[date]


class ContestRow(Base):
    __tablename__ = "contest"
    __table_args__ = (UniqueConstraint("event_id", "post_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("election_event.id"))
    post_id: Mapped[int] = mapped_column(ForeignKey("post.id"))
    status: Mapped[str] = mapped_column(String(20))
    failure_reason: Mapped[str | None] = mapped_column(String(40))
    elected_nomination_id: Mapped[int | None] = mapped_column(
        ForeignKey("nomination.id", use_alter=True)
    )
    decided_round: Mapped[int | None]


class PersonRow(Base):
    __tablename__ = "person"

    id: Mapped[int] = mapped_column(primary_key=True)
    full_name: Mapped[str] = mapped_column(String(200))
    sex: Mapped[str] = mapped_column(String(10))
    birth_date: Mapped[date]
    iin: Mapped[str | None] = mapped_column(String(12), unique=True)


class NominationRow(Base):
    """A person nominated for a contest; once registered, a candidate."""

    __tablename__ = "nomination"
    __table_args__ = (
        UniqueConstraint("contest_id", "person_id"),
        Index("ix_nomination_event_person", "event_id", "person_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("election_event.id"))
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"))
    nominated_by: Mapped[str] = mapped_column(String(20))
    nominator: Mapped[str] = mapped_column(String(200))
    is_incumbent: Mapped[bool]
    documents: Mapped[list[str]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(20))
    refusal_reason: Mapped[str | None] = mapped_column(String(500))
    nominated_on: Mapped[date]
    decided_on: Mapped[date | None]
    withdrawn_on: Mapped[date | None]


class SittingRow(Base):
    """A meeting of electors: one council, one day, one or more contests."""

    __tablename__ = "sitting"
    __table_args__ = (UniqueConstraint("event_id", "council_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("election_event.id"))
    council_id: Mapped[int] = mapped_column(ForeignKey("council.id"))
    day: Mapped[date]
    status: Mapped[str] = mapped_column(String(20))
    members: Mapped[int | None]  # deputies in office on the day, fixed when the sitting opens
    present: Mapped[int | None]
    opened_at: Mapped[datetime | None]
    closed_at: Mapped[datetime | None]  # migration 0006


class AdjournmentRow(Base):
    """A break in a sitting, with its reason; `resumed_at` is empty while it lasts."""

    __tablename__ = "adjournment"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    adjourned_at: Mapped[datetime]
    reason: Mapped[str] = mapped_column(String(2000))
    resumed_at: Mapped[datetime | None]


class MovementRow(Base):
    """A deputy arriving (is_present true) or leaving after the sitting opened, with the time:
    the roll at opening (AttendanceRow) followed by these gives who is present now."""

    __tablename__ = "movement"

    id: Mapped[int] = mapped_column(primary_key=True)
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), index=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"))
    at: Mapped[datetime]
    is_present: Mapped[bool]


class AttendanceRow(Base):
    __tablename__ = "attendance"

    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), primary_key=True)
    deputy_id: Mapped[int] = mapped_column(ForeignKey("deputy.id"), primary_key=True)
    is_present: Mapped[bool]


class SittingContestRow(Base):
    """A contest voted at a sitting; every present deputy gets one ballot for it per round."""

    __tablename__ = "sitting_contest"

    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"), primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), primary_key=True)
    ballots_issued: Mapped[int | None]


class RoundRow(Base):
    __tablename__ = "round"
    __table_args__ = (UniqueConstraint("contest_id", "round_no"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"))
    sitting_id: Mapped[int] = mapped_column(ForeignKey("sitting.id"))
    round_no: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    standing: Mapped[list[int]] = mapped_column(JSON)  # nomination ids on the ballot
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    # Bumped first in every protocol submission: a row lock that serializes submissions.
    lock_version: Mapped[int] = mapped_column(default=0)


class ProtocolRow(Base):
    """One version of a round protocol; a correction is a new version, never an update."""

    __tablename__ = "protocol"
    __table_args__ = (UniqueConstraint("round_id", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("round.id"))
    version: Mapped[int]
    status: Mapped[str] = mapped_column(String(20))
    members: Mapped[int]
    present: Mapped[int]
    ballots_received: Mapped[int]
    ballots_issued: Mapped[int]
    ballots_cast: Mapped[int]
    ballots_unused: Mapped[int]
    ballots_spoiled: Mapped[int]
    invalid: Mapped[int]
    blank: Mapped[int]
    against_all: Mapped[int]
    scattered: Mapped[int]
    lot_winner: Mapped[int | None]
    violations: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    decision: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    correction_reason: Mapped[str | None] = mapped_column(String(1000))
    submitted_by: Mapped[str] = mapped_column(String(200))
    submitted_at: Mapped[datetime]
    signer_id: Mapped[int | None] = mapped_column(ForeignKey("commission_member.id"))
    signed_by: Mapped[str | None] = mapped_column(String(200))
    signed_at: Mapped[datetime | None]
    published_by: Mapped[str | None] = mapped_column(String(200))
    published_at: Mapped[datetime | None]
    # The audit log's head when it was published (the entry before the publication's own).
    published_head_seq: Mapped[int | None]
    published_head_hash: Mapped[str | None] = mapped_column(String(64))


class ProtocolVoteRow(Base):
    """Votes for one candidate in one protocol version (a count, never a ballot)."""

    __tablename__ = "protocol_vote"

    protocol_id: Mapped[int] = mapped_column(ForeignKey("protocol.id"), primary_key=True)
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nomination.id"), primary_key=True)
    votes: Mapped[int]
