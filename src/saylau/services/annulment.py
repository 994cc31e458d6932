"""Annulling an accepted protocol (on an upheld appeal): its round is voted again.

The protocol becomes `annulled` (`protocol.annul`) and stays readable; the state machine
(services/contest_state.py) then reopens its round: the repeat voting the decision opened (if
still unused) is cancelled as a correction would cancel it (`round.cancel`); the round is open
again without a decision (`round.reopen`); the contest returns to `voting` without a result
(`contest.reopen`). The round's new protocol is then submitted as any
other (`saylau protocol submit`), as a new version of the same round.
"""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.election import ProtocolRow, RoundRow
from saylau.domain.election import ContestId, ProtocolId, ProtocolStatus, RoundId
from saylau.services import audit, contest_state
from saylau.services.errors import Conflict, NotFound


def annul_protocol(*, session: Session, actor: str, protocol_id: ProtocolId) -> None:
    """Annul an accepted protocol inside the caller's transaction (the caller authorizes)."""
    pt, rt = table_of(ProtocolRow), table_of(RoundRow)
    protocol = session.execute(select(pt).where(pt.c.id == protocol_id)).one_or_none()
    if protocol is None:
        raise NotFound.one("unknown_protocol", f"no protocol {protocol_id}", id=protocol_id)
    if protocol.status != ProtocolStatus.ACCEPTED:
        raise Conflict.one(
            "not_accepted",
            f"protocol {protocol_id} is {protocol.status}: only the accepted version of a round"
            " is annulled",
            protocol=protocol_id,
        )
    # Lock first: a concurrent submission or correction of the contest waits.
    contest_id = session.scalar(select(rt.c.contest_id).where(rt.c.id == protocol.round_id))
    assert contest_id is not None
    contest_state.lock_contests(session=session, contest_ids=[ContestId(contest_id)])
    session.execute(
        update(rt).where(rt.c.id == protocol.round_id).values(lock_version=rt.c.lock_version + 1)
    )
    session.execute(update(pt).where(pt.c.id == protocol_id).values(status=ProtocolStatus.ANNULLED))
    session.expire_all()
    audit.record(
        session=session,
        actor=actor,
        action="protocol.annul",
        object_type="protocol",
        object_id=protocol_id,
    )
    contest_state.reopen_round(session=session, actor=actor, round_id=RoundId(protocol.round_id))
