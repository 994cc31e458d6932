"""The protocols of a sitting that `saylau protocol sign|publish --sitting N` take: the current
(accepted) version of every round voted at it not yet signed, or not yet published. Signing and
publishing them stays all or none (services/results.py), every refused protocol listed."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.tables.election import ProtocolRow, RoundRow
from saylau.domain.election import ProtocolId, ProtocolStatus, SittingId
from saylau.services.sitting_rows import load_sittings


def _current(session: Session, sitting_id: SittingId):  # type: ignore[no-untyped-def]
    load_sittings(session=session, ids=[sitting_id])  # NotFound for an unknown sitting
    return (
        select(ProtocolRow.id)
        .join(RoundRow, RoundRow.id == ProtocolRow.round_id)
        .where(RoundRow.sitting_id == sitting_id, ProtocolRow.status == ProtocolStatus.ACCEPTED)
        .order_by(ProtocolRow.id)
    )


def protocols_to_sign(*, session: Session, sitting_id: SittingId) -> list[ProtocolId]:
    """The accepted protocols of the sitting's rounds that are not signed yet."""
    stmt = _current(session, sitting_id).where(ProtocolRow.signed_at.is_(None))
    return [ProtocolId(i) for i in session.scalars(stmt)]


def protocols_to_publish(*, session: Session, sitting_id: SittingId) -> list[ProtocolId]:
    """The accepted protocols of the sitting's rounds that are not published yet (an unsigned
    one among them is refused by the publication, with its reason)."""
    stmt = _current(session, sitting_id).where(ProtocolRow.published_at.is_(None))
    return [ProtocolId(i) for i in session.scalars(stmt)]
