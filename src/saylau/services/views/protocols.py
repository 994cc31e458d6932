"""Read models of protocols as the public site shows them: every version of a contest's rounds
(corrections with their reasons, the audit head at each publication), and one protocol with its
counts and votes. In public only published versions exist (docs/results.md)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Mapping
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
        .select_from(ProtocolRow)
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


def _pages_stmt() -> Any:
    return (
        select(
            ContestRow.event_id,
            RoundRow.contest_id,
            ProtocolRow.decision,
            *(getattr(ProtocolRow, f) for f in COUNT_FIELDS),
            *_COLUMNS,
        )
        .select_from(ProtocolRow)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
    )


def _votes_stmt() -> Any:
    return (
        select(
            ProtocolVoteRow.protocol_id,
            ProtocolVoteRow.nomination_id,
            PersonRow.full_name,
            ProtocolVoteRow.votes,
        )
        .join(NominationRow, NominationRow.id == ProtocolVoteRow.nomination_id)
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
        .order_by(
            ProtocolVoteRow.protocol_id, ProtocolVoteRow.votes.desc(), ProtocolVoteRow.nomination_id
        )
    )


def _page(row: Any, votes: list[tuple[NominationId, str, int]]) -> ProtocolPageView:
    counts_end = 3 + len(COUNT_FIELDS)
    return ProtocolPageView(
        event_id=EventId(row[0]),
        contest_id=ContestId(row[1]),
        protocol=_version(row[counts_end:]),
        counts=dict(zip(COUNT_FIELDS, row[3:counts_end], strict=True)),
        votes=tuple(votes),
        decision=None if row[2] is None else decision_from_json(row[2]),
    )


def protocol_page(
    *, session: Session, protocol_id: ProtocolId, visibility: Visibility
) -> ProtocolPageView:
    """One protocol version (two statements); in public only a published one."""
    row = session.execute(_pages_stmt().where(ProtocolRow.id == protocol_id)).one_or_none()
    if row is None or (visibility is Visibility.PUBLIC and row.published_at is None):
        raise NotFound.one(
            "unknown_protocol",
            f"no published protocol {protocol_id}",
            where="protocol_id",
            id=protocol_id,
        )
    votes = session.execute(_votes_stmt().where(ProtocolVoteRow.protocol_id == protocol_id))
    return _page(row, [(NominationId(i), str(n), int(v)) for _p, i, n, v in votes])


def protocol_pages(
    *,
    session: Session,
    event_id: EventId,
    visibility: Visibility,
    contest_ids: Collection[ContestId] | None = None,
) -> list[ProtocolPageView]:
    """Every protocol version of an event (or of some of its contests) that the visibility
    shows, by id, in two statements (the static export)."""
    # Not correlated with the outer statement, which joins the same tables.
    scope = select(ContestRow.id).where(ContestRow.event_id == event_id).correlate(None)
    if contest_ids is not None:
        scope = scope.where(ContestRow.id.in_(list(contest_ids)))
    shown = (
        select(ProtocolRow.id)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .where(RoundRow.contest_id.in_(scope))
        .correlate(None)
    )
    if visibility is Visibility.PUBLIC:
        shown = shown.where(ProtocolRow.published_at.is_not(None))
    votes: dict[int, list[tuple[NominationId, str, int]]] = defaultdict(list)
    for pid, nid, full_name, n in session.execute(
        _votes_stmt().where(ProtocolVoteRow.protocol_id.in_(shown))
    ):
        votes[pid].append((NominationId(nid), str(full_name), int(n)))
    rows = session.execute(_pages_stmt().where(ProtocolRow.id.in_(shown)).order_by(ProtocolRow.id))
    return [_page(row, votes.get(row.id, [])) for row in rows]


def contest_event(*, session: Session, contest_id: ContestId) -> EventId:
    """The event a contest belongs to (contest pages are addressed by the contest alone)."""
    found = session.scalar(select(ContestRow.event_id).where(ContestRow.id == contest_id))
    if found is None:
        raise NotFound.one(
            "unknown_contest", f"no contest {contest_id}", where="contest_id", id=contest_id
        )
    return EventId(found)


def published_since(*, session: Session, head_seq: int) -> dict[EventId, set[ContestId]]:
    """The contests, by event, with a protocol published after the audit log's head was at
    `head_seq` (a publication records the head before its own entry): one statement."""
    found: dict[EventId, set[ContestId]] = defaultdict(set)
    for event_id, contest_id in session.execute(
        select(ContestRow.event_id, RoundRow.contest_id)
        .select_from(ProtocolRow)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .where(ProtocolRow.published_head_seq >= head_seq)
    ):
        found[EventId(event_id)].add(ContestId(contest_id))
    return dict(found)
