"""Engine and session set-up: SQLite file by default, PostgreSQL through SAYLAU_DATABASE_URL."""

from __future__ import annotations

import os
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_URL = "sqlite:///saylau.db"


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
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def make_engine(url: str | None = None, **kwargs: Any) -> Engine:
    """An engine for `url` (see `database_url`), with foreign keys enforced on SQLite."""
    engine = create_engine(_normalise(database_url(url)), **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(bind=engine, expire_on_commit=False)
