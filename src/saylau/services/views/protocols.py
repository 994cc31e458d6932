"""Read models of protocols as the public site shows them: every version of a contest's rounds
(corrections with their reasons, the audit head at each publication), and one protocol with its
counts and votes. In public only published versions exist (docs/results.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.election import (
    ContestRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    ProtocolVoteRow,
    RoundRow,
)
from saylau.domain.election import (
    COUNT_FIELDS,
    ContestId,
    EventId,
    NominationId,
    ProtocolId,
    ProtocolStatus,
)
from saylau.rules.decide import Decision
from saylau.rules.decisions import decision_from_json
from saylau.services.errors import NotFound
from saylau.services.views.values import Visibility


@dataclass(frozen=True)
class ProtocolVersionView:
    """One version of a round's protocol: a correction is a new version with its reason."""

    id: ProtocolId
    round_no: int
    version: int
    status: ProtocolStatus
    correction_reason: str | None
    signed_by: str | None
    signed_at: datetime | None
    published_at: datetime | None
    published_head: str | None  # "SEQ:HASH": the audit log's head when it was published


@dataclass(frozen=True)
class ProtocolPageView:
    """One protocol version with its counts, votes and decision."""

    event_id: EventId
    contest_id: ContestId
    protocol: ProtocolVersionView
    counts: Mapping[str, int]
    votes: tuple[tuple[NominationId, str, int], ...]  # most votes first
    decision: Decision | None


_COLUMNS = (
    ProtocolRow.id,
    RoundRow.round_no,
    ProtocolRow.version,
    ProtocolRow.status,
    ProtocolRow.correction_reason,
    ProtocolRow.signed_by,
    ProtocolRow.signed_at,
    ProtocolRow.published_at,
    ProtocolRow.published_head_seq,
    ProtocolRow.published_head_hash,
)


def _version(row: Any) -> ProtocolVersionView:
    pid, round_no, version, status, reason, signed_by, signed_at, published_at, seq, digest = row
    return ProtocolVersionView(
        id=ProtocolId(pid),
        round_no=round_no,
        version=version,
        status=ProtocolStatus(status),
        correction_reason=reason,
        signed_by=signed_by,
        signed_at=signed_at,
        published_at=published_at,
        published_head=None if seq is None else f"{seq}:{digest}",
    )


def protocol_versions_view(
    *,
    session: Session,
    event_id: EventId,
    visibility: Visibility,
    contest_id: ContestId | None = None,
) -> dict[ContestId, tuple[ProtocolVersionView, ...]]:
    """The protocol versions of each contest of an event (or of one contest), by round and
    version, in one statement. In public, only versions that were published."""
    stmt = (
        select(RoundRow.contest_id, *_COLUMNS)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .where(ContestRow.event_id == event_id)
        .order_by(RoundRow.contest_id, RoundRow.round_no, ProtocolRow.version)
    )
    if contest_id is not None:
        stmt = stmt.where(RoundRow.contest_id == contest_id)
    if visibility is Visibility.PUBLIC:
        stmt = stmt.where(ProtocolRow.published_at.is_not(None))
    found: dict[ContestId, list[ProtocolVersionView]] = defaultdict(list)
    for row in session.execute(stmt):
        found[ContestId(row[0])].append(_version(row[1:]))
    return {cid: tuple(versions) for cid, versions in found.items()}


def protocol_page(
    *, session: Session, protocol_id: ProtocolId, visibility: Visibility
) -> ProtocolPageView:
    """One protocol version (two statements); in public only a published one."""
    row = session.execute(
        select(
            ContestRow.event_id,
            RoundRow.contest_id,
            ProtocolRow.decision,
            *(getattr(ProtocolRow, f) for f in COUNT_FIELDS),
            *_COLUMNS,
        )
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .where(ProtocolRow.id == protocol_id)
    ).one_or_none()
    hidden = row is None or (visibility is Visibility.PUBLIC and row.published_at is None)
    if row is None or hidden:
        raise NotFound.one(
            "unknown_protocol",
            f"no published protocol {protocol_id}",
            where="protocol_id",
            id=protocol_id,
        )
    counts_end = 3 + len(COUNT_FIELDS)
    votes = session.execute(
        select(ProtocolVoteRow.nomination_id, PersonRow.full_name, ProtocolVoteRow.votes)
        .join(NominationRow, NominationRow.id == ProtocolVoteRow.nomination_id)
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
        .where(ProtocolVoteRow.protocol_id == protocol_id)
        .order_by(ProtocolVoteRow.votes.desc(), ProtocolVoteRow.nomination_id)
    )
    return ProtocolPageView(
        event_id=EventId(row[0]),
        contest_id=ContestId(row[1]),
        protocol=_version(row[counts_end:]),
        counts=dict(zip(COUNT_FIELDS, row[3:counts_end], strict=True)),
        votes=tuple((NominationId(i), str(n), int(v)) for i, n, v in votes),
        decision=None if row[2] is None else decision_from_json(row[2]),
    )


def contest_event(*, session: Session, contest_id: ContestId) -> EventId:
    """The event a contest belongs to (contest pages are addressed by the contest alone)."""
    found = session.scalar(select(ContestRow.event_id).where(ContestRow.id == contest_id))
    if found is None:
        raise NotFound.one(
            "unknown_contest", f"no contest {contest_id}", where="contest_id", id=contest_id
        )
    return EventId(found)
