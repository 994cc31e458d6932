"""The rows audit states are built from, read as plain tuples: the state loaders run for every
audit append (some 32,000 objects a national cycle, many read several times) and for verify."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Boolean, Column, Date, DateTime, Integer, String, Time, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session

from saylau.db.bulk import CHUNK  # values per IN list

# A column of these types reads as an immutable value (str, int, bool, date, datetime, time),
# so one converted value may serve every row that holds the same raw value. Any other type
# (JSON above all: a decoded dict must never be shared between rows) is converted row by row.
_IMMUTABLE = (Boolean, Date, DateTime, Integer, String, Time)

Processor = Callable[[Any], Any] | None
_processors: WeakKeyDictionary[Dialect, dict[tuple[Column[Any], object], Processor]] = (
    WeakKeyDictionary()
)


def read_rows(
    *,
    session: Session,
    columns: Sequence[Column[Any]],
    key: Column[Any] | None = None,
    values: Sequence[object] | None = None,
    order_by: Column[Any] | None = None,
) -> Iterator[tuple[Any, ...]]:
    """`SELECT columns FROM their table [WHERE key IN values] [ORDER BY order_by]`, each value
    converted by its column type's result processor, exactly as a Core `select` gives it.

    The statement goes to the driver through `exec_driver_sql` (statement events still see it),
    not through SQLAlchemy's compiler and row processing: per row and column that costs more
    than SQLite's read. Each distinct raw value of an immutable column is converted once.
    `values=None` reads every row; an empty `values`, none (and no statement). The rows are
    all read when this returns; they are handed out one by one (an iterator), so that a caller
    building one dict per row does not hold a second list of every row meanwhile.
    """
    if session.autoflush:
        session.flush()  # pending rows first, as a query through the session would
    conn = session.connection()
    dialect = conn.dialect
    quote = dialect.identifier_preparer.quote
    sql = f"SELECT {', '.join(quote(c.name) for c in columns)} FROM {quote(columns[0].table.name)}"
    order = f" ORDER BY {quote(order_by.name)}" if order_by is not None else ""
    statements: list[tuple[str, tuple[Any, ...]]] = []
    if values is None:
        statements.append((sql + order, ()))
    else:
        if key is None:
            raise ValueError("values given without the key column they are values of")
        items = list(dict.fromkeys(values))
        where = f"{sql} WHERE {quote(key.name)}"
        marker = "?" if dialect.paramstyle == "qmark" else "%s"
        for start in range(0, len(items), CHUNK):
            chunk = tuple(items[start : start + CHUNK])
            if dialect.name == "postgresql":
                # One array parameter: the same statement text for every length.
                statements.append((f"{where} = ANY({marker}){order}", (list(chunk),)))
            else:
                markers = ", ".join([marker] * len(chunk))
                statements.append((f"{where} IN ({markers}){order}", chunk))
    raw: list[Any] = []
    description: Any = None
    for text, params in statements:
        result = conn.exec_driver_sql(text, params)
        try:
            # The driver's own rows: SQLAlchemy would only wrap each in a Row first.
            description = result.cursor.description
            raw += result.cursor.fetchall()
        finally:
            result.close()
    if not raw:
        return iter(())
    processors = [_processor(dialect, c, d[1]) for c, d in zip(columns, description, strict=True)]
    if not any(processors):
        return iter(raw)  # nothing to convert: the driver's tuples as they are
    converted: list[Sequence[Any]] = []
    for column, process, stored in zip(columns, processors, zip(*raw, strict=True), strict=True):
        if process is None:
            converted.append(stored)
        elif _is_immutable(column):
            once = {value: process(value) for value in set(stored)}
            converted.append(tuple(map(once.__getitem__, stored)))
        else:
            converted.append(tuple(map(process, stored)))
    del raw
    return zip(*converted, strict=True)


def _processor(dialect: Dialect, column: Column[Any], coltype: object) -> Processor:
    """The column type's result processor for `dialect` (what a Core select applies), made once."""
    memo = _processors.setdefault(dialect, {})
    try:
        return memo[(column, coltype)]
    except KeyError:
        process = column.type.dialect_impl(dialect).result_processor(dialect, coltype)
        memo[(column, coltype)] = process
        return process


def _is_immutable(column: Column[Any]) -> bool:
    kind = column.type
    return isinstance(kind.impl_instance if isinstance(kind, TypeDecorator) else kind, _IMMUTABLE)
