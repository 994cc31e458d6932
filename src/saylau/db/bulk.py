"""Many-row inserts that return the new ids in the order the rows were given, in a few
statements on every backend (SQLAlchemy's ordered RETURNING runs one INSERT per row on SQLite
and sends statements psycopg must parse page by page on PostgreSQL)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Table, any_, bindparam, insert, text, update
from sqlalchemy.orm import Session


def insert_ids(session: Session, table: Table | Any, rows: Sequence[dict[str, Any]]) -> list[int]:
    """Insert `rows` into `table` (its integer key `id` generated) and return the new ids,
    row for row.

    PostgreSQL: the ids are drawn from the column's sequence first (one query), then the rows
    go in with them by executemany. SQLAlchemy's ordered RETURNING would send multi-row INSERTs
    whose text psycopg parses anew for every page, which costs more than the insert itself.
    SQLite has no INSERT form that ties a generated rowid to its parameter set, so SQLAlchemy
    falls back to one statement per row; instead the rows go in multi-row INSERTs with
    unordered RETURNING. SQLite gives each new row one more than the largest rowid in the
    table, and the statements of one transaction hold the write lock, so the ids are
    consecutive in the order the rows were inserted; that is checked, and anything else is
    refused rather than guessed.
    """
    if not rows:
        return []
    tbl = cast(Table, table if isinstance(table, Table) else table.__table__)
    key = tbl.c.id
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        sequence = session.execute(
            text("SELECT pg_get_serial_sequence(:t, 'id')"), {"t": tbl.name}
        ).scalar()
        if sequence is not None:
            ids = sorted(
                int(i)
                for i in session.execute(
                    text("SELECT nextval(CAST(:s AS regclass)) FROM generate_series(1, :n)"),
                    {"s": sequence, "n": len(rows)},
                ).scalars()
            )
            session.execute(insert(tbl), [{**r, "id": i} for r, i in zip(rows, ids, strict=True)])
            return ids
    if dialect != "sqlite":
        stmt = insert(tbl).returning(key, sort_by_parameter_order=True)
        return [int(i) for i in session.execute(stmt, list(rows)).scalars()]
    ids = sorted(int(i) for i in session.execute(insert(tbl).returning(key), list(rows)).scalars())
    if len(ids) != len(rows) or ids[-1] - ids[0] != len(rows) - 1:
        raise RuntimeError(
            f"{tbl.name}: the new rowids are not consecutive ({len(ids)} rows,"
            f" {ids[0]}..{ids[-1]}); cannot tell which row got which id"
        )
    return ids


def in_list(session: Session, column: Any, values: Iterable[Any]) -> Any:
    """`column IN (values)` for a long list of values.

    On PostgreSQL it is `column = ANY(:array)`, one parameter: an expanded IN list gives a new
    statement text for every length, which psycopg parses in Python each time (thousands of
    placeholders at national scale). Elsewhere the plain IN.
    """
    items = list(values)
    if session.get_bind().dialect.name == "postgresql":
        # Imported here: the PostgreSQL dialect costs start-up time on SQLite.
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, items, type_=ARRAY(column.type)))
    return column.in_(items)


CHUNK = 2000  # values per IN list: well under SQLite's parameter limit


def select_in(session: Session, stmt: Any, column: Any, values: Iterable[Any]) -> list[Any]:
    """Rows of `stmt` whose `column` is one of `values` (each asked once), in IN lists of at
    most CHUNK values."""
    items = sorted(set(values), key=str)
    rows: list[Any] = []
    for start in range(0, len(items), CHUNK):
        rows += session.execute(
            stmt.where(in_list(session, column, items[start : start + CHUNK]))
        ).all()
    return rows


def update_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, key: str = "id"
) -> None:
    """One executemany UPDATE of `table`: each row gives the `key` value of the row to change
    under "b_id" and the columns to set under their names (every row the same columns).
    No rows, no statement (an empty executemany is an error)."""
    if rows:
        session.execute(update(table).where(table.c[key] == bindparam("b_id")), list(rows))
