"""Certification, publication and reading of results: protocols signed by the commission's
secretary or chair, published, and the contest results derived from them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from saylau.db.base import table_of
from saylau.db.bulk import in_list, select_in, update_rows
from saylau.db.tables.election import (
    ContestRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    ProtocolVoteRow,
    RoundRow,
)
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    PostRow,
    TerritoryRow,
)
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    COUNT_FIELDS,
    ContestId,
    ContestStatus,
    EventId,
    ProtocolId,
    ProtocolStatus,
)
from saylau.domain.structure import CommissionLevel, CommissionMemberId, CommissionRole
from saylau.rules.contest_state import publication_problems, signing_problems
from saylau.rules.decide import Decision
from saylau.rules.decisions import decision_from_json
from saylau.services import audit, users
from saylau.services.audit.append import lock_head
from saylau.services.checkpoints import record_checkpoints, record_checkpoints_each
from saylau.services.errors import InvalidInput, Problem, Refused, unknown_ids
from saylau.services.permissions import (
    Action,
    authorize,
    authorize_each,
    protocol_territories,
    protocol_territory_map,
)
from saylau.services.transaction import transaction

SIGNING_ROLES = (CommissionRole.SECRETARY, CommissionRole.CHAIR)


@dataclass(frozen=True)
class ProtocolView:
    id: ProtocolId
    contest_id: int
    round_no: int
    version: int
    status: ProtocolStatus
    counts: Mapping[str, int]
    votes: tuple[tuple[int, str, int], ...]  # (nomination id, name, votes), most votes first
    violations: tuple[Mapping[str, Any], ...]
    decision: Decision | None
    correction_reason: str | None
    submitted_by: str  # the audit log's actor, e.g. "user:17"
    submitted_at: datetime
    signed_by: str | None
    signed_at: datetime | None
    published_at: datetime | None
    published_head: str | None  # "N:HASH": the audit log's head at publication
    # Who submitted (or corrected) it, by name and role: "regional (regional of 270000000)".
    submitted_by_name: str = ""


@dataclass(frozen=True)
class ContestResult:
    """A contest's result, from the accepted protocol of its deciding round: official once that
    protocol is signed, public once it is published."""

    contest_id: int
    post_kato: str
    post_name: str
    status: ContestStatus
    elected_id: int | None
    elected_name: str | None
    failure_reason: str | None
    decided_round: int | None
    protocol_id: int | None
    protocol_version: int | None
    is_signed: bool
    is_published: bool


# --- signature and publication -------------------------------------------------------------


def sign_protocol(
    *,
    session: Session,
    principal: Principal,
    protocol_id: ProtocolId,
    now: datetime,
    checkpoint_keys: Sequence[Ed25519PrivateKey] = (),
) -> None:
    sign_protocols(
        session=session,
        principal=principal,
        protocol_ids=[protocol_id],
        now=now,
        checkpoint_keys=checkpoint_keys,
    )


def sign_protocols(
    *,
    session: Session,
    principal: Principal,
    protocol_ids: Sequence[ProtocolId],
    now: datetime,
    checkpoint_keys: Sequence[Ed25519PrivateKey] = (),
) -> None:
    """Sign accepted protocols (all or none) with the principal's own signature: its user is
    the secretary or chair of the district commission of the territory whose council voted.
    Each of `checkpoint_keys` (a commission's private key) then signs the log's head, in the
    same transaction (services/checkpoints.py)."""
    sign_protocols_each(
        session=session,
        signatures={principal: protocol_ids},
        now=now,
        checkpoint_keys={principal: checkpoint_keys},
    )


def sign_protocols_each(
    *,
    session: Session,
    signatures: Mapping[Principal, Sequence[ProtocolId]],
    now: datetime,
    checkpoint_keys: Mapping[Principal, Sequence[Ed25519PrivateKey]] | None = None,
) -> None:
    """Several users' signatures in one transaction (all or none): each principal signs the
    protocols listed for it, with its own signature, as `sign_protocols` checks. Then each
    principal's `checkpoint_keys` (its commissions' private keys) sign the head after them."""
    with transaction(session=session):
        # One query for every signer's protocols (a day's batch has some 200 signers).
        territory_of = protocol_territory_map(
            session=session, protocol_ids={i for ids in signatures.values() for i in ids}
        )
        actors = authorize_each(
            session=session,
            requests={
                p: [territory_of[i] for i in ids if i in territory_of]
                for p, ids in signatures.items()
            },
            action=Action.PROTOCOL_SIGN,
        )
        unlinked = [p for p in signatures if p.member_id is None]
        if unlinked:
            raise Refused(
                f"user {unlinked[0].user_id} is no commission member: only the user of a"
                " commission's chair or secretary signs",
                problems=[Problem("not_commission_member", "no member linked", "user")],
            )
        signer_of = {
            pid: CommissionMemberId(p.member_id)
            for p, ids in signatures.items()
            for pid in ids
            if p.member_id is not None
        }
        if len(signer_of) != sum(len(ids) for ids in signatures.values()):
            raise InvalidInput.one(
                "duplicate_protocol",
                "a protocol is given twice in one batch of signatures",
                where="signatures",
            )
        rows = _protocols_with_commission(session, list(signer_of))
        members = {
            m.id: m
            for m in session.scalars(
                select(CommissionMemberRow).where(
                    CommissionMemberRow.id.in_(set(signer_of.values()))
                )
            )
        }
        problems: list[Problem] = []
        updates = []
        for pid, signer in signer_of.items():
            protocol, commission_id = rows[pid]
            where = f"protocol {pid}"
            signed = None
            if protocol.signed_at is not None:
                signed = f"signed by {protocol.signed_by} at {protocol.signed_at:%Y-%m-%d %H:%M}"
            problems += [
                Problem(code, message, where)
                for code, message in signing_problems(
                    version=protocol.version,
                    status=protocol.status,
                    decision_kind=protocol.decision_kind,
                    signed=signed,
                )
            ]
            member = members.get(signer)
            if member is None or member.commission_id != commission_id:
                problems.append(
                    Problem(
                        "not_commission_member",
                        f"member {signer} is not on the commission that ran this contest",
                        where,
                    )
                )
            elif member.role not in SIGNING_ROLES:
                problems.append(
                    Problem(
                        "not_signatory",
                        f"{member.full_name} is {member.role}; the secretary or the chair signs",
                        where,
                    )
                )
            else:
                updates.append(
                    {
                        "b_id": pid,
                        "signer_id": signer,
                        "signed_at": now,
                        "signed_by": f"{member.full_name} ({member.role})",
                    }
                )
        if problems:
            raise Refused(f"{len(problems)} problem(s): nothing signed", problems=problems)
        pt = table_of(ProtocolRow)
        update_rows(session, pt, updates)
        session.expire_all()
        audit.record_groups(
            session=session,
            groups=[
                audit.EntryGroup(actors[principal], "protocol.sign", "protocol", ids)
                for principal, ids in signatures.items()
            ],
        )
        record_checkpoints_each(session=session, signers=checkpoint_keys or {}, now=now)


def publish_protocol(
    *,
    session: Session,
    principal: Principal,
    protocol_id: ProtocolId,
    now: datetime,
    checkpoint_keys: Sequence[Ed25519PrivateKey] = (),
) -> None:
    publish_protocols(
        session=session,
        principal=principal,
        protocol_ids=[protocol_id],
        now=now,
        checkpoint_keys=checkpoint_keys,
    )


def publish_protocols(
    *,
    session: Session,
    principal: Principal,
    protocol_ids: Sequence[ProtocolId],
    now: datetime,
    checkpoint_keys: Sequence[Ed25519PrivateKey] = (),
) -> None:
    """Make signed protocols, and the results they carry, public (all or none). Each stores
    the log's head as it stood (under the append lock), which its publication entry then
    chains onto; each of `checkpoint_keys` then signs the head after them."""
    with transaction(session=session):
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.PROTOCOL_PUBLISH,
            territories=lambda: protocol_territories(session=session, protocol_ids=protocol_ids),
        )
        rows = _protocols_with_commission(session, protocol_ids)
        problems: list[Problem] = []
        for pid in protocol_ids:
            protocol, _c = rows[pid]
            where = f"protocol {pid}"
            published = None
            if protocol.published_at is not None:
                published = f"published at {protocol.published_at:%Y-%m-%d %H:%M}"
            problems += [
                Problem(code, message, where)
                for code, message in publication_problems(
                    version=protocol.version,
                    status=protocol.status,
                    is_signed=protocol.signed_at is not None,
                    published=published,
                )
            ]
        if problems:
            raise Refused(f"{len(problems)} problem(s): nothing published", problems=problems)
        pt = table_of(ProtocolRow)
        head_seq, head_hash = lock_head(session=session)
        update_rows(
            session,
            pt,
            [
                {
                    "b_id": pid,
                    "published_at": now,
                    "published_by": actor,
                    "published_head_seq": head_seq,
                    "published_head_hash": head_hash,
                }
                for pid in protocol_ids
            ],
        )
        session.expire_all()
        audit.record_many(
            session=session,
            actor=actor,
            action="protocol.publish",
            object_type="protocol",
            object_ids=list(protocol_ids),
        )
        record_checkpoints(session=session, principal=principal, keys=checkpoint_keys, now=now)


def _protocols_with_commission(
    session: Session, ids: Sequence[int]
) -> dict[int, tuple[Row[Any], int | None]]:
    """Each protocol (the columns signing and publication check, as a plain row: thousands at
    national scale) with the id of the district commission of its council's territory."""
    pt = table_of(ProtocolRow)
    protocol = (pt.c.id, pt.c.version, pt.c.status, pt.c.signed_at, pt.c.signed_by)
    rows = session.execute(
        select(
            *protocol,
            pt.c.published_at,
            pt.c.decision["kind"].as_string().label("decision_kind"),
            CommissionRow.id.label("commission_id"),
        )
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .join(ContestRow, ContestRow.id == RoundRow.contest_id)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(CouncilRow, CouncilRow.id == PostRow.council_id)
        .outerjoin(
            CommissionRow,
            (CommissionRow.territory_id == CouncilRow.territory_id)
            & (CommissionRow.level == CommissionLevel.DISTRICT),
        )
        .where(in_list(session, ProtocolRow.id, list(ids)))
    )
    found: dict[int, tuple[Row[Any], int | None]] = {p.id: (p, p.commission_id) for p in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        raise unknown_ids("protocol", missing, where="protocol_ids")
    return found


# --- reading -------------------------------------------------------------------------------


def show_protocol(*, session: Session, protocol_id: ProtocolId) -> ProtocolView:
    p = session.get(ProtocolRow, protocol_id)
    if p is None:
        raise unknown_ids("protocol", [protocol_id], where="protocol_id")
    rnd = session.get_one(RoundRow, p.round_id)
    votes = session.execute(
        select(ProtocolVoteRow.nomination_id, PersonRow.full_name, ProtocolVoteRow.votes)
        .join(NominationRow, NominationRow.id == ProtocolVoteRow.nomination_id)
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
        .where(ProtocolVoteRow.protocol_id == protocol_id)
        .order_by(ProtocolVoteRow.votes.desc(), ProtocolVoteRow.nomination_id)
    )
    return ProtocolView(
        id=ProtocolId(p.id),
        contest_id=rnd.contest_id,
        round_no=rnd.round_no,
        version=p.version,
        status=ProtocolStatus(p.status),
        counts={f: getattr(p, f) for f in COUNT_FIELDS},
        votes=tuple((int(i), str(n), int(v)) for i, n, v in votes),
        violations=tuple(p.violations),
        decision=None if p.decision is None else decision_from_json(p.decision),
        correction_reason=p.correction_reason,
        submitted_by=p.submitted_by,
        submitted_at=p.submitted_at,
        signed_by=p.signed_by,
        signed_at=p.signed_at,
        published_at=p.published_at,
        published_head=None
        if p.published_head_seq is None
        else f"{p.published_head_seq}:{p.published_head_hash}",
        submitted_by_name=users.describe_actors(session=session, actors=[p.submitted_by])[
            p.submitted_by
        ],
    )


def protocol_versions(
    *, session: Session, contest_id: ContestId, round_no: int
) -> list[ProtocolView]:
    """Every version of a round's protocol, oldest first (rejected and superseded included)."""
    ids = session.scalars(
        select(ProtocolRow.id)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .where(RoundRow.contest_id == contest_id, RoundRow.round_no == round_no)
        .order_by(ProtocolRow.version)
    )
    return [show_protocol(session=session, protocol_id=ProtocolId(i)) for i in ids]


def contest_results(
    *, session: Session, event_id: EventId, contest_ids: Sequence[ContestId] | None = None
) -> list[ContestResult]:
    """The result of each contest of an event (or of the contests given), by contest id."""
    query = (
        select(
            ContestRow,
            TerritoryRow.kato,
            TerritoryRow.name_en,
            TerritoryRow.name_ru,
            PersonRow.full_name,
        )
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(TerritoryRow, TerritoryRow.id == PostRow.territory_id)
        .outerjoin(NominationRow, NominationRow.id == ContestRow.elected_nomination_id)
        .outerjoin(PersonRow, PersonRow.id == NominationRow.person_id)
        .where(ContestRow.event_id == event_id)
        .order_by(ContestRow.id)
    )
    if contest_ids is not None:
        query = query.where(ContestRow.id.in_(list(contest_ids)))
    rows = session.execute(query).all()
    deciding = _deciding_protocols(session, [c.id for c, *_ in rows if c.decided_round])
    results = []
    for c, kato, name_en, name_ru, elected_name in rows:
        p = deciding.get(c.id)
        results.append(
            ContestResult(
                contest_id=c.id,
                post_kato=kato,
                post_name=name_en or name_ru,
                status=ContestStatus(c.status),
                elected_id=c.elected_nomination_id,
                elected_name=elected_name,
                failure_reason=c.failure_reason,
                decided_round=c.decided_round,
                protocol_id=p.id if p else None,
                protocol_version=p.version if p else None,
                is_signed=bool(p and p.signed_at),
                is_published=bool(p and p.published_at),
            )
        )
    return results


def _deciding_protocols(session: Session, contest_ids: Sequence[int]) -> dict[int, ProtocolRow]:
    stmt = (
        select(ContestRow.id, ProtocolRow)
        .join(
            RoundRow,
            (RoundRow.contest_id == ContestRow.id)
            & (RoundRow.round_no == ContestRow.decided_round),
        )
        .join(ProtocolRow, ProtocolRow.round_id == RoundRow.id)
        .where(ProtocolRow.status == ProtocolStatus.ACCEPTED)
    )
    return {cid: p for cid, p in select_in(session, stmt, ContestRow.id, contest_ids)}


@dataclass(frozen=True)
class RoundView:
    round_no: int
    status: str
    decision: Decision | None
    standing: tuple[int, ...]  # nomination ids on the ballot
    num_versions: int


def list_rounds(*, session: Session, contest_id: ContestId) -> list[RoundView]:
    """The rounds of a contest (a cancelled one included), with how many protocol versions."""
    rows = session.execute(
        select(RoundRow, func.count(ProtocolRow.id))
        .outerjoin(ProtocolRow, ProtocolRow.round_id == RoundRow.id)
        .where(RoundRow.contest_id == contest_id)
        .group_by(RoundRow.id)
        .order_by(RoundRow.round_no)
    )
    return [
        RoundView(
            r.round_no,
            r.status,
            None if r.decision is None else decision_from_json(r.decision),
            tuple(r.standing),
            int(num),
        )
        for r, num in rows
    ]
