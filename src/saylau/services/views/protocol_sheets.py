"""The protocol sheet: everything a printed round protocol shows (docs/documents.md), read for
one protocol or for all of them in a fixed number of statements, and the SHA-256 digest of the
protocol's canonical data, which is the state the audit log records for it.

Public callers see a protocol once it is published; staff see every version (rejected drafts,
superseded and annulled ones included), and the printed sheet says which it is.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.audit.chain import sha256_hex
from saylau.db.bulk import select_in
from saylau.db.tables.election import (
    ContestRow,
    ElectionEventRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    ProtocolVoteRow,
    RoundRow,
    SittingRow,
)
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    PostRow,
    TerritoryRow,
)
from saylau.domain.election import (
    COUNT_FIELDS,
    ContestId,
    EventId,
    NominationId,
    ProtocolId,
    ProtocolStatus,
)
from saylau.domain.structure import CommissionLevel, CommissionRole, Names
from saylau.rules.decide import Decision
from saylau.rules.decisions import decision_from_json
from saylau.services.audit.encoding import canonical_json
from saylau.services.audit.states import OBJECT_TYPES, load_states
from saylau.services.errors import unknown_ids
from saylau.services.views.facts import territory_columns, territory_view
from saylau.services.views.values import TerritoryView, Visibility

# The order members sign in: the chair first, the secretary last but one role, as on paper.
_ROLE_ORDER = {
    CommissionRole.CHAIR: 0,
    CommissionRole.DEPUTY_CHAIR: 1,
    CommissionRole.SECRETARY: 2,
    CommissionRole.MEMBER: 3,
}


@dataclass(frozen=True)
class SheetMemberView:
    full_name: str
    role: CommissionRole


@dataclass(frozen=True)
class SheetVoteView:
    nomination_id: NominationId
    full_name: str
    votes: int


@dataclass(frozen=True)
class ProtocolSheetView:
    """One protocol version as printed: where and when, every count, the votes (most first),
    the decision, who signs, and its publication with the audit log's head at that moment."""

    id: ProtocolId
    event_id: EventId
    event_name: str
    contest_id: ContestId
    round_no: int
    version: int
    status: ProtocolStatus
    post: TerritoryView
    council: TerritoryView
    council_names: Names  # the council's own name, where stored
    region: TerritoryView | None
    commission_name: str | None  # the district or town commission, as stored
    members: tuple[SheetMemberView, ...]  # chair, deputy chair, secretary, members
    sitting_day: date
    counts: Mapping[str, int]  # COUNT_FIELDS in order
    votes: tuple[SheetVoteView, ...]
    violations: tuple[Mapping[str, Any], ...]
    decision: Decision | None
    correction_reason: str | None
    signed_by: str | None  # as recorded: "name (role)"
    signer: SheetMemberView | None  # the commission member who signed
    signed_at: datetime | None
    published_at: datetime | None
    published_head: str | None  # "N:HASH"
    digest: str  # SHA-256 of the canonical JSON of the protocol's audit state

    @property
    def is_published(self) -> bool:
        return self.published_at is not None


def protocol_digest(*, session: Session, protocol_id: ProtocolId) -> str:
    """SHA-256 (hex) of the protocol's canonical data: canonical_json of the state the audit
    log records for object ("protocol", id), which is its row with its votes. It equals the
    `state_digest` of the protocol's latest audit entry, and the hash of its state in the
    observer bundle."""
    digests = _digests(session, [protocol_id])
    if protocol_id not in digests:
        raise unknown_ids("protocol", [protocol_id], where="protocol")
    return digests[protocol_id]


def protocol_digests(
    *, session: Session, protocol_ids: Sequence[ProtocolId]
) -> dict[ProtocolId, str]:
    """The digests of many protocols at once (the static export of every protocol page)."""
    return {ProtocolId(k): v for k, v in _digests(session, list(protocol_ids)).items()}


def protocol_sheet(
    *, session: Session, protocol_id: ProtocolId, visibility: Visibility
) -> ProtocolSheetView:
    """One protocol's sheet; public callers get NotFound for a protocol not yet published."""
    found = protocol_sheets(session=session, protocol_ids=[protocol_id], visibility=visibility)
    if not found:
        raise unknown_ids("protocol", [protocol_id], where="protocol")
    return found[0]


