"""What every command shares: the --db, --json, --event and --on options; opening a session on
an up-to-date schema; reporting a refusal with its exit code (in the command's language); printing
JSON, tables and messages; reading a JSON input file through the input layer (docs/input.md).
Signing in is cli/auth.py's; the language of the output is cli/language.py's.

Heavy imports (SQLAlchemy, services, Rich) happen inside functions so that `saylau --help` is fast.
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum, StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer

from saylau.cli.language import ENGLISH, _, current_context, current_language, label, say_error

if TYPE_CHECKING:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from sqlalchemy.orm import Session

    from saylau.domain.election import EventId
    from saylau.rules.errors import InputError
    from saylau.services.errors import InvalidInput, ServiceError

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
        say_error(
            _(
                "--db (or SAYLAU_DATABASE_URL) is not a database URL; expected e.g."
                " sqlite:///saylau.db or postgresql://user@host:5432/name"
            )
        )
        raise typer.Exit(EXIT_BAD_INPUT) from None
    try:
        try:
            upgrade(engine)
        except OperationalError as error:
            # The server is down, the database does not exist, the file cannot be written.
            reason = str(error.orig).strip().splitlines()[-1] if error.orig else str(error)
            where = hide_password(database_url(url))
            say_error(
                _("cannot open the database %(url)s: %(reason)s") % {"url": where, "reason": reason}
            )
            raise typer.Exit(EXIT_REFUSED) from None
        with make_session_factory(engine)() as session:
            yield session
    finally:
        engine.dispose()


def fail(error: ServiceError, *, as_json: bool = False) -> NoReturn:
    """Report a refusal (stderr; JSON on stdout too with --json) and exit: 2 for bad input,
    1 for anything else the services refuse."""
    from saylau.i18n.problems import refusal_text
    from saylau.services.errors import InvalidInput, refusal_json

    lang = current_language()
    # The refusal in the command's language (the payload below stays the services' English).
    say_error(str(error) if lang == ENGLISH else refusal_text(error, lang))
    if as_json:
        print_json(refusal_json(error.code, error.message, error.problems))
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
    from sqlalchemy.exc import OperationalError

    from saylau.services.errors import ServiceError

    _check_options(as_json)
    try:
        with open_session(db) as session:
            yield session
    except ServiceError as error:
        fail(error, as_json=as_json)
    except OperationalError as error:
        if not is_busy(error):
            raise
        fail(busy_error(), as_json=as_json)


def _check_options(as_json: bool) -> None:
    """Refuse a command whose text options or arguments hold control characters (a NUL is a
    lookup that fails on SQLite but an error on PostgreSQL), before any database is opened."""
    from saylau.domain.limits import REASON
    from saylau.rules.input import text_problem
    from saylau.services.errors import InvalidInput

    ctx = current_context()
    if ctx is None:
        return
    flags = {p.name: p.opts[0] for p in ctx.command.params if p.opts}
    for name, value in ctx.params.items():
        for text in value if isinstance(value, list | tuple) else [value]:
            if isinstance(text, str) and (problem := text_problem(text, REASON)):
                fail(InvalidInput(f"{flags.get(name, name)}: {problem}"), as_json=as_json)


def is_busy(error: Exception) -> bool:
    """Whether a database error means another writer held the lock past the timeout."""
    orig = getattr(error, "orig", None)
    text = str(orig or error)
    return "database is locked" in text or type(orig).__name__ == "LockNotAvailable"


def busy_error() -> ServiceError:
    from saylau.db.engine import lock_timeout
    from saylau.services.errors import Conflict

    return Conflict(
        f"database busy, try again: another writer held it for more than {lock_timeout():g} s"
        " (SAYLAU_DB_TIMEOUT); nothing was stored"
    )


def hide_password(url: str) -> str:
    from sqlalchemy import make_url

    return make_url(url).render_as_string(hide_password=True)


EventOption = Annotated[
    str | None,
    typer.Option(
        "--event",
        help=(
            "Election event id or name (default: SAYLAU_EVENT, else the latest event that"
            " is not a repeat election)."
        ),
        envvar="SAYLAU_EVENT",
        show_default=False,
    ),
]
AnyEventOption = Annotated[
    str | None,
    typer.Option(
        "--event",
        help="Only this election event (id or name; default: every event).",
        show_default=False,
    ),
]


class Lang(StrEnum):
    """The languages a document is written in (saylau.i18n.LANGUAGES)."""

    KK = "kk"
    RU = "ru"
    EN = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="Language of the document.")]
OutputOption = Annotated[
    Path | None,
    typer.Option("-o", "--output", help="File to write.", show_default=False),
]
OnOption = Annotated[
    str | None,
    typer.Option(
        "--on", help="The day this happens, YYYY-MM-DD (default: today).", show_default=False
    ),
]


def parse_day(text: str | None, what: str = "--on") -> date:
    from saylau.rules.input import Fields

    if text is None:
        return date.today()
    day = Fields().day(text, what)  # YYYY-MM-DD only (fromisoformat alone takes 2013-W28-3)
    if day is None:
        say_error(
            _("%(option)s: %(text)r is not a date YYYY-MM-DD") % {"option": what, "text": text}
        )
        raise typer.Exit(2)
    return day


def now() -> datetime:
    return datetime.now(UTC)


AtOption = Annotated[
    str | None,
    typer.Option(
        "--at",
        help="When this happens, YYYY-MM-DDTHH:MM[:SS] in UTC, or with an offset such as"
        " +06:00 (default: now).",
        show_default=False,
    ),
]
_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?(Z|[+-]\d{2}:\d{2})?", re.ASCII)


def parse_time(text: str | None, what: str = "--at") -> datetime:
    """A moment given on the command line (a time without offset is UTC); none: now."""
    if text is None:
        return now()
    try:
        if not _TIME.fullmatch(text):
            raise ValueError(text)
        at = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        sys.stderr.write(f"error: {what}: {text!r} is not a time YYYY-MM-DDTHH:MM[:SS][+HH:MM]\n")
        raise typer.Exit(2) from None
    return at if at.tzinfo else at.replace(tzinfo=UTC)


def utc_time(at: datetime) -> str:
    """A stored moment as shown: minutes, in UTC."""
    return f"{at.astimezone(UTC):%Y-%m-%d %H:%M} UTC"


def read_json(path: Path) -> Any:
    """A JSON input file (or stdin for -), read by the input layer's strict reader
    (docs/input.md): too large, not UTF-8, duplicate keys or too deep exit 2 with one line."""
    from saylau.rules.input import load_json

    return _read_input(path, load_json)


def read_text(path: Path) -> str:
    """A text input file (or stdin for -), e.g. CSV: too large or not UTF-8 exits 2 with one
    line (docs/input.md)."""
    return str(_read_input(path, lambda text: text))


def _read_input(path: Path, parse: Callable[[str], Any]) -> Any:
    from saylau.domain.limits import MAX_FILE_BYTES
    from saylau.rules.errors import InputError
    from saylau.rules.input import decode_text

    try:
        if str(path) == "-":
            raw = sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
        else:
            with path.open("rb") as f:
                raw = f.read(MAX_FILE_BYTES + 1)
        return parse(decode_text(raw))
    except FileNotFoundError:
        message = _("no file %(path)s") % {"path": path}
    except OSError as e:
        message = _("%(path)s: cannot be read (%(reason)s)") % {"path": path, "reason": e.strerror}
    except InputError as e:
        message = f"{path}: {e.path}: {e.message}" if e.path else f"{path}: {e.message}"
    say_error(message)
    raise typer.Exit(2)


def input_refused(error: InputError, what: str) -> InvalidInput:
    """The input layer's refusal of a file as the services' InvalidInput: one problem per
    bad field, each named by its JSON path."""
    from saylau.rules.input import InputErrors
    from saylau.services.errors import InvalidInput, Problem

    errors = error.errors if isinstance(error, InputErrors) else (error,)
    return InvalidInput(
        f"{len(errors)} problem(s) in the {what}; nothing was stored",
        problems=[Problem("bad_value", e.message, e.path) for e in errors],
    )


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


def print_candidates(people: list[Any], *, with_post: bool = False) -> None:
    """Nominees and candidates; `with_post` adds the post they stand for."""
    from saylau.domain.election import NominatorKind
    from saylau.domain.structure import Sex

    columns = [
        _("nomination"),
        _("name"),
        _("sex"),
        _("born"),
        _("nominated by"),
        _("incumbent"),
        _("status"),
    ]
    yes = _("yes")
    table(
        _("candidates"),
        ([_("post")] if with_post else []) + columns,
        [
            ([f"{c.post_name} ({c.post_kato})"] if with_post else [])
            + [
                c.nomination_id,
                c.full_name,
                label(Sex(c.sex)),
                c.birth_date,
                f"{label(NominatorKind(c.nominated_by))}: {c.nominator}"
                if c.nominator
                else label(NominatorKind(c.nominated_by)),
                yes if c.is_incumbent else "",
                label(c.status) + (f" ({c.refusal_reason})" if c.refusal_reason else ""),
            ]
            for c in people
        ],
    )


def read_private_key(path: Path) -> Ed25519PrivateKey:
    """The key in `path`; a clear error (exit 2) when it cannot be read or is no Ed25519 key."""
    from saylau.audit.checkpoint import load_private_key
    from saylau.services.errors import InvalidInput

    try:
        return load_private_key(path.read_bytes())
    except OSError as error:
        raise InvalidInput(f"--key {path}: {error.strerror or error}") from None
    except ValueError as error:
        raise InvalidInput(f"--key {path}: {error}") from None
