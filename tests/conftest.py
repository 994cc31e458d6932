"""Database fixtures: every test that asks for `engine`, `session` or `database_url` runs on
SQLite and, when SAYLAU_TEST_DATABASE_URL is set, on PostgreSQL too."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

import saylau.db.tables  # noqa: F401  (registers every table on Base.metadata)
from saylau.db.base import Base
from saylau.db.engine import make_engine, make_session_factory

POSTGRES_URL = os.environ.get("SAYLAU_TEST_DATABASE_URL")
BACKENDS = ["sqlite", "postgresql"] if POSTGRES_URL else ["sqlite"]


@pytest.fixture(scope="session")
def _postgres_engine() -> Iterator[Engine]:
    """One PostgreSQL engine per run; the schema is made once and emptied between tests."""
    assert POSTGRES_URL is not None
    engine = make_engine(POSTGRES_URL)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    yield engine
    engine.dispose()


def _truncate_all(engine: Engine) -> None:
    names = ", ".join(f'"{t.name}"' for t in Base.metadata.sorted_tables)
    if names:
        with engine.begin() as conn:
            conn.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The URL of an empty saylau database with the full schema."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'saylau.db'}"
        engine = make_engine(url)
        Base.metadata.create_all(engine)
        engine.dispose()
        yield url
    else:
        pg: Engine = request.getfixturevalue("_postgres_engine")
        _truncate_all(pg)
        assert POSTGRES_URL is not None
        yield POSTGRES_URL


@pytest.fixture
def engine(database_url: str) -> Iterator[Engine]:
    engine = make_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with make_session_factory(engine)() as session:
        yield session
