"""Checking a round's protocol before it is stored: the round locked, what checking needs
loaded in a few queries, the control relations, agreement with the sitting's records, the
candidates resolved, and the rules engine's decision (services/protocols.py stores it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from typing import Any

from sqlalchemy import Row, bindparam, func, select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import select_in
from saylau.db.tables.election import (
    ElectionEventRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    RoundRow,
    SittingRow,
)
from saylau.domain.election import ContestId, ProtocolInput, ProtocolStatus, RoundStatus
from saylau.rules.decide import Decision, decide
from saylau.rules.errors import InputError
from saylau.rules.model import RuleSet
from saylau.rules.protocol import Violation, check_protocol, to_round_counts
from saylau.services import contest_state, sitting_figures
from saylau.services.errors import Conflict, InvalidInput, NotFound, Refused
from saylau.services.events import rule_set_of

# A round as read for submission: a plain row of the round table (thousands per batch), with
# the attributes of RoundRow (id, contest_id, round_no, sitting_id, status, standing).
LockedRound = Row[Any]


@dataclass
class Evaluated:
    """One protocol checked (and decided when it passes), ready to be stored."""

    round: LockedRound
    version: int
    counts: ProtocolInput
    votes: dict[int, int]
    violations: list[Violation] = field(default_factory=list)
    decision: Decision | None = None

    def __post_init__(self) -> None:
        # Plain copies: the row expires when the batch's updates are applied.
        self.round_id = self.round.id
        self.contest_id = self.round.contest_id
        self.round_no = self.round.round_no
        self.sitting_id = self.round.sitting_id
        self.standing = list(self.round.standing)

    @property
    def status(self) -> ProtocolStatus:
        return ProtocolStatus.REJECTED if self.violations else ProtocolStatus.ACCEPTED


def lock_rounds(
    *, session: Session, keys: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], LockedRound]:
    """Bump each round's lock_version first: a row lock on PostgreSQL (a concurrent submission
    of the same round waits, then sees this one's result), the write lock on SQLite."""
    contest_state.lock_contests(session=session, contest_ids=[ContestId(c) for c, _r in keys])
    t = table_of(RoundRow)
    session.execute(
        update(t)
        .where((t.c.contest_id == bindparam("b_contest")) & (t.c.round_no == bindparam("b_round")))
        .values(lock_version=t.c.lock_version + 1),
        # In one order, so that two batches locking the same rounds cannot deadlock.
        [{"b_contest": c, "b_round": r} for c, r in sorted(keys)],
    )
    session.expire_all()
    wanted = set(keys)
    found: dict[tuple[int, int], LockedRound] = {}
    for row in select_in(session, select(t), t.c.contest_id, [c for c, _r in keys]):
        if (row.contest_id, row.round_no) in wanted:
            found[(row.contest_id, row.round_no)] = row
    missing = [k for k in keys if k not in found]
    if missing:
        c, r = missing[0]
        raise NotFound.one(
            "unknown_round", f"contest {c} has no round {r}", where="round", contest=c, round=r
        )
    return found


def closed_round(*, session: Session, rnd: LockedRound) -> Conflict | Refused:
    if rnd.status == RoundStatus.CANCELLED:
        return Refused(
            f"round {rnd.round_no} of contest {rnd.contest_id} was cancelled by a correction"
        )
    current = session.scalar(
        select(ProtocolRow.version).where(
            ProtocolRow.round_id == rnd.id, ProtocolRow.status == ProtocolStatus.ACCEPTED
        )
    )
    return Conflict(
        f"round {rnd.round_no} of contest {rnd.contest_id} already has an accepted protocol"
        f" (version {current}); a change is a correction: saylau protocol correct"
    )


@dataclass
class Context:
    """What checking and deciding a batch of rounds needs, loaded with a few queries."""

    versions: dict[int, int]  # round id -> highest version stored
    names: dict[int, dict[str, list[int]]]  # contest id -> full name -> nomination ids
    nominations: dict[int, set[int]]  # contest id -> its nomination ids
    birth_dates: dict[int, date]  # nomination id -> birth date
    sittings: dict[int, SittingRow]
    rule_sets: dict[int, RuleSet]  # sitting id -> its event's rule set
    figures: dict[int, sitting_figures.RoundFigures] = field(default_factory=dict)  # by round


