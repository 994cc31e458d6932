"""Anchors of the audit log: its head, commissions' Ed25519 keys, and the checkpoints they sign
over the head (docs/audit.md, "Anchoring the head"). The private key never enters the database:
`create_keys` hands it back for the commission to keep, and signing takes it from the caller."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from saylau.audit.chain import GENESIS_HASH, Head, iso_utc
from saylau.audit.checkpoint import (
    checkpoint_message,
    new_private_key,
    public_key_hex,
    sign,
)
from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in
from saylau.db.tables.audit import AuditEntryRow, CheckpointRow, CommissionKeyRow
from saylau.db.tables.structure import CommissionRow
from saylau.domain.accounts import Principal
from saylau.domain.structure import CheckpointId, CommissionId, CommissionKeyId, TerritoryId
from saylau.services import audit
from saylau.services.audit.append import lock_head
from saylau.services.errors import Problem, Refused, unknown_ids
from saylau.services.permissions import Action, Reach, authorize, authorize_each, reach
from saylau.services.transaction import transaction

_key = table_of(CommissionKeyRow)
_checkpoint = table_of(CheckpointRow)
_commission = table_of(CommissionRow)


@dataclass(frozen=True)
class KeyView:
    id: CommissionKeyId
    commission_id: CommissionId
    commission: str
    public_key: str
    created_at: datetime


@dataclass(frozen=True)
class CheckpointView:
    id: CheckpointId
    key_id: CommissionKeyId
    public_key: str
    commission: str
    seq: int
    entry_hash: str
    signed_at: datetime
    signature: str

    @property
    def head(self) -> Head:
        return Head(self.seq, self.entry_hash)


def log_head(*, session: Session) -> Head:
    """The last entry of the log (seq 0 and 64 zeros for an empty log)."""
    e = table_of(AuditEntryRow)
    last = session.execute(
        select(e.c.seq, e.c.entry_hash).where(
            e.c.seq == select(func.max(e.c.seq)).scalar_subquery()
        )
    ).one_or_none()
    return Head(0, GENESIS_HASH) if last is None else Head(int(last[0]), str(last[1]))


def create_keys(
    *,
    session: Session,
    principal: Principal,
    commission_ids: Sequence[CommissionId],
    now: datetime,
) -> dict[CommissionId, Ed25519PrivateKey]:
    """A new key pair for each commission (all or none): the public keys are stored, each with
    its audit entry; the private keys are returned, by commission id, and kept nowhere else."""
    with transaction(session=session):
        territory_of = {
            r.id: r.territory_id
            for r in select_in(
                session,
                select(_commission.c.id, _commission.c.territory_id),
                _commission.c.id,
                commission_ids,
            )
        }
        missing = [i for i in commission_ids if i not in territory_of]
        if missing:
            raise unknown_ids("commission", missing, where="commission_ids")
        _refuse_national(principal, Action.KEY_CREATE, territory_of.values())
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.KEY_CREATE,
            territories=lambda: _territories(territory_of.values()),
        )
        keys = {cid: new_private_key() for cid in dict.fromkeys(commission_ids)}
        rows = [
            {"commission_id": cid, "public_key": public_key_hex(k), "created_at": now}
            for cid, k in keys.items()
        ]
        ids = insert_ids(session, _key, rows)
        audit.record_many(
            session=session,
            actor=actor,
            action="commission_key.create",
            object_type="commission_key",
            object_ids=ids,
            at=now,
        )
    return keys


def list_keys(*, session: Session) -> list[KeyView]:
    rows = session.execute(
        select(_key, _commission.c.name)
        .join(_commission, _commission.c.id == _key.c.commission_id)
        .order_by(_key.c.id)
    )
    return [KeyView(r.id, r.commission_id, r.name, r.public_key, r.created_at) for r in rows]


def sign_checkpoint(
    *, session: Session, principal: Principal, key: Ed25519PrivateKey, now: datetime
) -> CheckpointView:
    """The key's commission signs the log's current head."""
    with transaction(session=session):
        (done,) = record_checkpoints(session=session, principal=principal, keys=[key], now=now)
    return done


def record_checkpoints(
    *, session: Session, principal: Principal, keys: Sequence[Ed25519PrivateKey], now: datetime
) -> list[CheckpointView]:
    """Inside the caller's transaction: `principal` has each key's commission sign the head
    (`record_checkpoints_each`)."""
    return record_checkpoints_each(session=session, signers={principal: keys}, now=now)


def record_checkpoints_each(
    *,
    session: Session,
    signers: Mapping[Principal, Sequence[Ed25519PrivateKey]],
    now: datetime,
) -> list[CheckpointView]:
    """Inside the caller's transaction: each key's commission signs the head as it stands
    (under the append lock, so no entry slips in between); then the checkpoints are stored,
    each with its audit entry by the principal who gave the key. A key whose public half is
    not stored is refused; so is a principal who may not sign for the key's commission."""
    given = [(p, k) for p, ks in signers.items() for k in ks]
    if not given:
        return []
    public = [public_key_hex(k) for _p, k in given]
    stored = {
        r.public_key: r
        for r in select_in(
            session,
            select(
                _key.c.id, _key.c.public_key, _commission.c.name, _commission.c.territory_id
            ).join(_commission, _commission.c.id == _key.c.commission_id),
            _key.c.public_key,
            public,
        )
    }
    unknown = [p for p in public if p not in stored]
    if unknown:
        raise Refused(
            "no commission has this key: saylau key create stores a key before it signs",
            problems=[Problem("unknown_key", f"public key {p}", "--key") for p in unknown],
        )
    requests: dict[Principal, list[TerritoryId]] = {p: [] for p in signers}
    for (principal, _k), pub in zip(given, public, strict=True):
        _refuse_national(principal, Action.CHECKPOINT_SIGN, [stored[pub].territory_id])
        requests[principal] += _territories([stored[pub].territory_id])
    actors = authorize_each(session=session, requests=requests, action=Action.CHECKPOINT_SIGN)
    seq, head_hash = lock_head(session=session)
    signed_at = iso_utc(now)
    rows = []
    for (_p, key), pub in zip(given, public, strict=True):
        name = stored[pub].name
        message = checkpoint_message(
            commission=name, seq=seq, entry_hash=head_hash, signed_at=signed_at
        )
        rows.append(
            {
                "key_id": stored[pub].id,
                "commission": name,
                "seq": seq,
                "entry_hash": head_hash,
                "signed_at": now,
                "signature": sign(key, message),
            }
        )
    ids = insert_ids(session, _checkpoint, rows)
    by_actor: dict[str, list[int]] = {}
    for (principal, _k), i in zip(given, ids, strict=True):
        by_actor.setdefault(actors[principal], []).append(i)
    audit.record_groups(
        session=session,
        groups=[
            audit.EntryGroup(actor, "checkpoint.sign", "checkpoint", actor_ids)
            for actor, actor_ids in by_actor.items()
        ],
        at=now,
    )
    return [
        CheckpointView(
            CheckpointId(i), r["key_id"], pub, r["commission"], seq, head_hash, now, r["signature"]
        )
        for i, r, pub in zip(ids, rows, public, strict=True)
    ]


def _territories(ids: Iterable[int | None]) -> list[TerritoryId]:
    """The territories of commissions; the CEC has none, so it stands for the country's root
    territories, which only an everywhere reach covers."""
    return [TerritoryId(t) for t in ids if t is not None]


def _refuse_national(principal: Principal, action: Action, ids: Iterable[int | None]) -> None:
    """A commission without a territory (the CEC) is national: only an everywhere reach acts
    for it."""
    if any(t is None for t in ids) and reach(principal.role, action) is not Reach.EVERYWHERE:
        raise Refused.one(
            "out_of_scope",
            f"user {principal.user_id} ({principal.role}) may not {action} for the CEC",
            where=str(action),
        )


def list_checkpoints(*, session: Session) -> list[CheckpointView]:
    rows = session.execute(
        select(_checkpoint, _key.c.public_key)
        .join(_key, _key.c.id == _checkpoint.c.key_id)
        .order_by(_checkpoint.c.id)
    )
    return [
        CheckpointView(
            r.id,
            r.key_id,
            r.public_key,
            r.commission,
            r.seq,
            r.entry_hash,
            r.signed_at,
            r.signature,
        )
        for r in rows
    ]
