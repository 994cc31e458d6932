"""How the log reads an object's current state: ONE table from object type to its loader.

An object's state is built from its stored rows (docs/audit.md): for most types the row column
by column; an election event adds its voting days, a sitting its attendance and ballots, a
protocol its votes. Appending and verifying both read this table; nothing registers into it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Table
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.accounts import UserRow
from saylau.db.tables.appeals import AppealRow, RepeatElectionRow
from saylau.db.tables.audit import CheckpointRow, CommissionKeyRow
from saylau.db.tables.election import (
    AdjournmentRow,
    AttendanceRow,
    ContestRow,
    ElectionEventRow,
    MovementRow,
    NominationRow,
    PersonRow,
    ProtocolRow,
    ProtocolVoteRow,
    RoundRow,
    SittingContestRow,
    SittingRow,
    VotingDayRow,
)
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    DeputyRow,
    PostRow,
    TerritoryRow,
)
from saylau.services.audit.rows import read_rows

States = dict[str, Mapping[str, object]]
# loader(session, ids) -> {id: state} of those ids that are stored; ids=None: every stored one.
StateLoader = Callable[[Session, Sequence[str] | None], States]

_CHUNK = 2000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


def _key_type(column: Any) -> Callable[[str], object]:
    """How an object id (text in the log) is given as a value of the key `column`."""
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = None
    return int if python_type is int else str


def table_state_loader(table: Table | Any, *, key: str = "id") -> StateLoader:
    """A loader whose state is every column of the row whose `key` column is the object id."""
    tbl: Table = table if isinstance(table, Table) else table_of(table)
    key_col = tbl.c[key]

    columns = list(tbl.columns)
    names = [c.name for c in columns]
    at = names.index(key)

    as_key = _key_type(key_col)

    def load(session: Session, object_ids: Sequence[str] | None) -> States:
        keys = None if object_ids is None else list(map(as_key, object_ids))
        rows = read_rows(session=session, columns=columns, key=key_col, values=keys)
        return {str(row[at]): dict(zip(names, row, strict=True)) for row in rows}

    return load


def _of(
    session: Session,
    columns: Sequence[Any],
    ids: Sequence[str] | None,
    base: States,
    order_by: Any = None,
) -> Iterator[tuple[Any, ...]]:
    """The rows of `columns` (their table's; the first column the parent's id) of the objects
    of `base` (the parent rows found), unless all were asked; ordered by `order_by` if given."""
    parents = None if ids is None else [int(i) for i in base]
    return read_rows(
        session=session, columns=columns, key=columns[0], values=parents, order_by=order_by
    )


def _event_states(session: Session, ids: Sequence[str] | None) -> States:
    base = table_state_loader(ElectionEventRow)(session, ids)
    days: dict[str, dict[str, str]] = {i: {} for i in base}
    vd = table_of(VotingDayRow)
    for event_id, territory_id, day in _of(
        session, [vd.c.event_id, vd.c.territory_id, vd.c.day], ids, base
    ):
        days[str(event_id)][str(territory_id)] = day.isoformat()
    return {i: {**state, "voting_days": days[i]} for i, state in base.items()}


def _sitting_states(session: Session, ids: Sequence[str] | None) -> States:
    base = table_state_loader(SittingRow)(session, ids)
    roll: dict[str, dict[str, bool]] = {i: {} for i in base}
    at, sc = table_of(AttendanceRow), table_of(SittingContestRow)
    for sid, deputy, is_present in _of(
        session, [at.c.sitting_id, at.c.deputy_id, at.c.is_present], ids, base
    ):
        roll[str(sid)][str(deputy)] = bool(is_present)
    ballots: dict[str, dict[str, int | None]] = {i: {} for i in base}
    for sid, cid, issued in _of(
        session, [sc.c.sitting_id, sc.c.contest_id, sc.c.ballots_issued], ids, base
    ):
        ballots[str(sid)][str(cid)] = issued
    life = _sitting_life(session, ids, base)
    return {
        i: {
            **_without_empty(state, _ADDED_TO_SITTING),
            "attendance": roll[i],
            "contests": ballots[i],
            **life.get(i, {}),
        }
        for i, state in base.items()
    }


# Added to a sitting by migration 0006 (closing, adjournments, arrivals and departures): left
# out of its state while empty, so that the entries written before still match.
_ADDED_TO_SITTING = ("closed_at",)


def _sitting_life(session: Session, ids: Sequence[str] | None, base: States) -> States:
    """Each sitting's adjournments and movements, only where it has some."""
    life: dict[str, dict[str, list[object]]] = {}  # sitting -> "adjournments"/"movements" -> …
    ad, mv = table_of(AdjournmentRow), table_of(MovementRow)
    adjournments = [ad.c.sitting_id, ad.c.id, ad.c.adjourned_at, ad.c.reason, ad.c.resumed_at]
    for sid, aid, adjourned_at, reason, resumed_at in _of(
        session, adjournments, ids, base, order_by=ad.c.id
    ):
        life.setdefault(str(sid), {}).setdefault("adjournments", []).append(
            {"id": aid, "adjourned_at": adjourned_at, "reason": reason, "resumed_at": resumed_at}
        )
    movements = [mv.c.sitting_id, mv.c.id, mv.c.deputy_id, mv.c.at, mv.c.is_present]
    for sid, mid, deputy, when, is_present in _of(session, movements, ids, base, order_by=mv.c.id):
        life.setdefault(str(sid), {}).setdefault("movements", []).append(
            {"id": mid, "deputy_id": deputy, "at": when, "is_present": bool(is_present)}
        )
    return {sid: dict(found) for sid, found in life.items()}