def protocol_sheets(
    *,
    session: Session,
    visibility: Visibility,
    protocol_ids: Sequence[ProtocolId] | None = None,
    event_id: EventId | None = None,
) -> list[ProtocolSheetView]:
    """The sheets of `protocol_ids` (None: every protocol, of `event_id` if given), by id,
    in five statements (plus one per 2,000 ids asked for)."""
    post_t = TerritoryRow.__table__.alias("post_t")
    council_t = TerritoryRow.__table__.alias("council_t")
    region_t = TerritoryRow.__table__.alias("region_t")
    signer = CommissionMemberRow.__table__.alias("signer")
    stmt = (
        select(
            ProtocolRow,
            RoundRow.contest_id,
            RoundRow.round_no,
            ContestRow.event_id,
            ElectionEventRow.name.label("event_name"),
            SittingRow.day,
            CouncilRow.name_kk,
            CouncilRow.name_ru,
            CouncilRow.name_en,
            signer.c.full_name.label("signer_name"),
            signer.c.role.label("signer_role"),
            *territory_columns(post_t, "post"),
            *territory_columns(council_t, "council"),
            *territory_columns(region_t, "region"),
        )
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(SittingRow, SittingRow.id == RoundRow.sitting_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .join(ElectionEventRow, ElectionEventRow.id == ContestRow.event_id)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(post_t, post_t.c.id == PostRow.territory_id)
        .join(CouncilRow, CouncilRow.id == PostRow.council_id)
        .join(council_t, council_t.c.id == CouncilRow.territory_id)
        .outerjoin(region_t, region_t.c.id == council_t.c.parent_id)
        .outerjoin(signer, signer.c.id == ProtocolRow.signer_id)
    )
    if event_id is not None:
        stmt = stmt.where(ContestRow.event_id == event_id)
    if visibility is Visibility.PUBLIC:
        stmt = stmt.where(ProtocolRow.published_at.is_not(None))
    if protocol_ids is None:
        rows = list(session.execute(stmt.order_by(ProtocolRow.id)))
    else:
        rows = sorted(select_in(session, stmt, ProtocolRow.id, protocol_ids), key=lambda r: r[0].id)
    if not rows:
        return []
    ids = [ProtocolId(r[0].id) for r in rows]
    asked = None if protocol_ids is None and event_id is None else ids
    votes = _votes(session, asked)
    members = _members(session, {r.council_id for r in rows})
    digests = _digests(session, asked)
    return [_sheet(r, votes, members, digests) for r in rows]


def _sheet(
    row: Any,
    votes: Mapping[int, list[SheetVoteView]],
    members: Mapping[int, tuple[str | None, tuple[SheetMemberView, ...]]],
    digests: Mapping[int, str],
) -> ProtocolSheetView:
    p: ProtocolRow = row[0]
    post, council = territory_view(row[11:17]), territory_view(row[17:23])
    assert post is not None and council is not None
    commission_name, signers = members.get(council.id, (None, ()))
    head = p.published_head_seq
    return ProtocolSheetView(
        id=ProtocolId(p.id),
        event_id=EventId(row.event_id),
        event_name=row.event_name,
        contest_id=ContestId(row.contest_id),
        round_no=row.round_no,
        version=p.version,
        status=ProtocolStatus(p.status),
        post=post,
        council=council,
        council_names=Names(row.name_kk or "", row.name_ru or "", row.name_en or ""),
        region=territory_view(row[23:29]),
        commission_name=commission_name,
        members=signers,
        sitting_day=row.day,
        counts={f: getattr(p, f) for f in COUNT_FIELDS},
        votes=tuple(sorted(votes.get(p.id, ()), key=lambda v: (-v.votes, v.nomination_id))),
        violations=tuple(p.violations or ()),
        decision=None if p.decision is None else decision_from_json(p.decision),
        correction_reason=p.correction_reason,
        signed_by=p.signed_by,
        signer=None
        if row.signer_name is None
        else SheetMemberView(row.signer_name, CommissionRole(row.signer_role)),
        signed_at=p.signed_at,
        published_at=p.published_at,
        published_head=None if head is None else f"{head}:{p.published_head_hash}",
        digest=digests[p.id],
    )


def _votes(session: Session, ids: Sequence[int] | None) -> dict[int, list[SheetVoteView]]:
    stmt = (
        select(
            ProtocolVoteRow.protocol_id,
            ProtocolVoteRow.nomination_id,
            PersonRow.full_name,
            ProtocolVoteRow.votes,
        )
        .join(NominationRow, NominationRow.id == ProtocolVoteRow.nomination_id)
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
    )
    rows = (
        session.connection().execute(stmt).all()
        if ids is None
        else select_in(session, stmt, ProtocolVoteRow.protocol_id, ids)
    )
    found: dict[int, list[SheetVoteView]] = defaultdict(list)
    for pid, nid, name, n in rows:
        found[pid].append(SheetVoteView(NominationId(nid), name, n))
    return dict(found)


def _members(
    session: Session, council_territories: set[int]
) -> dict[int, tuple[str | None, tuple[SheetMemberView, ...]]]:
    """By council territory id: the district or town commission's name and its members."""
    stmt = (
        select(
            CommissionRow.territory_id,
            CommissionRow.name,
            CommissionMemberRow.id,
            CommissionMemberRow.full_name,
            CommissionMemberRow.role,
        )
        .outerjoin(CommissionMemberRow, CommissionMemberRow.commission_id == CommissionRow.id)
        .where(CommissionRow.level == CommissionLevel.DISTRICT)
    )
    rows = select_in(session, stmt, CommissionRow.territory_id, council_territories)
    names: dict[int, str] = {}
    people: dict[int, list[tuple[int, int, SheetMemberView]]] = defaultdict(list)
    for territory_id, name, member_id, full_name, role in rows:
        names[territory_id] = name
        if member_id is not None:
            r = CommissionRole(role)
            people[territory_id].append((_ROLE_ORDER[r], member_id, SheetMemberView(full_name, r)))
    return {t: (name, tuple(m for *_, m in sorted(people.get(t, ())))) for t, name in names.items()}


def _digests(session: Session, ids: Sequence[int] | None) -> dict[int, str]:
    loader = OBJECT_TYPES["protocol"]
    if ids is None:
        states = loader(session, None)
    else:
        states = load_states(session=session, loader=loader, ids=[str(i) for i in ids])
    return {int(i): sha256_hex(canonical_json(state)) for i, state in states.items()}
