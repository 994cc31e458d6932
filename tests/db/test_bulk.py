"""insert_ids: new ids come back row for row, after gaps and deletions, on every backend, and
insert_ids/insert_rows store what SQLAlchemy's insert stores; select_in: every matching row
once, across IN-list chunks, the rows a plain IN finds; update_rows: each row its own values."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import bindparam, delete, func, insert, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import CHUNK, in_list, insert_ids, insert_rows, select_in, update_rows
from saylau.db.tables.election import ElectionEventRow, PersonRow
from saylau.db.tables.structure import TerritoryRow
from saylau.domain.structure import Sex


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


def test_select_in_and_in_list_find_what_a_plain_in_finds(session: Session) -> None:
    """On SQLite the values go as one JSON parameter where they can (ints for an integer
    column, strings for a string one); the rows found are those of a plain IN, whatever the
    values' types (a digit string for an integer column, an enum member, ints for a string
    column: a plain IN list applies the column's affinity to each)."""
    with session.begin():
        people = [{**p, "iin": str(100_000_000_000 + i)} for i, p in enumerate(_people("D", 6))]
        ids = insert_ids(session, PersonRow, people)
    person = table_of(PersonRow)
    names = [f"D {i}" for i in range(6)]
    cases = [
        (person.c.id, [ids[0], ids[3]]),
        (person.c.full_name, ["D 1", "D 4", "nobody"]),
        (PersonRow.full_name, ["D 2"]),
        (person.c.sex, [Sex.FEMALE]),
        (person.c.sex, ["female", "male"]),
    ]
    if session.get_bind().dialect.name == "sqlite":  # PostgreSQL compares no int with text
        cases += [
            (person.c.id, [str(ids[1]), ids[2]]),
            (person.c.iin, [100_000_000_001, "100000000004"]),
        ]
    for column, values in cases:
        plain = {r.id for r in session.execute(select(person.c.id).where(column.in_(values)))}
        assert plain, (column, values)
        found = select_in(session, select(person.c.id), column, values)
        assert {r.id for r in found} == plain, (column, values)
        condition = in_list(session, column, values)
        assert {r.id for r in session.execute(select(person.c.id).where(condition))} == plain
    assert {
        r.full_name for r in select_in(session, select(person.c.full_name), person.c.id, ids[1:3])
    } == set(names[1:3])
    assert session.execute(select(person.c.id).where(in_list(session, person.c.id, []))).all() == []


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


def _events(prefix: str) -> list[dict[str, object]]:
    at = datetime(2013, 8, 5, 9, 30, 1, 250, tzinfo=timezone(timedelta(hours=6)))
    return [
        {
            "name": f"{prefix} {i}",
            "rule_set_name": None,
            "rule_set": {"quota": [1, 2], "b": {"x": None}, "a": "ə"},
            "nomination_opens": date(2013, 7, 1),
            "nomination_closes": date(2013, 7, 10),
            "registration_deadline": date(2013, 7, 20),
            "min_candidates": 2 + i,
            "eligibility": {"min_age": 25},
            "created_at": at,
        }
        for i in range(2)
    ]


def test_bulk_inserts_store_what_sqlalchemys_insert_stores(session: Session) -> None:
    """insert_ids and insert_rows (straight to the driver on SQLite) store every value, JSON,
    dates, UTC timestamps and the scalar defaults of columns left out, byte for byte as
    SQLAlchemy's own insert does."""
    event, territory = table_of(ElectionEventRow), table_of(TerritoryRow)
    with session.begin():
        fast = insert_ids(session, ElectionEventRow, _events("fast"))
        session.execute(insert(event), _events("slow"))
        insert_rows(session, TerritoryRow, [{"kato": "1", "kind": "region", "parent_id": None}])
        session.execute(insert(territory), [{"kato": "2", "kind": "region", "parent_id": None}])
        insert_rows(
            session,
            TerritoryRow,
            [{"kato": k, "kind": "region", "name_en": n} for k, n in (("3", "C"), ("4", "D"))],
        )
    columns = ", ".join(c.name for c in event.columns if c.name not in ("id", "name"))
    raw = session.connection().exec_driver_sql(
        f"SELECT name, {columns} FROM election_event ORDER BY name"
    )
    stored = {row[0]: tuple(row[1:]) for row in raw}
    assert stored["fast 0"] == stored["slow 0"] and stored["fast 1"] == stored["slow 1"]
    assert stored["fast 0"] != stored["fast 1"]  # min_candidates differ
    by_name = dict(session.execute(select(event.c.name, event.c.id)).all())
    assert fast == [by_name["fast 0"], by_name["fast 1"]]
    created = session.execute(select(event.c.created_at).where(event.c.id == fast[0])).scalar()
    assert created == datetime(2013, 8, 5, 3, 30, 1, 250, tzinfo=UTC)
    names = session.execute(
        select(territory.c.kato, territory.c.name_kk, territory.c.name_en).order_by("kato")
    ).all()
    expected = [("1", "", ""), ("2", "", ""), ("3", "", "C"), ("4", "", "D")]
    assert [tuple(r) for r in names] == expected


def test_insert_rows_of_nothing_inserts_nothing(session: Session) -> None:
    with session.begin():
        insert_rows(session, TerritoryRow, [])
    assert session.execute(select(func.count()).select_from(TerritoryRow)).scalar() == 0


def test_update_rows_stores_what_sqlalchemys_update_stores(session: Session) -> None:
    """update_rows (straight to the driver on SQLite) stores JSON, dates and UTC timestamps
    byte for byte as SQLAlchemy's own executemany UPDATE does."""
    event = table_of(ElectionEventRow)
    with session.begin():
        fast = insert_ids(session, ElectionEventRow, _events("fast"))
        slow = insert_ids(session, ElectionEventRow, _events("slow"))
        at = datetime(2013, 9, 1, 12, 0, 0, 5, tzinfo=timezone(timedelta(hours=5)))

        def changes(ids: list[int]) -> list[dict[str, object]]:
            return [
                {
                    "b_id": i,
                    "eligibility": {"min_age": 30 + n, "required_documents": ["ə", "b"]},
                    "registration_deadline": date(2013, 7, 21 + n),
                    "created_at": at + timedelta(days=n),
                }
                for n, i in enumerate(ids)
            ]

        update_rows(session, event, changes(fast))
        session.execute(event.update().where(event.c.id == bindparam("b_id")), changes(slow))
    columns = ", ".join(c.name for c in event.columns if c.name not in ("id", "name"))
    raw = session.connection().exec_driver_sql(
        f"SELECT name, {columns} FROM election_event ORDER BY name"
    )
    stored = {row[0]: tuple(row[1:]) for row in raw}
    assert stored["fast 0"] == stored["slow 0"] and stored["fast 1"] == stored["slow 1"]
    row = session.execute(select(event).where(event.c.id == fast[1])).one()
    assert row.eligibility == {"min_age": 31, "required_documents": ["ə", "b"]}
    assert row.registration_deadline == date(2013, 7, 22)
    assert row.created_at == datetime(2013, 9, 2, 7, 0, 0, 5, tzinfo=UTC)
