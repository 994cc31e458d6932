"""Bring a database to the newest schema with the Alembic migrations packaged with saylau."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.engine import Connection

SCRIPT_LOCATION = "saylau.db:migrations"
_MIGRATION_LOCK = 0x5A41_1A00  # any constant; names saylau's migration lock in pg_locks


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration, built in code: no alembic.ini is needed at run time."""
    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def head_revisions() -> tuple[str, ...]:
    return tuple(ScriptDirectory.from_config(alembic_config()).get_heads())


def current_revisions(connection: Connection) -> tuple[str, ...]:
    return tuple(MigrationContext.configure(connection).get_current_heads())


def is_current(engine: Engine) -> bool:
    with engine.connect() as conn:
        return set(current_revisions(conn)) == set(head_revisions())


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Apply the missing migrations; returns whether anything was applied (cheap when not)."""
    if revision == "head" and is_current(engine):
        return False
    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a new database at once: the second waits, then finds it
            # current. (On SQLite the first DDL statement takes the write lock.)
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            if revision == "head" and set(current_revisions(conn)) == set(head_revisions()):
                return False
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return True
