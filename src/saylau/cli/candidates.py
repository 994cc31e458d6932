"""`saylau candidate nominate|register|refuse|withdraw|list`: the commission's candidate book."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from saylau.cli.auth import AsOption, authenticate, for_day
from saylau.cli.common import (
    EXIT_BAD_INPUT,
    DbOption,
    EventOption,
    JsonOption,
    OnOption,
    event_id_of,
    input_refused,
    parse_day,
    print_candidates,
    print_json,
    read_json,
    read_text,
    say,
    service_call,
)
from saylau.cli.language import _, number, say_error
from saylau.i18n import N_

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saylau.domain.election import EventId, NominationId, NominationRequest
    from saylau.rules.schemas import NominationItem

candidate_app = typer.Typer(
    help="Candidates: nomination, registration, refusal, withdrawal.", no_args_is_help=True
)


def register(app: typer.Typer) -> None:
    app.add_typer(candidate_app, name="candidate")


NominationArguments = Annotated[
    list[str], typer.Argument(help="Nomination ids (or candidates' exact full names).")
]


def _nominations_format(file: Path | None, given: str | None) -> str:
    """csv or json: as given with --format, else from the file's name (.csv is CSV; any other
    name JSON, as before CSV was read)."""
    if given is None:
        return "csv" if file is not None and file.suffix.lower() == ".csv" else "json"
    if given not in ("csv", "json"):
        say_error(_("--format: expected csv or json, got %(given)r") % {"given": given})
        raise typer.Exit(EXIT_BAD_INPUT)
    return given


def _documents(values: list[str] | None) -> list[str]:
    """`--document a,b` and `--document a --document b` both name two documents."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _request(session: Session, event_id: EventId, item: NominationItem) -> NominationRequest:
    from saylau.domain.election import NominationRequest
    from saylau.services import resolve

    return NominationRequest(
        contest_id=resolve.find_contest(session=session, event_id=event_id, ref=item.contest),
        person=item.person,
        nominated_by=item.nominated_by,
        nominator=item.nominator,
        documents=item.documents,
        is_incumbent=item.is_incumbent,
    )


