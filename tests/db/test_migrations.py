"""The migrations build exactly the schema the table modules declare, on both databases."""

from __future__ import annotations

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect, text

from saylau.db.engine import make_engine
from saylau.db.migrate import current_revisions, head_revisions, upgrade
from saylau.db.tables import Base


def test_upgrade_builds_the_declared_schema(empty_database_url: str) -> None:
    engine = make_engine(empty_database_url)
    try:
        assert upgrade(engine) is True
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, Base.metadata) == []
            assert current_revisions(conn) == head_revisions()
            head = conn.execute(text("SELECT id, seq, entry_hash FROM audit_head")).all()
        assert [tuple(r) for r in head] == [(1, 0, "0" * 64)]
        assert "0001_structure" in _all_revisions()
        # A second upgrade finds nothing to do.
        assert upgrade(engine) is False
        assert set(inspect(engine).get_table_names()) >= {"territory", "audit_entry", "post"}
    finally:
        engine.dispose()


def _all_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    from saylau.db.migrate import alembic_config

    return {s.revision for s in ScriptDirectory.from_config(alembic_config()).walk_revisions()}


def test_concurrent_first_upgrades_both_succeed(empty_database_url: str) -> None:
    from concurrent.futures import ThreadPoolExecutor

    if empty_database_url.startswith("sqlite"):
        pytest.skip("SQLite DDL is not transactional here: one process creates a new file")
    engines = [make_engine(empty_database_url) for _ in range(2)]
    try:
        with ThreadPoolExecutor(max_workers=2) as pool:
            applied = list(pool.map(upgrade, engines))
        assert sorted(applied) == [False, True]
        with engines[0].connect() as conn:
            assert current_revisions(conn) == head_revisions()
    finally:
        for engine in engines:
            engine.dispose()


def test_head_read_from_the_files_is_alembics_head() -> None:
    from alembic.script import ScriptDirectory

    from saylau.db.migrate import alembic_config

    alembic_heads = ScriptDirectory.from_config(alembic_config()).get_heads()
    assert head_revisions() == tuple(sorted(alembic_heads))
    assert len(head_revisions()) == 1


def test_a_new_database_has_no_revision_and_is_not_current(empty_database_url: str) -> None:
    from saylau.db.migrate import is_current

    engine = make_engine(empty_database_url)
    try:
        with engine.connect() as conn:
            assert current_revisions(conn) == ()
        assert is_current(engine) is False
        assert upgrade(engine) is True
        assert is_current(engine) is True
    finally:
        engine.dispose()