def load_context(*, session: Session, rounds: Sequence[LockedRound]) -> Context:
    sitting_ids = sorted({r.sitting_id for r in rounds})
    ctx = Context({}, {}, {}, {}, {}, {})
    versions = select(ProtocolRow.round_id, func.max(ProtocolRow.version))
    versions = versions.group_by(ProtocolRow.round_id)
    rows = select_in(session, versions, ProtocolRow.round_id, [r.id for r in rounds])
    ctx.versions.update({rid: int(v) for rid, v in rows})
    nt, pt = table_of(NominationRow), table_of(PersonRow)  # Core columns: plain rows
    stmt = select(nt.c.id, nt.c.contest_id, pt.c.full_name, pt.c.birth_date)
    stmt = stmt.join(pt, pt.c.id == nt.c.person_id)
    for nid, cid, name, born in select_in(
        session, stmt, nt.c.contest_id, [r.contest_id for r in rounds]
    ):
        ctx.names.setdefault(cid, {}).setdefault(name, []).append(nid)
        ctx.nominations.setdefault(cid, set()).add(nid)
        ctx.birth_dates[nid] = born
    for sitting in session.scalars(select(SittingRow).where(SittingRow.id.in_(sitting_ids))):
        ctx.sittings[sitting.id] = sitting
    events = {s.event_id for s in ctx.sittings.values()}
    by_event = {
        e.id: rule_set_of(e)
        for e in session.scalars(select(ElectionEventRow).where(ElectionEventRow.id.in_(events)))
    }
    ctx.rule_sets = {sid: by_event[s.event_id] for sid, s in ctx.sittings.items()}
    ctx.figures = sitting_figures.round_figures(session=session, rounds=rounds)
    return ctx


def evaluate(ctx: Context, rnd: LockedRound, counts: ProtocolInput) -> Evaluated:
    version = ctx.versions.get(rnd.id, 0) + 1
    ctx.versions[rnd.id] = version
    if counts.lot_winner:
        # A lot is its own act (services/lots.py), recorded with how it was drawn; a protocol
        # naming a winner used to be stored with no lot at all (and lot_winner NULL).
        raise InvalidInput.one(
            "lot_by_draw",
            f"lot_winner {counts.lot_winner!r}: a protocol records the votes only; a tie is"
            " decided by lot afterwards with saylau lot draw PROTOCOL",
            where="lot_winner",
            contest=rnd.contest_id,
            round=rnd.round_no,
        )
    # The fields the sitting knows (members, present, ballots issued), filled where omitted
    # and checked where given.
    counts, disagree = sitting_figures.fill(ctx.figures[rnd.id], counts)
    votes = _resolve_votes(ctx, rnd, counts.votes)
    ev = Evaluated(rnd, version, counts, votes)
    sitting = ctx.sittings[rnd.sitting_id]
    # The protocol with its candidates resolved to nomination ids: what is checked and stored.
    pc = replace(counts, votes={str(k): v for k, v in votes.items()}, lot_winner=None)
    ev.violations = check_protocol(pc) + disagree + _record_violations(rnd, sitting, counts, votes)
    if ev.violations:
        return ev
    try:
        ev.decision = decide(
            ctx.rule_sets[rnd.sitting_id],
            rnd.round_no,
            to_round_counts(pc),
            standing=[str(n) for n in rnd.standing],
            birth_dates={str(n): ctx.birth_dates[n] for n in rnd.standing},
        )
    except InputError as e:
        ev.violations = [Violation("decision_refused", str(e), {}, e.path)]
    return ev


def _resolve_votes(ctx: Context, rnd: LockedRound, votes: Mapping[str, int]) -> dict[int, int]:
    """Votes keyed by nomination id; names are matched among the contest's nominations."""
    own = ctx.nominations.get(rnd.contest_id, set())
    names = ctx.names.get(rnd.contest_id, {})
    resolved: dict[int, int] = {}
    given_as: dict[int, str] = {}
    for key, n in votes.items():
        is_id = key.isascii() and key.isdigit() and len(key) < 19 and int(key) in own
        ids = [int(key)] if is_id else names.get(key, [])
        if len(ids) != 1:
            raise InvalidInput.one(
                "unknown_candidate",
                f"votes.{key}: no single candidate of contest {rnd.contest_id} with this id or"
                f" name; candidates: {', '.join(map(str, sorted(own)))}",
                where=f"votes.{key}",
                contest=rnd.contest_id,
            )
        if ids[0] in given_as:
            # By name and by id, the same candidate: summing would count one line twice.
            raise InvalidInput.one(
                "candidate_twice",
                f"votes.{key}: nomination {ids[0]} is also given as votes.{given_as[ids[0]]};"
                " name each candidate once",
                where=f"votes.{key}",
                nomination=ids[0],
            )
        given_as[ids[0]] = key
        resolved[ids[0]] = int(n)
    return resolved


def _record_violations(
    rnd: LockedRound, sitting: SittingRow, counts: ProtocolInput, votes: Mapping[int, int]
) -> list[Violation]:
    """What the protocol must agree with in the sitting's own records (its members and
    present: sitting_figures.fill, per round)."""
    found: list[Violation] = []
    standing = set(rnd.standing)
    for nid, n in votes.items():
        if nid not in standing and n:
            found.append(
                Violation(
                    "not_standing",
                    f"{n} votes for nomination {nid}, who does not stand in round {rnd.round_no}",
                    {"votes": n},
                    f"votes.{nid}",
                )
            )
    return found
