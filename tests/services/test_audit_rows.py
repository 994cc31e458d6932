"""read_rows (services/audit/rows.py): the rows the audit states are built from, read through the
driver, must be exactly what a Core select gives — values and their types — on both backends."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

import pytest
from election_fixtures import Uralsk, create_event
from sqlalchemy import Table, event, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.tables.accounts import UserRow
from saylau.db.tables.election import ElectionEventRow, VotingDayRow
from saylau.db.tables.structure import TerritoryRow
from saylau.services.audit import rows as rows_module
from saylau.services.audit.rows import read_rows

CREATED = datetime(2013, 7, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def events(session: Session, uralsk: Uralsk) -> list[int]:
    # Two events with the same rule set, calendar and voting days: equal raw values in rows.
    ids = [create_event(session), create_event(session, name="Akim elections 2013, repeat")]
    session.add_all(
        UserRow(
            name=f"user{n}", display_name=f"User {n}", role="cec_admin", is_enabled=n % 2 == 0,
            password_hash=None if n == 1 else f"hash{n}", created_at=CREATED,
        )
        for n in range(4)
    )  # fmt: skip
    session.commit()
    return ids


def _typed(rows: Any) -> list[tuple[tuple[object, str], ...]]:
    return [tuple((v, type(v).__name__) for v in row) for row in rows]


@contextmanager
def _statements(session: Session) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:  # type: ignore[no-untyped-def]
        seen.append(statement)

    engine = session.get_bind()
    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


@pytest.mark.parametrize("row", [ElectionEventRow, VotingDayRow, UserRow, TerritoryRow])
def test_rows_are_what_a_core_select_gives(session: Session, events: list[int], row: Any) -> None:
    tbl: Table = table_of(row)
    columns = list(tbl.columns)
    expected = session.execute(select(tbl).order_by(tbl.c.id)).all()
    assert len(expected) >= 2
    got = read_rows(session=session, columns=columns, order_by=tbl.c.id)
    assert _typed(got) == _typed(expected)
    some = [r.id for r in expected[::2]]
    got = read_rows(session=session, columns=columns, key=tbl.c.id, values=some, order_by=tbl.c.id)
    assert _typed(got) == _typed(expected[::2])


def test_json_values_are_never_shared_between_rows(session: Session, events: list[int]) -> None:
    ev = table_of(ElectionEventRow)
    first, second = read_rows(session=session, columns=[ev.c.rule_set], key=ev.c.id, values=events)
    assert first[0] == second[0]
    assert first[0] is not second[0]


def test_long_id_lists_are_read_in_chunks(
    session: Session, events: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(rows_module, "CHUNK", 2)
    t = table_of(TerritoryRow)
    ids = list(session.scalars(select(t.c.id).order_by(t.c.id)))
    assert len(ids) >= 5
    with _statements(session) as seen:
        got = read_rows(
            session=session, columns=[t.c.id, t.c.kato], key=t.c.id, values=[*ids, ids[0]]
        )
    assert sorted(r[0] for r in got) == ids  # each id once, though given twice
    assert len(seen) == (len(ids) + 1) // 2


def test_no_values_no_statement(session: Session, events: list[int]) -> None:
    t = table_of(TerritoryRow)
    with _statements(session) as seen:
        assert list(read_rows(session=session, columns=[t.c.id], key=t.c.id, values=[])) == []
    assert seen == []


def test_pending_rows_are_flushed_first(session: Session, events: list[int]) -> None:
    session.add(TerritoryRow(kato="279999999", kind="region", name_ru="Новая"))
    t = table_of(TerritoryRow)
    assert ("279999999",) in read_rows(session=session, columns=[t.c.kato])
