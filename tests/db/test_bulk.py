"""insert_ids: new ids come back row for row, after gaps and deletions, on every backend;
select_in: every matching row once, across IN-list chunks; update_rows: each row its own values."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import CHUNK, insert_ids, select_in, update_rows
from saylau.db.tables.election import PersonRow


def _people(prefix: str, n: int) -> list[dict[str, object]]:
    return [
        {"full_name": f"{prefix} {i}", "sex": "female", "birth_date": date(1970, 1, 1 + i % 28)}
        for i in range(n)
    ]


def test_ids_follow_the_rows_given(session: Session) -> None:
    with session.begin():
        first = insert_ids(session, PersonRow, _people("A", 2500))  # more than one page
        person = table_of(PersonRow)
        session.execute(delete(person).where(person.c.id.in_(first[100:200])))
        second = insert_ids(session, table_of(PersonRow), _people("B", 1200))
    assert len(first) == 2500 and len(second) == 1200
    assert len(set(first) | set(second)) == 3700
    names = {i: n for i, n in session.execute(select(PersonRow.id, PersonRow.full_name))}
    assert [names[i] for i in first[:100]] == [f"A {i}" for i in range(100)]
    assert [names[i] for i in first[200:]] == [f"A {i}" for i in range(200, 2500)]
    assert [names[i] for i in second] == [f"B {i}" for i in range(1200)]


def test_no_rows_no_ids(session: Session) -> None:
    assert insert_ids(session, PersonRow, []) == []


def test_select_in_finds_each_row_once_across_chunks(session: Session) -> None:
    with session.begin():
        ids = insert_ids(session, PersonRow, _people("C", CHUNK + 300))
    person = table_of(PersonRow)
    wanted = ids[::2] + ids[:10:2] + [max(ids) + 1]  # repeats and an id nobody has
    rows = select_in(session, select(person.c.id, person.c.full_name), person.c.id, wanted)
    assert len(rows) == len(ids[::2]) == (CHUNK + 300 + 1) // 2
    assert {r.id for r in rows} == set(ids[::2])
    assert {r.full_name for r in rows} == {f"C {i}" for i in range(0, CHUNK + 300, 2)}


def test_select_in_of_nothing_asks_nothing(session: Session) -> None:
    assert select_in(session, select(table_of(PersonRow)), table_of(PersonRow).c.id, []) == []


def test_update_rows_sets_each_row_its_values(session: Session) -> None:
    person = table_of(PersonRow)
    with session.begin():
        ids = insert_ids(session, PersonRow, _people("D", 3))
        update_rows(session, person, [{"b_id": i, "full_name": f"E {i}"} for i in ids[:2]])
        update_rows(session, person, [])
    names = dict(session.execute(select(person.c.id, person.c.full_name)).all())
    assert names == {ids[0]: f"E {ids[0]}", ids[1]: f"E {ids[1]}", ids[2]: "D 2"}
