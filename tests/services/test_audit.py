"""The audit log: chaining, digests, verification and what it names when rows change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from saylau.audit.chain import GENESIS_HASH, sha256_hex
from saylau.db.tables.audit import AuditEntryRow, AuditHeadRow
from saylau.db.tables.structure import TerritoryRow
from saylau.services import audit
from saylau.services.audit.states import OBJECT_TYPES
from saylau.services.audit.verify import verify_log
from saylau.services.transaction import transaction

AT = datetime(2013, 8, 7, 9, 30, tzinfo=UTC)


def _territories(session: Session, *katos: str) -> list[int]:
    rows = [TerritoryRow(kato=k, kind="region", name_ru=f"Область {k}") for k in katos]
    session.add_all(rows)
    session.flush()
    return [r.id for r in rows]


def test_entries_are_chained_from_genesis(session: Session) -> None:
    with transaction(session=session):
        ids = _territories(session, "110000000", "150000000")
        audit.record_many(
            session=session, actor="cli:test", action="territory.create", object_type="territory",
            object_ids=ids, at=AT,
        )  # fmt: skip
    with transaction(session=session):
        audit.record(
            session=session, actor="cli:test", action="territory.touch", object_type="territory",
            object_id=ids[0], at=AT,
        )  # fmt: skip
    entries = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all()
    assert [e.seq for e in entries] == [1, 2, 3]
    assert entries[0].prev_hash == GENESIS_HASH
    assert entries[1].prev_hash == entries[0].entry_hash
    assert entries[2].prev_hash == entries[1].entry_hash
    assert [e.object_id for e in entries] == [str(ids[0]), str(ids[1]), str(ids[0])]
    assert entries[0].state_digest == sha256_hex(entries[0].state)
    head = session.get(AuditHeadRow, 1)
    assert head is not None and (head.seq, head.entry_hash) == (3, entries[2].entry_hash)
    report = verify_log(session=session)
    assert (report.is_ok, report.num_entries, report.num_objects) == (True, 3, 2)


def test_entries_keep_odd_text_exactly(session: Session) -> None:
    # PostgreSQL takes entries by COPY: tabs, newlines, backslashes and non-ASCII text must
    # come back unchanged, in the transaction of the change.
    actor = 'secretary:\tЖақсылықова "А."\\N\n\r\\'
    with transaction(session=session):
        rows = [TerritoryRow(kato="110000000", kind="region", name_ru="Ақ\tмола\\\n")]
        session.add_all(rows)
        session.flush()
        audit.record(
            session=session, actor=actor, action="territory.create", object_type="territory",
            object_id=rows[0].id, at=AT,
        )  # fmt: skip
    entry = session.scalars(select(AuditEntryRow)).one()
    assert (entry.actor, entry.at, entry.seq) == (actor, AT, 1)
    assert '"name_ru":"Ақ\\tмола\\\\\\n"' in entry.state
    if session.get_bind().dialect.name == "sqlite":
        # The form sqlite3's datetime adapter stored before the batch made it once.
        stored = session.scalar(text("SELECT at FROM audit_entry"))
        assert stored == "2013-08-07 09:30:00+00:00"
    report = verify_log(session=session)
    assert (report.is_ok, report.num_entries) == (True, 1)


def test_rollback_leaves_no_entry(session: Session) -> None:
    with pytest.raises(RuntimeError), transaction(session=session):
        ids = _territories(session, "110000000")
        audit.record(
            session=session, actor="a", action="x", object_type="territory", object_id=ids[0]
        )
        raise RuntimeError("refused after recording")
    assert session.scalar(select(func.count()).select_from(AuditEntryRow)) == 0
    assert session.scalar(select(func.count()).select_from(TerritoryRow)) == 0


def test_unknown_object_type_is_refused(session: Session) -> None:
    with pytest.raises(LookupError, match="no state loader for object type 'ballot'"):
        audit.record(session=session, actor="a", action="x", object_type="ballot", object_id=1)


def test_raw_sql_change_is_named_by_verify(session: Session, engine: Engine) -> None:
    with transaction(session=session):
        ids = _territories(session, "110000000", "150000000", "190000000")
        audit.record_many(
            session=session,
            actor="a",
            action="territory.create",
            object_type="territory",
            object_ids=ids,
        )
    with engine.begin() as conn:
        conn.execute(text("UPDATE territory SET name_ru = 'Подлог' WHERE id = :id"), {"id": ids[1]})
    report = verify_log(session=session)
    assert not report.is_ok
    problem = report.first_problem
    assert problem is not None
    assert (problem.kind, problem.seq, problem.action) == ("state", 2, "territory.create")
    assert (problem.object_type, problem.object_id) == ("territory", str(ids[1]))
    assert problem.differences == ('name_ru: recorded "Область 150000000", stored "Подлог"',)
    assert len(report.problems) == 1


def test_tampered_entry_breaks_the_chain(session: Session, engine: Engine) -> None:
    with transaction(session=session):
        ids = _territories(session, "110000000", "150000000")
        audit.record_many(
            session=session, actor="a", action="c", object_type="territory", object_ids=ids
        )
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 1"))
    problem = verify_log(session=session).first_problem
    assert problem is not None
    assert (problem.kind, problem.seq) == ("chain", 1)
    assert "entry_hash" in problem.message


def test_removed_last_entry_is_seen_through_the_head(session: Session, engine: Engine) -> None:
    with transaction(session=session):
        ids = _territories(session, "110000000", "150000000")
        audit.record_many(
            session=session, actor="a", action="c", object_type="territory", object_ids=ids
        )
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE seq = 2"))
    kinds = {(p.kind, p.seq) for p in verify_log(session=session).problems}
    assert ("head", 2) in kinds
    assert ("unrecorded", None) in kinds


def test_row_inserted_behind_the_log_is_unrecorded(session: Session, engine: Engine) -> None:
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO territory (kato, kind, name_kk, name_ru, name_en) "
                          "VALUES ('110000000', 'region', '', '', '')"))  # fmt: skip
    report = verify_log(session=session)
    assert [(p.kind, p.object_type) for p in report.problems] == [("unrecorded", "territory")]


def test_concurrent_appends_never_fork_the_chain(database_url: str, engine: Engine) -> None:
    from concurrent.futures import ThreadPoolExecutor

    from saylau.db.engine import make_session_factory

    factory = make_session_factory(engine)

    def append(worker: int) -> None:
        for i in range(10):
            with factory() as s, transaction(session=s):
                (tid,) = _territories(s, f"{worker:02d}{i:07d}")
                audit.record(session=s, actor=f"w{worker}", action="c", object_type="territory",
                             object_id=tid)  # fmt: skip

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(append, range(4)))
    with factory() as s:
        seqs = s.scalars(select(AuditEntryRow.seq).order_by(AuditEntryRow.seq)).all()
        report = verify_log(session=s)
    assert seqs == list(range(1, 41))
    assert (report.is_ok, report.num_entries, report.num_objects) == (True, 40, 40)


def test_verify_reads_one_snapshot(
    session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from saylau.db.engine import make_session_factory

    with transaction(session=session):
        (tid,) = _territories(session, "110000000")
        audit.record(session=session, actor="a", action="c", object_type="territory", object_id=tid)
    armed = {"on": False}

    def probe(s: Session, ids: Sequence[str] | None) -> dict[str, Mapping[str, object]]:
        # While verify reads, another transaction commits a territory and its entry.
        if armed["on"]:
            armed["on"] = False
            with make_session_factory(engine)() as other, transaction(session=other):
                (new,) = _territories(other, "150000000")
                audit.record(
                    session=other, actor="b", action="c", object_type="territory", object_id=new
                )
        return {i: {"probe": 1} for i in ids or ["p1"]}

    monkeypatch.setitem(OBJECT_TYPES, "probe", probe)  # type: ignore[index]
    with transaction(session=session):
        audit.record(session=session, actor="a", action="c", object_type="probe", object_id="p1")
    session.close()
    armed["on"] = True
    report = verify_log(session=session)
    assert armed["on"] is False  # the concurrent write did happen during verify
    assert (report.is_ok, report.num_entries) == (True, 2)
    session.rollback()
    assert verify_log(session=session).num_entries == 3


def test_a_parallel_check_gives_the_same_report(
    session: Session, engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`saylau verify` checks the log in a forked child (services/audit/child.py) that reads
    the entries over its own connection: every kind of problem it finds must be reported as
    the serial check reports it."""
    from saylau.services.audit import verify
    from saylau.services.audit.child import start_in_child

    with transaction(session=session):
        ids = _territories(session, "110000000", "150000000", "190000000", "230000000")
        audit.record_many(
            session=session, actor="a", action="c", object_type="territory", object_ids=ids
        )
    with engine.begin() as conn:
        # A row changed behind the log; an entry's actor changed; an entry's state changed
        # together with its rows (the rows match the text, not the digest).
        conn.execute(text("UPDATE territory SET name_ru = 'Подлог' WHERE id = :id"), {"id": ids[1]})
        conn.execute(text("UPDATE audit_entry SET actor = 'someone else' WHERE seq = 1"))
        conn.execute(text("UPDATE territory SET name_ru = 'Тоже' WHERE id = :id"), {"id": ids[3]})
        state = conn.execute(text("SELECT state FROM audit_entry WHERE seq = 4")).scalar_one()
        conn.execute(
            text("UPDATE audit_entry SET state = :s WHERE seq = 4"),
            {"s": state.replace("Область 230000000", "Тоже")},
        )
    serial = verify_log(session=session)
    session.rollback()
    monkeypatch.setattr(verify, "PARALLEL_FROM", 0)
    started = []
    monkeypatch.setattr(
        verify, "start_in_child", lambda work: started.append(work) or start_in_child(work)
    )
    parallel = verify_log(session=session, parallel=True)
    assert len(started) == 1  # the child read the log over its own connection
    assert parallel == serial
    assert [(p.kind, p.seq) for p in serial.problems] == [
        ("chain", 1), ("state", 2), ("chain", 4), ("state", 4)
    ]  # fmt: skip


