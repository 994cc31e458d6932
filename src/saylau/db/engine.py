"""Engine and session set-up: SQLite file by default, PostgreSQL through SAYLAU_DATABASE_URL."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///saylau.db"
DEFAULT_TIMEOUT = 10.0  # seconds a writer waits for another writer's lock, then gives up


def lock_timeout() -> float:
    """Seconds a writer waits for a lock: SAYLAU_DB_TIMEOUT, else DEFAULT_TIMEOUT."""
    try:
        return max(0.0, float(os.environ.get("SAYLAU_DB_TIMEOUT", DEFAULT_TIMEOUT)))
    except ValueError:
        return DEFAULT_TIMEOUT


def database_url(url: str | None = None) -> str:
    """The URL to use: the one given, else SAYLAU_DATABASE_URL, else ./saylau.db."""
    return url or os.environ.get("SAYLAU_DATABASE_URL") or DEFAULT_URL


def _normalise(url: str) -> str:
    # Plain postgresql:// URLs mean psycopg 3, the driver saylau ships with.
    if url.startswith("postgresql://"):
        return "postgresql+psycopg://" + url.removeprefix("postgresql://")
    if url.startswith("postgres://"):
        return "postgresql+psycopg://" + url.removeprefix("postgres://")
    return url


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute(f"PRAGMA busy_timeout={int(lock_timeout() * 1000)}")
    cursor.close()


def _postgres_lock_timeout(dbapi_connection: Any, _record: Any) -> None:
    # Without it a writer waits for a row or table lock forever; with it, the same refusal
    # ("database busy, try again") as on SQLite.
    cursor = dbapi_connection.cursor()
    cursor.execute(f"SET lock_timeout = {int(lock_timeout() * 1000)}")
    cursor.close()
    dbapi_connection.commit()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` (see `database_url`), with foreign keys enforced on SQLite."""
    engine = create_engine(_normalise(database_url(url)), **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "connect", _postgres_lock_timeout)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
