"""Annulling an accepted protocol (on an upheld appeal): its round is voted again.

No other service undoes a decided round, so this one does it step by step, each with its audit
entry: the repeat voting the decision opened (if still unused) is cancelled as a correction
would cancel it (`round.cancel`); the protocol becomes `annulled` (`protocol.annul`) and stays
readable; the round is open again without a decision (`round.reopen`); the contest returns to
`voting` without a result (`contest.reopen`). The round's new protocol is then submitted as any
other (`saylau protocol submit`), as a new version of the same round.
"""

from __future__ import annotations

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.appeals import RepeatElectionRow
from saylau.db.tables.election import ContestRow, ProtocolRow, RoundRow
from saylau.domain.election import ContestStatus, ProtocolId, ProtocolStatus, RoundStatus
from saylau.services import audit
from saylau.services.errors import Conflict, NotFound, Refused


def annul_protocol(*, session: Session, actor: str, protocol_id: ProtocolId) -> None:
    """Annul an accepted protocol inside the caller's transaction (the caller authorizes)."""
    pt, rt, ct = table_of(ProtocolRow), table_of(RoundRow), table_of(ContestRow)
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
    # Bump the lock first: a concurrent submission or correction of the round waits.
    session.execute(
        update(rt).where(rt.c.id == protocol.round_id).values(lock_version=rt.c.lock_version + 1)
    )
    rnd = session.execute(select(rt).where(rt.c.id == protocol.round_id)).one()
    repeat = session.scalar(
        select(RepeatElectionRow.id).where(RepeatElectionRow.failed_contest_id == rnd.contest_id)
    )
    if repeat is not None:
        raise Refused.one(
            "repeat_called",
            f"contest {rnd.contest_id} already has repeat election {repeat}: its protocols"
            " are no longer annulled",
            contest=rnd.contest_id,
        )
    later = session.execute(
        select(rt).where(
            rt.c.contest_id == rnd.contest_id,
            rt.c.round_no == rnd.round_no + 1,
            rt.c.status != RoundStatus.CANCELLED,
        )
    ).one_or_none()
    if later is not None:
        used = session.scalar(
            select(func.count())
            .select_from(pt)
            .where(pt.c.round_id == later.id, pt.c.status == ProtocolStatus.ACCEPTED)
        )
        if used:
            raise Refused.one(
                "later_round_accepted",
                f"round {later.round_no} of contest {rnd.contest_id} has an accepted protocol;"
                f" annul it before round {rnd.round_no}",
                round=later.round_no,
            )
        session.execute(update(rt).where(rt.c.id == later.id).values(status=RoundStatus.CANCELLED))
        audit.record(
            session=session,
            actor=actor,
            action="round.cancel",
            object_type="round",
            object_id=later.id,
        )
    session.execute(update(pt).where(pt.c.id == protocol_id).values(status=ProtocolStatus.ANNULLED))
    session.execute(
        update(rt).where(rt.c.id == rnd.id).values(status=RoundStatus.OPEN, decision=None)
    )
    session.execute(
        update(ct)
        .where(ct.c.id == rnd.contest_id)
        .values(
            status=ContestStatus.VOTING,
            failure_reason=None,
            elected_nomination_id=None,
            decided_round=None,
        )
    )
    session.expire_all()
    audit.record(
        session=session,
        actor=actor,
        action="protocol.annul",
        object_type="protocol",
        object_id=protocol_id,
    )
    audit.record(
        session=session, actor=actor, action="round.reopen", object_type="round", object_id=rnd.id
    )
    audit.record(
        session=session,
        actor=actor,
        action="contest.reopen",
        object_type="contest",
        object_id=rnd.contest_id,
    )
