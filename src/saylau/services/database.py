"""What a database holds, and emptying it: for tools that own a whole database (the demo),
so that they need no table of their own to decide whether they may replace it."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Engine, inspect, select, text

import saylau.db.tables  # noqa: F401  (every saylau table on Base.metadata)
from saylau.db.base import Base
from saylau.db.tables.accounts import UserRow
from saylau.db.tables.election import ElectionEventRow

# Tables the migrations fill themselves (the audit log's head starts at its genesis row).
_BOOKKEEPING = frozenset({"alembic_version", "audit_head"})


class UnreadableDatabase(Exception):
    """The URL names something that is not a database (e.g. a text file named *.db)."""


@dataclass(frozen=True)
class DatabaseContents:
    has_other_tables: bool  # tables that are not saylau's
    is_empty: bool  # no row in any saylau table beyond the migrations' own
    event_names: tuple[str, ...]  # the election events stored, by id
    user_names: tuple[str, ...] = ()  # the accounts stored, by id


def database_contents(engine: Engine) -> DatabaseContents:
    try:
        names = set(inspect(engine).get_table_names())
    except Exception as e:  # not a database at all
        raise UnreadableDatabase(str(e)) from None
    ours = set(Base.metadata.tables) | {"alembic_version"}
    with engine.connect() as conn:
        filled = [
            n
            for n in sorted((names & ours) - _BOOKKEEPING)
            if conn.execute(text(f'SELECT 1 FROM "{n}" LIMIT 1')).first() is not None
        ]
        events: tuple[str, ...] = ()
        if "election_event" in names:
            events = tuple(
                conn.execute(select(ElectionEventRow.name).order_by(ElectionEventRow.id)).scalars()
            )
        users: tuple[str, ...] = ()
        if "app_user" in names:
            users = tuple(conn.execute(select(UserRow.name).order_by(UserRow.id)).scalars())
    return DatabaseContents(
        has_other_tables=bool(names - ours),
        is_empty=not filled,
        event_names=events,
        user_names=users,
    )


def drop_saylau_tables(engine: Engine) -> None:
    """Drop every saylau table and the migrations' version table (the schema is then made
    again by upgrading)."""
    Base.metadata.drop_all(engine)
    with engine.begin() as conn:
        conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
