"""Drawing lots: a tie the rules settle by lot is decided by a draw at the meeting, recorded
(who drew, the witnesses, the result) or verifiable (a public seed and rules/lots.py's
function), as audit action `lot.draw` (docs/lots.md).

The draw changes the accepted protocol's decision from `lot_required` to `elected` with the
lot's record; the state machine (services/contest_state.py) then decides the round and the
contest as for any decision. `check_lot` recomputes
a seeded draw from the stored seed, contest, round and tied candidates.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.election import ContestRow, ProtocolRow, RoundRow, SittingRow
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    ContestId,
    ProtocolId,
    ProtocolStatus,
    RoundId,
    SittingId,
    SittingStatus,
)
from saylau.rules.contest_state import awaits_lot
from saylau.rules.decide import Decision, DecisionKind
from saylau.rules.decisions import decision_from_json, decision_json
from saylau.rules.errors import InputError
from saylau.rules.input import text_problem
from saylau.rules.lots import Lot, LotMethod, check_seed, lot_hashes, seeded_winner
from saylau.services import audit, contest_state
from saylau.services.errors import Conflict, InvalidInput, Refused, unknown_ids
from saylau.services.permissions import Action, authorize, protocol_territories
from saylau.services.transaction import transaction

__all__ = ["LotCheck", "LotDraw", "LotResult", "check_lot", "draw_lot"]


@dataclass(frozen=True)
class LotDraw:
    """A draw: with `seed` a verifiable one (the winner follows from it); else a recorded
    physical draw whose `winner` (a tied nomination id) is given. `drawn_by` and `witnesses`
    are people present at the meeting; a recorded draw needs both."""

    seed: str | None = None
    winner: int | None = None
    drawn_by: str | None = None
    witnesses: tuple[str, ...] = ()


@dataclass(frozen=True)
class LotResult:
    protocol_id: ProtocolId
    contest_id: ContestId
    round_no: int
    decision: Decision


@dataclass(frozen=True)
class LotCheck:
    """A stored lot recomputed. `expected` is None for a recorded draw (nothing to compute);
    `mismatches` lists each stored value that disagrees (empty: the lot checks out)."""

    protocol_id: ProtocolId
    contest_id: ContestId
    round_no: int
    lot: Lot
    expected: str | None
    hashes: dict[str, str]
    mismatches: tuple[str, ...]

    @property
    def ok(self) -> bool:
        return not self.mismatches


def _check_draw(draw: LotDraw) -> LotDraw:
    problems: list[tuple[str, str, str]] = []
    if (draw.seed is None) == (draw.winner is None):
        problems.append(
            ("lot_method", "give either a seed (a verifiable draw) or a winner (recorded)", "seed")
        )
    if draw.seed is not None:
        try:
            check_seed(draw.seed)
        except InputError as e:
            problems.append(("bad_seed", str(e), "seed"))
    drawn_by = draw.drawn_by.strip() if draw.drawn_by else None
    witnesses = tuple(w.strip() for w in draw.witnesses)
    if draw.winner is not None and (not drawn_by or not witnesses):
        problems.append(
            (
                "lot_unwitnessed",
                "a recorded draw names who drew and at least one witness",
                "drawn_by",
            )
        )
    for where, text in [("drawn_by", drawn_by or ""), *(("witnesses", w) for w in witnesses)]:
        if where == "witnesses" and not text:
            problems.append(("bad_text", "witnesses: an empty name", where))
        elif bad := text_problem(text, limits.NAME):
            problems.append(("bad_text", f"{where}: {bad}", where))
    if problems:
        code, message, where = problems[0]
        raise InvalidInput.one(code, message, where=where)
    return replace(draw, drawn_by=drawn_by, witnesses=witnesses)


def _round_of(session: Session, protocol: ProtocolRow) -> RoundRow:
    rnd = session.get(RoundRow, protocol.round_id)
    assert rnd is not None
    return rnd


def _check_sitting(session: Session, sitting_id: SittingId) -> None:
    """A lot is drawn at the meeting (docs/lots.md): not while it is adjourned, as no vote is
    entered then (services/sitting_figures.py). A closed sitting may still see a lot that a
    later correction calls for."""
    status = session.execute(
        select(SittingRow.status).where(SittingRow.id == sitting_id)
    ).scalar_one()
    if status == SittingStatus.ADJOURNED:
        raise Refused.one(
            "sitting_adjourned",
            f"no lot is drawn at sitting {sitting_id}: it is adjourned: saylau sitting resume"
            " first",
            where=f"sitting {sitting_id}",
            sitting=sitting_id,
        )


def draw_lot(
    *,
    session: Session,
    principal: Principal,
    protocol_id: ProtocolId,
    draw: LotDraw,
    now: datetime,
) -> LotResult:
    """Decide the tie of an accepted protocol awaiting a lot. Refused (Conflict, code
    `no_lot_awaited`) when the protocol is not the accepted version or its decision is not
    `lot_required`, and (Refused, `sitting_adjourned`) while the round's sitting is adjourned;
    a recorded winner must be among the tied (`not_tied`)."""
    draw = _check_draw(draw)
    if session.get(ProtocolRow, protocol_id) is None:
        raise unknown_ids("protocol", [protocol_id], where="protocol_id")
    with transaction(session=session):
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.LOT_DRAW,
            territories=lambda: protocol_territories(session=session, protocol_ids=[protocol_id]),
        )
        pt, rt = table_of(ProtocolRow), table_of(RoundRow)
        # Lock the round as a submission does: a concurrent correction waits for the draw.
        protocol = session.get(ProtocolRow, protocol_id)
        assert protocol is not None
        contest_state.lock_contests(
            session=session, contest_ids=[ContestId(_round_of(session, protocol).contest_id)]
        )
        session.execute(
            update(rt)
            .where(rt.c.id == protocol.round_id)
            .values(lock_version=rt.c.lock_version + 1)
        )
        session.refresh(protocol)
        rnd = _round_of(session, protocol)
        old = None if protocol.decision is None else decision_from_json(protocol.decision)
        if old is None or old.tied is None or not awaits_lot(protocol.status, old):
            raise Conflict.one(
                "no_lot_awaited",
                f"protocol {protocol_id} (version {protocol.version}, {protocol.status}) awaits"
                f" no lot: its decision is {old.kind.value if old else 'none'}",
                where="protocol_id",
                protocol=protocol_id,
            )
        _check_sitting(session, SittingId(rnd.sitting_id))
        tied = tuple(sorted(old.tied, key=int))
        if draw.seed is not None:
            winner = seeded_winner(draw.seed, rnd.contest_id, rnd.round_no, tied)
            method = LotMethod.SEED
        else:
            winner = str(draw.winner)
            method = LotMethod.RECORDED
            if winner not in tied:
                raise InvalidInput.one(
                    "not_tied",
                    f"winner {winner} is not among the tied: {', '.join(tied)}",
                    where="winner",
                    winner=int(winner),
                )
        lot = Lot(method, tied, winner, draw.seed, draw.drawn_by, draw.witnesses)
        decided = replace(old, kind=DecisionKind.ELECTED, elected=winner, reason=None, lot=lot)
        encoded = decision_json(decided)
        session.execute(
            update(pt)
            .where(pt.c.id == protocol_id)
            .values(decision=encoded, lot_winner=int(winner))
        )
        session.expire_all()
        audit.record(
            session=session,
            actor=actor,
            action="lot.draw",
            object_type="protocol",
            object_id=protocol_id,
        )
        # The round's decision and the contest's result follow as for any decision.
        contest_state.apply_decisions(
            session=session,
            actor=actor,
            decided=[
                contest_state.RoundDecided(
                    RoundId(rnd.id),
                    ContestId(rnd.contest_id),
                    SittingId(rnd.sitting_id),
                    rnd.round_no,
                    decided,
                )
            ],
        )
        return LotResult(protocol_id, ContestId(rnd.contest_id), rnd.round_no, decided)


def check_lot(*, session: Session, protocol_id: ProtocolId) -> LotCheck:
    """Recompute the protocol's lot: a seeded draw's winner from its seed, contest, round and
    tied candidates; and whether the protocol, its round and its contest all store that winner.
    A protocol without a lot is refused (Conflict, `no_lot`)."""
    protocol = session.get(ProtocolRow, protocol_id)
    if protocol is None:
        raise unknown_ids("protocol", [protocol_id], where="protocol_id")
    rnd = _round_of(session, protocol)
    decision = None if protocol.decision is None else decision_from_json(protocol.decision)
    if decision is None or decision.lot is None:
        raise Conflict.one(
            "no_lot",
            f"protocol {protocol_id} records no drawing of lots",
            where="protocol_id",
            protocol=protocol_id,
        )
    lot = decision.lot
    expected, hashes = None, {}
    if lot.method is LotMethod.SEED and lot.seed is not None:
        hashes = lot_hashes(lot.seed, rnd.contest_id, rnd.round_no, lot.tied)
        expected = seeded_winner(lot.seed, rnd.contest_id, rnd.round_no, lot.tied)
    contest = session.execute(
        select(ContestRow.elected_nomination_id).where(ContestRow.id == rnd.contest_id)
    ).scalar_one()
    round_decision = None if rnd.decision is None else decision_from_json(rnd.decision)
    stored = {
        "lot.winner": lot.winner,
        "decision.elected": decision.elected,
        "protocol.lot_winner": None if protocol.lot_winner is None else str(protocol.lot_winner),
    }
    if protocol.status == ProtocolStatus.ACCEPTED:  # a superseded version's round moved on
        stored["round.decision.elected"] = round_decision.elected if round_decision else None
        stored["contest.elected"] = None if contest is None else str(contest)
    want = expected if expected is not None else lot.winner
    mismatches = [f"{k} is {v}, expected {want}" for k, v in stored.items() if v != want]
    if lot.winner not in lot.tied:
        mismatches.append(f"lot.winner {lot.winner} is not among the tied {', '.join(lot.tied)}")
    return LotCheck(
        ProtocolId(protocol_id),
        ContestId(rnd.contest_id),
        rnd.round_no,
        lot,
        expected,
        hashes,
        tuple(mismatches),
    )