def _round_states(session: Session, ids: Sequence[str] | None) -> States:
    # lock_version only serializes submissions; it is no part of the round's state.
    rows = table_state_loader(RoundRow)(session, ids)
    return {i: {k: v for k, v in state.items() if k != "lock_version"} for i, state in rows.items()}


def _protocol_states(session: Session, ids: Sequence[str] | None) -> States:
    base = table_state_loader(ProtocolRow)(session, ids)
    votes: dict[str, dict[str, int]] = {i: {} for i in base}
    vt = table_of(ProtocolVoteRow)
    for pid, nid, n in _of(session, [vt.c.protocol_id, vt.c.nomination_id, vt.c.votes], ids, base):
        votes[str(pid)][str(nid)] = int(n)
    return {
        i: {**_without_empty(state, _ADDED_TO_PROTOCOL), "votes": votes[i]}
        for i, state in base.items()
    }


# Columns added to `protocol` after logs were written (migration 0003): left out of the state
# while empty, so that the entries written before them still match their protocols.
_ADDED_TO_PROTOCOL = ("published_head_seq", "published_head_hash")


def _user_states(session: Session, ids: Sequence[str] | None) -> States:
    """A user's state without its password hash (the log is public): a SHA-256 of the hash
    instead, so that verify still notices a hash changed behind the services' back."""
    out: States = {}
    for i, state in table_state_loader(UserRow)(session, ids).items():
        row = dict(state)
        secret = row.pop("password_hash")
        row["password_digest"] = (
            hashlib.sha256(str(secret).encode()).hexdigest() if secret is not None else None
        )
        out[i] = row
    return out


def _without_empty(state: Mapping[str, object], added: Sequence[str]) -> dict[str, object]:
    return {k: v for k, v in state.items() if v is not None or k not in added}


# Every object type the log knows, with its state loader. A new type is added here.
OBJECT_TYPES: Mapping[str, StateLoader] = {
    "territory": table_state_loader(TerritoryRow),
    "council": table_state_loader(CouncilRow),
    "deputy": table_state_loader(DeputyRow),
    "commission": table_state_loader(CommissionRow),
    "commission_member": table_state_loader(CommissionMemberRow),
    "post": table_state_loader(PostRow),
    "election_event": _event_states,
    "contest": table_state_loader(ContestRow),
    "person": table_state_loader(PersonRow),
    "nomination": table_state_loader(NominationRow),
    "sitting": _sitting_states,
    "round": _round_states,
    "protocol": _protocol_states,
    "commission_key": table_state_loader(CommissionKeyRow),
    "checkpoint": table_state_loader(CheckpointRow),
    "user": _user_states,
    "appeal": table_state_loader(AppealRow),
    "repeat_election": table_state_loader(RepeatElectionRow),
}


def state_loader(name: str, types: Mapping[str, StateLoader] = OBJECT_TYPES) -> StateLoader:
    try:
        return types[name]
    except KeyError:
        raise LookupError(
            f"no state loader for object type {name!r}; known: {', '.join(sorted(types))}"
        ) from None


def load_states(*, session: Session, loader: StateLoader, ids: Sequence[str]) -> States:
    """`loader` over `ids` in chunks of at most _CHUNK ids (each chunk one IN list)."""
    states: States = {}
    items = list(ids)
    for start in range(0, len(items), _CHUNK):
        states.update(loader(session, items[start : start + _CHUNK]))
    return states