def test_work_in_a_child_runs_in_another_process_and_failures_are_raised_here() -> None:
    import os

    from saylau.services.audit.child import start_in_child

    assert start_in_child(os.getpid)() != os.getpid()

    def refuse() -> None:
        raise ValueError("refused in the child")

    with pytest.raises(ValueError, match="refused in the child"):
        start_in_child(refuse)()


def test_groups_of_several_actors_are_appended_in_order_as_one_append(
    session: Session, engine: Engine
) -> None:
    """record_groups (a day's signatures by many secretaries) writes the entries that one
    record_many per group would, group after group, under one take of the lock."""
    with transaction(session=session):
        ids = _territories(session, "110000000", "150000000", "190000000")
        audit.record_groups(
            session=session,
            groups=[
                audit.EntryGroup("user:2", "territory.create", "territory", [ids[1], ids[0]]),
                audit.EntryGroup("user:3", "territory.create", "territory", []),
                audit.EntryGroup("user:4", "territory.touch", "territory", [ids[2], ids[1]]),
            ],
            at=AT,
        )
    entries = session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all()
    assert [(e.seq, e.actor, e.action, e.object_id) for e in entries] == [
        (1, "user:2", "territory.create", str(ids[1])),
        (2, "user:2", "territory.create", str(ids[0])),
        (3, "user:4", "territory.touch", str(ids[2])),
        (4, "user:4", "territory.touch", str(ids[1])),
    ]
    assert entries[3].state == entries[0].state and {e.at for e in entries} == {AT}
    assert verify_log(session=session).is_ok
    with pytest.raises(LookupError, match="no stored territory with id 999"):
        audit.record_groups(
            session=session, groups=[audit.EntryGroup("a", "x", "territory", [999])]
        )
