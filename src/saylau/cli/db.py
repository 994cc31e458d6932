"""`saylau db upgrade`, and what every database command shares: the --db and --json options,
opening a session on an up-to-date schema, reporting a refusal with its exit code, and printing
JSON (signing in is cli/auth.py's).

Heavy imports (SQLAlchemy, services) happen inside functions so that `saylau --help` is fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from saylau.cli.main import app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saylau.services.errors import ServiceError

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db",
        help="Database URL (default: SAYLAU_DATABASE_URL, else sqlite:///saylau.db).",
        show_default=False,
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON for scripts.")]

EXIT_REFUSED = 1
EXIT_BAD_INPUT = 2

db_app = typer.Typer(help="The database: bring its schema up to date.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@contextmanager
def open_session(url: str | None) -> Iterator[Session]:
    """A session on the database at `url`, migrated to the newest schema first."""
    from sqlalchemy.exc import ArgumentError, OperationalError

    from saylau.db.engine import database_url, make_engine, make_session_factory
    from saylau.db.migrate import upgrade

    try:
        engine = make_engine(url)
    except ArgumentError:
        sys.stderr.write(
            "error: --db (or SAYLAU_DATABASE_URL) is not a database URL; expected e.g."
            " sqlite:///saylau.db or postgresql://user@host:5432/name\n"
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        try:
            upgrade(engine)
        except OperationalError as error:
            # The server is down, the database does not exist, the file cannot be written.
            reason = str(error.orig).strip().splitlines()[-1] if error.orig else str(error)
            where = hide_password(database_url(url))
            sys.stderr.write(f"error: cannot open the database {where}: {reason}\n")
            raise typer.Exit(EXIT_REFUSED) from None
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def fail(error: ServiceError, *, as_json: bool = False) -> NoReturn:
    """Report a refusal (stderr; JSON on stdout too with --json) and exit: 2 for bad input,
    1 for anything else the services refuse."""
    from saylau.services.errors import InvalidInput

    sys.stderr.write(f"error: {error}\n")
    if as_json:
        payload = {
            "error": error.code,
            "message": error.message,
            "problems": [
                {"code": p.code, "where": p.where, "message": p.message, "numbers": dict(p.numbers)}
                for p in error.problems
            ],
        }
        print_json(payload)
    raise typer.Exit(EXIT_BAD_INPUT if isinstance(error, InvalidInput) else EXIT_REFUSED)


def _plain(value: Any) -> Any:
    from saylau.rules.decide import Decision
    from saylau.rules.decisions import decision_json

    if isinstance(value, Decision):
        return decision_json(value)
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict) or hasattr(value, "items"):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def print_json(value: Any) -> None:
    sys.stdout.write(json.dumps(_plain(value), ensure_ascii=False, indent=2) + "\n")


@contextmanager
def service_call(db: str | None, as_json: bool) -> Iterator[Session]:
    """A session for one command; a service refusal becomes its message and exit code."""
    from saylau.services.errors import ServiceError

    try:
        with open_session(db) as session:
            yield session
    except ServiceError as error:
        fail(error, as_json=as_json)


@db_app.command("upgrade")
def upgrade_command(db: DbOption = None) -> None:
    """Apply the missing schema migrations (the other commands do it when they open a database)."""
    from saylau.db.engine import database_url, make_engine
    from saylau.db.migrate import head_revisions, upgrade

    engine = make_engine(db)
    try:
        applied = upgrade(engine)
    finally:
        engine.dispose()
    heads = ", ".join(head_revisions())
    state = "upgraded to" if applied else "already at"
    sys.stdout.write(f"{hide_password(database_url(db))}: {state} {heads}\n")


def hide_password(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)
