"""How the log reads an object's current state: ONE table from object type to its loader.

An object's state is built from its stored rows (docs/audit.md): for most types the row column
by column; an election event adds its voting days, a sitting its attendance and ballots, a
protocol its votes. Appending and verifying both read this table; nothing registers into it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import in_list, select_in
from saylau.db.tables.election import (
    AttendanceRow,
    ContestRow,
    ElectionEventRow,
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

States = dict[str, Mapping[str, object]]
StateLoader = Callable[[Session, Sequence[str]], States]
IdLister = Callable[[Session], Iterable[str]]

_CHUNK = 2000  # ids per IN (...) list: well under SQLite's and PostgreSQL's parameter limits


@dataclass(frozen=True)
class ObjectType:
    """`load(session, ids)` gives {id: state} from the stored rows; `list_ids(session)` every
    stored id, so that verify can name rows no entry records."""

    load: StateLoader
    list_ids: IdLister


def table_state_loader(table: Table | Any, *, key: str = "id") -> StateLoader:
    """A loader whose state is every column of the row whose `key` column is the object id."""
    tbl: Table = table if isinstance(table, Table) else table_of(table)
    key_col = tbl.c[key]

    def load(session: Session, object_ids: Sequence[str]) -> States:
        found: States = {}
        names = [c.name for c in tbl.columns]
        at = names.index(key)
        keys = [_as_key(key_col, i) for i in object_ids]
        for row in select_in(session, select(tbl), key_col, keys):
            found[str(row[at])] = dict(zip(names, row, strict=True))
        return found

    return load


def table_id_lister(table: Table | Any, *, key: str = "id") -> IdLister:
    tbl: Table = table if isinstance(table, Table) else table_of(table)

    def list_ids(session: Session) -> Iterator[str]:
        for value in session.execute(select(tbl.c[key])).scalars():
            yield str(value)

    return list_ids


def _row_type(table: Any) -> ObjectType:
    """A one-table object type: its state is its row, its id the `id` column."""
    return ObjectType(table_state_loader(table), table_id_lister(table))


def _event_states(session: Session, ids: Sequence[str]) -> States:
    base = table_state_loader(ElectionEventRow)(session, ids)
    days: dict[str, dict[str, str]] = {i: {} for i in base}
    vd = table_of(VotingDayRow)
    rows = session.execute(
        select(vd.c.event_id, vd.c.territory_id, vd.c.day).where(
            in_list(session, vd.c.event_id, [int(i) for i in base])
        )
    )
    for event_id, territory_id, day in rows:
        days[str(event_id)][str(territory_id)] = day.isoformat()
    return {i: {**state, "voting_days": days[i]} for i, state in base.items()}


def _sitting_states(session: Session, ids: Sequence[str]) -> States:
    base = table_state_loader(SittingRow)(session, ids)
    keys = [int(i) for i in base]
    roll: dict[str, dict[str, bool]] = {i: {} for i in base}
    # Core columns: plain rows, no ORM result processing (thousands of attendance rows).
    at, sc = table_of(AttendanceRow), table_of(SittingContestRow)
    for sid, deputy, is_present in session.execute(
        select(at.c.sitting_id, at.c.deputy_id, at.c.is_present).where(
            in_list(session, at.c.sitting_id, keys)
        )
    ):
        roll[str(sid)][str(deputy)] = bool(is_present)
    ballots: dict[str, dict[str, int | None]] = {i: {} for i in base}
    for sid, cid, issued in session.execute(
        select(sc.c.sitting_id, sc.c.contest_id, sc.c.ballots_issued).where(
            in_list(session, sc.c.sitting_id, keys)
        )
    ):
        ballots[str(sid)][str(cid)] = issued
    return {
        i: {**state, "attendance": roll[i], "contests": ballots[i]} for i, state in base.items()
    }


def _round_states(session: Session, ids: Sequence[str]) -> States:
    # lock_version only serializes submissions; it is no part of the round's state.
    rows = table_state_loader(RoundRow)(session, ids)
    return {i: {k: v for k, v in state.items() if k != "lock_version"} for i, state in rows.items()}


def _protocol_states(session: Session, ids: Sequence[str]) -> States:
    base = table_state_loader(ProtocolRow)(session, ids)
    votes: dict[str, dict[str, int]] = {i: {} for i in base}
    vt = table_of(ProtocolVoteRow)  # Core columns: plain rows, no ORM result processing
    for pid, nid, n in session.execute(
        select(vt.c.protocol_id, vt.c.nomination_id, vt.c.votes).where(
            in_list(session, vt.c.protocol_id, [int(i) for i in base])
        )
    ):
        votes[str(pid)][str(nid)] = int(n)
    return {i: {**state, "votes": votes[i]} for i, state in base.items()}


# Every object type the log knows. A service that records a new type adds it here.
OBJECT_TYPES: Mapping[str, ObjectType] = {
    "territory": _row_type(TerritoryRow),
    "council": _row_type(CouncilRow),
    "deputy": _row_type(DeputyRow),
    "commission": _row_type(CommissionRow),
    "commission_member": _row_type(CommissionMemberRow),
    "post": _row_type(PostRow),
    "election_event": ObjectType(_event_states, table_id_lister(ElectionEventRow)),
    "contest": _row_type(ContestRow),
    "person": _row_type(PersonRow),
    "nomination": _row_type(NominationRow),
    "sitting": ObjectType(_sitting_states, table_id_lister(SittingRow)),
    "round": ObjectType(_round_states, table_id_lister(RoundRow)),
    "protocol": ObjectType(_protocol_states, table_id_lister(ProtocolRow)),
}


def object_type(name: str, types: Mapping[str, ObjectType] = OBJECT_TYPES) -> ObjectType:
    try:
        return types[name]
    except KeyError:
        raise LookupError(
            f"no state loader for object type {name!r}; known: {', '.join(sorted(types))}"
        ) from None


def load_states(session: Session, loader: StateLoader, ids: Sequence[str]) -> States:
    """`loader` over `ids` in chunks of at most _CHUNK ids."""
    states: States = {}
    items = list(ids)
    for start in range(0, len(items), _CHUNK):
        states.update(loader(session, items[start : start + _CHUNK]))
    return states


def _as_key(column: Any, object_id: str) -> object:
    python_type: type | None
    try:
        python_type = column.type.python_type
    except NotImplementedError:
        python_type = None
    return int(object_id) if python_type is int else object_id
