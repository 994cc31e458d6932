"""`saylau event create|show|list` and `saylau contest show|list`, plus what the election-flow
commands share: the --event and --on options, dates, and printing JSON or Rich tables."""

from __future__ import annotations

import json
import sys
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from saylau.cli.auth import AsOption, authenticate
from saylau.cli.db import (
    DbOption,
    JsonOption,
    print_json,
    service_call,
)
from saylau.cli.main import app

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

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

event_app = typer.Typer(help="Election events: rule set, calendar, posts.", no_args_is_help=True)
contest_app = typer.Typer(help="Contests (one per post) and their results.", no_args_is_help=True)
app.add_typer(event_app, name="event")
app.add_typer(contest_app, name="contest")

__all__ = ["DbOption", "JsonOption"]


# --- shared helpers ------------------------------------------------------------------------


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


def event_id_of(session: Session, ref: str | None) -> int:
    from saylau.services import events

    if ref is None:
        return events.latest_event(session=session)
    return events.find_event(session=session, ref=ref)


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


# --- events --------------------------------------------------------------------------------


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


def _event_from_file(data: Any) -> dict[str, Any]:
    from saylau.domain.election import Calendar, Eligibility
    from saylau.services.errors import InvalidInput

    if not isinstance(data, dict):
        raise InvalidInput("the event file holds one JSON object")
    try:
        cal = data["calendar"]
        calendar = Calendar(
            *(
                date_field(cal[k], f"calendar.{k}")
                for k in ("nomination_opens", "nomination_closes", "registration_deadline")
            )
        )
        days = {str(k): date_field(v, f"voting_days.{k}") for k, v in data["voting_days"].items()}
        elig = data.get("eligibility", {})
        documents = elig.get("required_documents", [])
        if not isinstance(documents, list):
            raise InvalidInput("eligibility.required_documents: expected a list of names")
        eligibility = Eligibility(
            min_age=count_field(elig.get("min_age", 25), "eligibility.min_age"),
            required_documents=tuple(str(d) for d in documents),
        )
        posts = data.get("posts", "all")
        if posts != "all" and not isinstance(posts, list):
            raise InvalidInput('posts: expected "all" or a list of KATO codes')
        return {
            "name": str(data["name"]),
            "rules": data["rules"],
            "calendar": calendar,
            "voting_days": days,
            "posts": posts,
            "min_candidates": count_field(data.get("min_candidates", 2), "min_candidates"),
            "eligibility": eligibility,
        }
    except KeyError as e:
        raise InvalidInput(f"the event file lacks {e.args[0]!r} (see docs/lifecycle.md)") from None
    except (TypeError, AttributeError):
        raise InvalidInput(
            "the event file is malformed: calendar, voting_days and eligibility are objects"
            " (see docs/lifecycle.md)"
        ) from None


@event_app.command("create")
def create(
    file: Annotated[Path, typer.Argument(help="Event JSON (docs/lifecycle.md); - for stdin.")],
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Create an election event and one contest per post it fills."""
    from saylau.services import events

    data = read_json(file)
    with service_call(db, json_) as session:
        spec = _event_from_file(data)
        posts = spec.pop("posts")
        katos = events.all_post_katos(session=session) if posts == "all" else list(posts)
        event_id = events.create_event(
            session=session,
            principal=authenticate(session, as_user),
            post_katos=katos,
            now=now(),
            **spec,
        )
        view = events.show_event(session=session, event_id=event_id)
    if json_:
        print_json(view)
        return
    say(f"event {view.id} {view.name!r}: {view.num_contests} contests, rules {view.rule_set_name}")


@event_app.command("show")
def show(event: EventOption = None, db: DbOption = None, json_: JsonOption = False) -> None:
    """An event's rule set, calendar, voting days and eligibility settings."""
    from saylau.services import events

    with service_call(db, json_) as session:
        view = events.show_event(session=session, event_id=event_id_of(session, event))
    if json_:
        print_json(view)
        return
    cal = view.calendar
    say(f"[bold]{view.name}[/bold] (event {view.id}), rules {view.rule_set_name or 'inline'}")
    say(
        f"nominations {cal.nomination_opens} – {cal.nomination_closes};"
        f" registration until {cal.registration_deadline}"
    )
    say(
        f"{view.num_contests} contests; at least {view.min_candidates} registered candidates"
        f" each; minimum age {view.eligibility.min_age} on voting day; documents:"
        f" {', '.join(view.eligibility.required_documents) or 'none'}"
    )
    table("voting days", ["territory (KATO)", "day"], [[k, d] for k, d in view.voting_days.items()])


@event_app.command("list")
def list_(db: DbOption = None, json_: JsonOption = False) -> None:
    """Every election event."""
    from saylau.services import events

    with service_call(db, json_) as session:
        views = events.list_events(session=session)
    if json_:
        print_json(views)
        return
    table(
        "election events",
        ["id", "name", "rules", "contests"],
        [[v.id, v.name, v.rule_set_name, v.num_contests] for v in views],
    )


# --- contests ------------------------------------------------------------------------------


def _print_results(rows: list[Any], title: str) -> None:
    table(
        title,
        ["contest", "post", "status", "elected", "round", "protocol", "signed", "published"],
        [
            [
                r.contest_id,
                f"{r.post_name} ({r.post_kato})",
                r.status.value + (f": {r.failure_reason}" if r.failure_reason else ""),
                r.elected_name,
                r.decided_round,
                f"{r.protocol_id} v{r.protocol_version}" if r.protocol_id else None,
                "yes" if r.is_signed else "no",
                "yes" if r.is_published else "no",
            ]
            for r in rows
        ],
    )


@contest_app.command("list")
def contest_list(
    event: EventOption = None,
    status: Annotated[str | None, typer.Option(help="Only contests in this status.")] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Every contest of an event with its status and result."""
    from saylau.domain.election import ContestStatus
    from saylau.services import results
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        if status is not None and status not in set(ContestStatus):
            raise InvalidInput(f"--status {status!r}: expected one of {', '.join(ContestStatus)}")
        rows = results.contest_results(session=session, event_id=event_id_of(session, event))
    rows = [r for r in rows if status is None or r.status.value == status]
    if json_:
        print_json(rows)
        return
    _print_results(rows, f"{len(rows)} contests")


@contest_app.command("show")
def contest_show(
    contest: Annotated[str, typer.Argument(help="Contest id or the post's territory KATO.")],
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """A contest's result, candidates and rounds."""
    from saylau.rules.decisions import decision_text
    from saylau.services import candidates, events, results

    with service_call(db, json_) as session:
        event_id = event_id_of(session, event)
        contest_id = events.find_contest(session=session, event_id=event_id, ref=contest)
        (result,) = results.contest_results(
            session=session, event_id=event_id, contest_ids=[contest_id]
        )
        people = candidates.list_candidates(session=session, contest_id=contest_id)
        rounds = results.list_rounds(session=session, contest_id=contest_id)
    if json_:
        print_json({"result": result, "candidates": people, "rounds": rounds})
        return
    _print_results([result], f"contest {contest_id}")
    print_candidates(people)
    names: dict[int, str] = {c.nomination_id: c.full_name for c in people}
    table(
        "rounds",
        ["round", "status", "decision", "on the ballot", "protocol versions"],
        [
            [
                r.round_no,
                r.status,
                decision_text(r.decision) if r.decision else "",
                ", ".join(names.get(n, f"nomination {n}") for n in r.standing),
                r.num_versions,
            ]
            for r in rounds
        ],
    )


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
