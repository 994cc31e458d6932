"""Tables of appeals and repeat elections."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from saylau.db.base import Base


class AppealRow(Base):
    """One appeal or complaint; `object_id` names a nomination, sitting or protocol by
    `subject`. The deadline is computed when it is filed and never changes."""

    __tablename__ = "appeal"
    __table_args__ = (Index("ix_appeal_event_outcome", "event_id", "outcome"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("election_event.id"))
    # None for an appeal against a sitting's conduct (which may concern several contests).
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contest.id"), index=True)
    subject: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int]
    appellant: Mapped[str] = mapped_column(String(200))
    filed_on: Mapped[date]
    authority_kind: Mapped[str] = mapped_column(String(20))
    authority: Mapped[str] = mapped_column(String(200))
    grounds: Mapped[str] = mapped_column(String(2000))
    voting_day: Mapped[date]
    deadline: Mapped[date]
    is_at_once: Mapped[bool]
    outcome: Mapped[str | None] = mapped_column(String(30))
    decision_reason: Mapped[str | None] = mapped_column(String(2000))
    decided_on: Mapped[date | None]
    effect: Mapped[str | None] = mapped_column(String(40))
    recorded_at: Mapped[datetime]


class RepeatElectionRow(Base):
    """A repeat election: the failed contest, and the new contest in a repeat event whose
    calendar follows from the repeat voting day."""

    __tablename__ = "repeat_election"

    id: Mapped[int] = mapped_column(primary_key=True)
    failed_contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), unique=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id"), unique=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("election_event.id"))
    reason: Mapped[str] = mapped_column(String(30))
    failed_on: Mapped[date]
    voting_day: Mapped[date]
    called_on: Mapped[date]
    called_at: Mapped[datetime]
