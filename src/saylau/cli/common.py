"""What every command shares: the --db, --json, --event and --on options; opening a session on
an up-to-date schema; reporting a refusal with its exit code; printing JSON, tables and messages;
reading a JSON file; and the fields of input files read by several commands (signing in is
cli/auth.py's).

Heavy imports (SQLAlchemy, services, Rich) happen inside functions so that `saylau --help` is fast.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saylau.domain.election import EventId
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


def hide_password(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


EventOption = Annotated[
    str | None,
    typer.Option(
        "--event",
        help="Election event id or name (default: SAYLAU_EVENT, else the latest event).",
        envvar="SAYLAU_EVENT",
        show_default=False,
    ),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on", help="The day this happens, YYYY-MM-DD (default: today).", show_default=False
    ),
]


def parse_day(text: str | None, what: str = "--on") -> date:
    if text is None:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        sys.stderr.write(f"error: {what}: {text!r} is not a date YYYY-MM-DD\n")
        raise typer.Exit(2) from None


def now() -> datetime:
    return datetime.now(UTC)


def read_json(path: Path) -> Any:
    try:
        return json.loads(sys.stdin.read() if str(path) == "-" else path.read_text("utf-8"))
    except FileNotFoundError:
        message = f"no file {path}"
    except json.JSONDecodeError as e:
        message = f"{path}: line {e.lineno}, column {e.colno}: not valid JSON ({e.msg})"
    except (OSError, UnicodeDecodeError) as e:
        message = f"{path}: cannot be read ({e})"
    sys.stderr.write(f"error: {message}\n")
    raise typer.Exit(2)


def event_id_of(session: Session, ref: str | None) -> EventId:
    from saylau.services import events, resolve

    if ref is None:
        return events.latest_event(session=session)
    return resolve.find_event(session=session, ref=ref)


def table(title: str, columns: list[str], rows: list[list[Any]]) -> None:
    from rich.console import Console
    from rich.table import Table

    t = Table(title=title)
    for c in columns:
        t.add_column(c)
    for r in rows:
        t.add_row(*["" if v is None else str(v) for v in r])
    Console().print(t)


def say(text: str) -> None:
    from rich.console import Console

    # Soft wrap: a message stays one line when piped (the terminal wraps it on screen).
    Console().print(text, highlight=False, soft_wrap=True)


def date_field(value: Any, where: str) -> date:
    """A date read from an input file; a refusal names the field and the expected form."""
    from saylau.services.errors import InvalidInput

    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(f"{where}: {value!r} is not a date YYYY-MM-DD") from None


def count_field(value: Any, where: str) -> int:
    from saylau.services.errors import InvalidInput

    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        got = json.dumps(value, ensure_ascii=False)
        raise InvalidInput(f"{where}: expected a whole number ≥ 0, got {got}")
    return value


def print_candidates(people: list[Any], *, with_post: bool = False) -> None:
    """Nominees and candidates; `with_post` adds the post they stand for."""
    columns = ["nomination", "name", "sex", "born", "nominated by", "incumbent", "status"]
    table(
        "candidates",
        (["post"] if with_post else []) + columns,
        [
            ([f"{c.post_name} ({c.post_kato})"] if with_post else [])
            + [
                c.nomination_id,
                c.full_name,
                c.sex,
                c.birth_date,
                f"{c.nominated_by}: {c.nominator}" if c.nominator else c.nominated_by,
                "yes" if c.is_incumbent else "",
                c.status.value + (f" ({c.refusal_reason})" if c.refusal_reason else ""),
            ]
            for c in people
        ],
    )