@candidate_app.command("nominate")
def nominate(
    contest: Annotated[
        str | None, typer.Argument(help="Contest: id, post KATO or post name (omit with --file).")
    ] = None,
    name: Annotated[str | None, typer.Option("--name", help="Full name.")] = None,
    sex: Annotated[str | None, typer.Option(help="female or male.")] = None,
    born: Annotated[str | None, typer.Option(help="Birth date YYYY-MM-DD.")] = None,
    iin: Annotated[str | None, typer.Option(help="National identification number.")] = None,
    by: Annotated[str, typer.Option("--by", help="district_akim, self or party.")] = (
        "district_akim"
    ),
    nominator: Annotated[str, typer.Option(help="Who nominated, by name.")] = "",
    document: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            help="A document received, by its name in the event's required list (repeat, or"
            " separate with commas).",
        ),
    ] = None,
    incumbent: Annotated[bool, typer.Option(help="The sitting akim stands again.")] = False,
    file: Annotated[
        Path | None,
        typer.Option("--file", help="Nominations: a JSON list or a CSV file (docs/lifecycle.md)."),
    ] = None,
    file_format: Annotated[
        str | None,
        typer.Option(
            "--format",
            help="csv or json (default: from the --file name: .csv is CSV, anything else JSON).",
            show_default=False,
        ),
    ] = None,
    on: OnOption = None,
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Nominate one person (options) or many (--file), all or none."""
    from saylau.rules.errors import InputError
    from saylau.rules.nomination_csv import read_nominations_csv
    from saylau.rules.schemas import read_nominations
    from saylau.services import candidates
    from saylau.services.errors import InvalidInput

    day = parse_day(on)
    data: Any = None
    fmt = _nominations_format(file, file_format)
    if file is not None and fmt == "json":
        loaded = read_json(file)
        data = loaded if isinstance(loaded, list) else [loaded]
    elif file is None:
        data = {
            "contest": contest,
            "full_name": name,
            "sex": sex,
            "birth_date": born,
            "iin": iin,
            "nominated_by": by,
            "nominator": nominator,
            "documents": _documents(document),
            "incumbent": incumbent,
        }
    with service_call(db, json_) as session:
        if file is None and None in (contest, name, sex, born):
            raise InvalidInput("give CONTEST, --name, --sex and --born (or --file)")
        try:
            if file is not None and fmt == "csv":
                items = read_nominations_csv(read_text(file), on=day)
            else:
                items = read_nominations(data, path="nominations" if file else "nomination", on=day)
        except InputError as error:
            raise input_refused(error, "nominations") from None
        event_id = event_id_of(session, event)
        requests = [_request(session, event_id, item) for item in items]
        ids = candidates.nominate_many(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            requests=requests,
            on=day,
        )
    if json_:
        print_json({"nominations": ids})
        return
    say(
        _("%(num)s nominated: nomination %(ids)s")
        % {"num": number(len(ids)), "ids": ", ".join(map(str, ids))}
    )


def _ids(session: Session, event_id: EventId, refs: list[str]) -> list[NominationId]:
    from saylau.services import resolve

    return [resolve.find_nomination(session=session, event_id=event_id, ref=r) for r in refs]


# What _decide_each says was done (also the JSON key), marked for the catalogs.
DONE_WORDS = (N_("registered"), N_("refused"), N_("withdrawn"))


def _decide_each(
    refs: list[str],
    on: str | None,
    event: str | None,
    db: str | None,
    json_: bool,
    act: Callable[[Session, date, list[NominationId]], None],
    done: str,
    note: str = "",
) -> None:
    """What register, refuse and withdraw share: find the nominations, act on all of them in one
    transaction, and say which were `done` (JSON: {done: ids})."""
    day = parse_day(on)
    with service_call(db, json_) as session:
        ids = _ids(session, event_id_of(session, event), refs)
        act(session, day, ids)
    if json_:
        print_json({done: ids} | ({"reason": note} if note else {}))
        return
    say(
        (
            _("%(num)s %(done)s (%(note)s): nomination %(ids)s")
            if note
            else _("%(num)s %(done)s: nomination %(ids)s")
        )
        % {"num": number(len(ids)), "done": _(done), "note": note, "ids": ", ".join(map(str, ids))}
    )


@candidate_app.command("register")
def register_command(
    nominations: NominationArguments,
    document: Annotated[
        list[str] | None,
        typer.Option(
            "--document",
            help="A document received at registration, by its name in the event's required"
            " list (repeat, or separate with commas).",
        ),
    ] = None,
    on: OnOption = None,
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Register candidates who meet every eligibility rule (all or none)."""
    from saylau.services import candidates

    def act(session: Session, day: date, ids: list[NominationId]) -> None:
        candidates.register_many(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            nomination_ids=ids,
            on=day,
            documents=dict.fromkeys(ids, _documents(document)),
        )

    _decide_each(nominations, on, event, db, json_, act, "registered")


@candidate_app.command("refuse")
def refuse(
    nominations: NominationArguments,
    reason: Annotated[str, typer.Option(help="Why registration is refused.")],
    on: OnOption = None,
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Refuse registration, with the reason."""
    from saylau.services import candidates

    def act(session: Session, day: date, ids: list[NominationId]) -> None:
        refusals = dict.fromkeys(ids, reason)
        candidates.refuse_many(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            refusals=refusals,
            on=day,
        )

    _decide_each(nominations, on, event, db, json_, act, "refused", note=reason)


@candidate_app.command("withdraw")
def withdraw(
    nominations: NominationArguments,
    on: OnOption = None,
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """A nominee or candidate withdraws (until the day before voting day)."""
    from saylau.services import candidates

    def act(session: Session, day: date, ids: list[NominationId]) -> None:
        candidates.withdraw_many(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            nomination_ids=ids,
            on=day,
        )

    _decide_each(nominations, on, event, db, json_, act, "withdrawn")


@candidate_app.command("list")
def list_(
    contest: Annotated[
        str | None, typer.Option(help="Only this contest (id, post KATO or post name).")
    ] = None,
    status: Annotated[
        str | None, typer.Option(help="nominated, registered, refused or withdrawn.")
    ] = None,
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Nominees and candidates of an event."""
    from saylau.domain.election import CandidateStatus
    from saylau.services import candidates, resolve
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        # Malformed input (2) before anything is looked up (not found: 1).
        if status is not None and status not in set(CandidateStatus):
            raise InvalidInput(f"--status {status!r}: expected one of {', '.join(CandidateStatus)}")
        event_id = event_id_of(session, event)
        contest_id = (
            resolve.find_contest(session=session, event_id=event_id, ref=contest)
            if contest
            else None
        )
        people = candidates.list_candidates(
            session=session,
            event_id=event_id,
            contest_id=contest_id,
            status=CandidateStatus(status) if status else None,
        )
    if json_:
        print_json(people)
        return
    print_candidates(people, with_post=contest_id is None)
