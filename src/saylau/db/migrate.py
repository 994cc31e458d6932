"""Bring a database to the newest schema with the Alembic migrations packaged with saylau.

Opening a database that is already at the newest schema is the common case and costs one query:
the head revision is read from the migration files' `revision`/`down_revision` lines and
compared with the `alembic_version` table, without importing Alembic (which brings Mako,
Pygments and the script machinery). Alembic runs only when the database is behind or new.
"""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

SCRIPT_LOCATION = "saylau.db:migrations"
VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_MIGRATION_LOCK = 0x5A41_1A00  # any constant; names saylau's migration lock in pg_locks


def alembic_config(url: str | None = None) -> Config:
    """The Alembic configuration, built in code: no alembic.ini is needed at run time."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", SCRIPT_LOCATION)
    if url:
        config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


@cache
def head_revisions() -> tuple[str, ...]:
    """The revisions no migration builds on, read from the migration files (sorted)."""
    revisions: set[str] = set()
    below: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        values = _module_strings(path)
        if "revision" in values:
            revisions.update(values["revision"])
            below.update(values.get("down_revision", ()))
    return tuple(sorted(revisions - below))


def _module_strings(path: Path) -> dict[str, tuple[str, ...]]:
    """The string constants bound at the top level of a migration file, by name: `revision`
    and `down_revision` (a string, None, or a tuple of strings for a merge)."""
    found: dict[str, tuple[str, ...]] = {}
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            name, value = node.target.id, node.value
        elif (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
        ):
            name, value = node.targets[0].id, node.value
        else:
            continue
        if name in ("revision", "down_revision") and value is not None:
            constant = ast.literal_eval(value)
            if isinstance(constant, str):
                found[name] = (constant,)
            elif isinstance(constant, tuple | list):
                found[name] = tuple(str(item) for item in constant)
    return found


def current_revisions(connection: Connection) -> tuple[str, ...]:
    """The revisions the database records (sorted); () for a database never migrated."""
    try:
        with connection.begin_nested() if connection.in_transaction() else connection.begin():
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except DBAPIError:
        return ()  # no alembic_version table yet
    return tuple(sorted(row[0] for row in rows))


def is_current(engine: Engine) -> bool:
    with engine.connect() as conn:
        return current_revisions(conn) == head_revisions()


def upgrade(engine: Engine, revision: str = "head") -> bool:
    """Apply the missing migrations; returns whether anything was applied (one query when not)."""
    if revision == "head" and is_current(engine):
        return False
    from alembic import command

    config = alembic_config()
    with engine.begin() as conn:
        if conn.dialect.name == "postgresql":
            # Two processes opening a new database at once: the second waits, then finds it
            # current. (On SQLite the first DDL statement takes the write lock.)
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_MIGRATION_LOCK})")
            if revision == "head" and current_revisions(conn) == head_revisions():
                return False
        config.attributes["connection"] = conn
        command.upgrade(config, revision)
    return True
