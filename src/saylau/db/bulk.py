"""Many-row inserts that return the new ids in the order the rows were given, in a few
statements on every backend (SQLAlchemy's ordered RETURNING runs one INSERT per row on SQLite
and sends statements psycopg must parse page by page on PostgreSQL)."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Sequence
from typing import Any, cast

from sqlalchemy import Integer, String, Table, any_, bindparam, func, insert, select, text, update
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
    tbl = table_of_any(table)
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
    if not _driver_insert(session, tbl, rows):
        ids = sorted(
            int(i) for i in session.execute(insert(tbl).returning(key), list(rows)).scalars()
        )
    else:
        # Under the write lock the statement took, the rows got the rowids after the largest.
        last = int(session.execute(select(func.max(key))).scalar_one())
        ids = list(range(last - len(rows) + 1, last + 1))
        found = session.execute(
            select(func.count()).select_from(tbl).where(key.between(ids[0], ids[-1]))
        ).scalar_one()
        if found != len(rows):
            ids = []
    if len(ids) != len(rows) or ids[-1] - ids[0] != len(rows) - 1:
        raise RuntimeError(
            f"{tbl.name}: the new rowids are not consecutive ({len(rows)} rows,"
            f" {ids[0] if ids else '?'}..{ids[-1] if ids else '?'}); cannot tell which row got"
            " which id"
        )
    return ids


def in_list(session: Session, column: Any, values: Iterable[Any]) -> Any:
    """`column IN (values)` for a long list of values, as one parameter where the backend
    allows, so that the statement has one text whatever the number of values.

    On PostgreSQL it is `column = ANY(:array)`: an expanded IN list gives a new statement
    text for every length, which psycopg parses in Python each time (thousands of
    placeholders at national scale). On SQLite, for integers or strings on a column whose type
    converts nothing, it is `column IN (SELECT value FROM json_each(:json))`: SQLAlchemy would
    otherwise coerce every value into a literal when the statement is built and expand each
    into its own placeholder when it runs. Elsewhere the plain IN.
    """
    items = list(values)
    dialect = session.get_bind().dialect
    if dialect.name == "postgresql":
        # Imported here: the PostgreSQL dialect costs start-up time on SQLite.
        from sqlalchemy.dialects.postgresql import ARRAY

        return column == any_(bindparam(None, items, type_=ARRAY(column.type)))
    if dialect.name == "sqlite" and _is_plain_json(column, items, dialect):
        return column.in_(_json_values(bindparam(None, json.dumps(items), type_=String)))
    return column.in_(items)


CHUNK = 2000  # values per IN list: well under SQLite's parameter limit
_VALUES = "saylau_in_values"  # the parameter of select_in's condition on SQLite


def select_in(session: Session, stmt: Any, column: Any, values: Iterable[Any]) -> list[Any]:
    """Rows of `stmt` whose `column` is one of `values` (each asked once), at most CHUNK values
    a statement. On SQLite the condition is built once per column (`_json_in`) and the values
    are its parameter: building it anew each time costs more than running it for a few
    values, and select_in runs some 1,600 times in the demo."""
    items = sorted(set(values), key=str)
    rows: list[Any] = []
    dialect = session.get_bind().dialect
    for start in range(0, len(items), CHUNK):
        chunk = items[start : start + CHUNK]
        if dialect.name == "sqlite" and _is_plain_json(column, chunk, dialect):
            done = session.execute(stmt.where(_json_in(column)), {_VALUES: json.dumps(chunk)})
        else:
            done = session.execute(stmt.where(in_list(session, column, chunk)))
        rows += done.all()
    return rows


@functools.lru_cache(maxsize=512)
def _json_in(column: Any) -> Any:
    """`column IN (SELECT value FROM json_each(:saylau_in_values))`, one object per column."""
    return column.in_(_json_values(bindparam(_VALUES, type_=String)))


def _json_values(param: Any) -> Any:
    # json_each's `value` has no affinity: the values compare as the JSON gives them.
    return select(func.json_each(param).table_valued("value").c.value)


def _is_plain_json(column: Any, items: list[Any], dialect: Any) -> bool:
    """Whether `items` find on SQLite through json_each the rows they find as parameters: all
    integers for an integer column, or all strings for a string column, of a type that
    converts nothing. (json_each's values have no affinity, and the column's is not applied to
    them as it is to an IN list's parameters: '5' would not find 5.) Subclasses (booleans,
    enums) take the plain IN."""
    kind = _json_kind(column, dialect)
    return kind is not None and set(map(type, items)) <= {kind}


@functools.lru_cache(maxsize=512)
def _json_kind(column: Any, dialect: Any) -> type | None:
    """int or str: the values a column's type takes as JSON, unconverted; else None."""
    kind = column.type
    if kind.dialect_impl(dialect).bind_processor(dialect) is not None:
        return None
    if isinstance(kind, Integer):
        return int
    if isinstance(kind, String):
        return str
    return None


