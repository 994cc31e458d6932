"""insert_ids: new ids come back row for row, after gaps and deletions, on every backend."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from saylau.db.bulk import insert_ids
from saylau.db.tables.election import PersonRow, table_of


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