def insert_rows(session: Session, table: Table | Any, rows: Sequence[dict[str, Any]]) -> None:
    """Insert `rows` into `table` with one executemany (no ids returned). No rows, no statement."""
    if rows and not _driver_insert(session, table_of_any(table), rows):
        session.execute(insert(table_of_any(table)), list(rows))


def table_of_any(table: Table | Any) -> Table:
    """The Core table of a table or a mapped class."""
    return cast(Table, table if isinstance(table, Table) else table.__table__)


def _driver_insert(session: Session, tbl: Table, rows: Sequence[dict[str, Any]]) -> bool:
    """Insert `rows` by one executemany straight to the SQLite driver, each value passed through
    its column type's bind processor as SQLAlchemy would (and a scalar default for a column
    left out): SQLAlchemy's own executemany builds the parameters row by row in Python, which
    at national scale costs more than SQLite's insert. False (nothing done) where that does not
    apply: another backend, rows of different shapes, or a default that is not a constant."""
    conn = session.connection()
    dialect = conn.dialect
    if dialect.driver != "pysqlite" or dialect.paramstyle != "qmark":
        return False
    names = list(rows[0])
    given = set(names)
    if any(len(r) != len(names) or r.keys() != given for r in rows):
        return False
    defaults: dict[str, Any] = {}
    for column in tbl.columns:
        if column.name in given or column.default is None:
            continue
        if not column.default.is_scalar:
            return False
        defaults[column.name] = column.default.arg  # type: ignore[attr-defined]
    columns = [*names, *defaults]
    values: list[list[Any]] = [[r[n] for r in rows] for n in names]
    values += [[value] * len(rows) for value in defaults.values()]
    params = _processed(tbl, dialect, columns, values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"INSERT INTO {quote(tbl.name)} ({', '.join(map(quote, columns))})"
        f" VALUES ({', '.join('?' * len(columns))})"
    )
    session.flush()  # rows of mapped objects still pending go first, as with an ORM insert
    conn.exec_driver_sql(sql, params)
    return True


def _processed(
    tbl: Table, dialect: Any, columns: Sequence[str], values: list[list[Any]]
) -> list[tuple[Any, ...]]:
    """The driver's parameter rows from `values` (one list per column of `columns`), each
    value through its column type's bind processor. Column by column: each processor runs
    over its column with map, then the rows are zipped."""
    for i, name in enumerate(columns):
        process = tbl.c[name].type.dialect_impl(dialect).bind_processor(dialect)
        if process is not None:
            values[i] = list(map(process, values[i]))
    return list(zip(*values, strict=True))


def update_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, key: str = "id"
) -> None:
    """One executemany UPDATE of `table`: each row gives the `key` value of the row to change
    under "b_id" and the columns to set under their names (every row the same columns).
    No rows, no statement (an empty executemany is an error). On SQLite the rows go straight
    to the driver, as with `insert_rows`."""
    if rows and not _driver_update(session, table, rows, key):
        session.execute(update(table).where(table.c[key] == bindparam("b_id")), list(rows))


def _driver_update(session: Session, tbl: Table, rows: Sequence[dict[str, Any]], key: str) -> bool:
    """`update_rows` by one executemany straight to the SQLite driver, each value through its
    column type's bind processor, as `_driver_insert` does. False (nothing done) on another
    backend or for rows of different shapes; a table with a column updated by default
    (`onupdate`) goes through SQLAlchemy too."""
    conn = session.connection()
    dialect = conn.dialect
    if dialect.driver != "pysqlite" or dialect.paramstyle != "qmark":
        return False
    names = [n for n in rows[0] if n != "b_id"]
    given = {*names, "b_id"}
    if (
        not names
        or "b_id" not in rows[0]
        or any(len(r) != len(given) or r.keys() != given for r in rows)
    ):
        return False
    if any(c.onupdate is not None or c.server_onupdate is not None for c in tbl.columns):
        return False
    values = [[r[n] for r in rows] for n in [*names, "b_id"]]
    params = _processed(tbl, dialect, [*names, key], values)
    quote = dialect.identifier_preparer.quote
    sql = (
        f"UPDATE {quote(tbl.name)} SET {', '.join(f'{quote(n)} = ?' for n in names)}"
        f" WHERE {quote(key)} = ?"
    )
    session.flush()  # pending changes of mapped objects go first, as SQLAlchemy's autoflush
    conn.exec_driver_sql(sql, params)
    return True
