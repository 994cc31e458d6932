"""`saylau export cdf|csv`: an election cycle's published results as open data — a NIST SP
1500-100 v2 ElectionReport, or CSV files — each written file printed with its SHA-256 digest
(docs/open-data.md)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from saylau.cli.common import (
    EXIT_BAD_INPUT,
    EXIT_REFUSED,
    DbOption,
    EventOption,
    JsonOption,
    event_id_of,
    print_json,
    say,
    service_call,
)
from saylau.cli.language import _, say_error

if TYPE_CHECKING:
    from saylau.exports.artefacts import Artefact

export_app = typer.Typer(
    help="Open data: the published results as a NIST election results report, or as CSV.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")


@export_app.command("cdf")
def export_cdf(
    output: Annotated[
        Path,
        typer.Option(
            "--output", "-o", help="The JSON file to write.", show_default=False, dir_okay=False
        ),
    ],
    validate: Annotated[
        bool,
        typer.Option(
            "--validate",
            help="Check the report against the NIST schema and every @id reference before"
            " writing it (exit 1, nothing written, if it fails).",
        ),
    ] = False,
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Write the published results of an event and its repeat elections (or of the event a
    repeat event repeats) as a NIST SP 1500-100 version 2 ElectionReport (JSON)."""
    from saylau.exports.artefacts import InvalidReport, cdf_artefact, public_record

    with service_call(db, json_) as session:
        view = public_record(session=session, event_id=event_id_of(session, event))
        try:
            found = cdf_artefact(view, validate=validate)
        except InvalidReport as error:
            for problem in error.problems:
                sys.stderr.write(f"{problem}\n")
            say_error(_("the report fails its checks: %(problems)s") % {"problems": error})
            raise typer.Exit(EXIT_REFUSED) from None
    _write([(found, output)], view.event_id, json_)
    if validate and not json_:
        say(_("valid: the NIST schema holds and every reference resolves"))


@export_app.command("csv")
def export_csv(
    output: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            help="The directory to write the CSV files into (made if missing).",
            show_default=False,
            file_okay=False,
        ),
    ],
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Write the published record of an event and its repeat elections as CSV files: contests,
    candidates, rounds, votes, councils and appeals (UTF-8, with a header row)."""
    from saylau.exports.artefacts import csv_artefacts, public_record

    with service_call(db, json_) as session:
        view = public_record(session=session, event_id=event_id_of(session, event))
        found = csv_artefacts(view)
    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        _cannot_write(output, error)
    _write([(a, output / a.name) for a in found], view.event_id, json_)


def _write(files: list[tuple[Artefact, Path]], event_id: int, as_json: bool) -> None:
    """Write each artefact; print its digest and path as sha256sum does (`sha256sum -c`)."""
    for artefact, path in files:
        try:
            artefact.write(path)
        except OSError as error:
            _cannot_write(path, error)
    if as_json:
        print_json(
            {
                "event_id": event_id,
                "files": [
                    {"name": a.name, "path": str(p), "bytes": len(a.data), "sha256": a.sha256}
                    for a, p in files
                ],
            }
        )
        return
    for artefact, path in files:
        sys.stdout.write(f"{artefact.sha256}  {path}\n")


def _cannot_write(path: Path, error: OSError) -> NoReturn:
    say_error(
        _("cannot write %(path)s: %(reason)s") % {"path": path, "reason": error.strerror or error}
    )
    raise typer.Exit(EXIT_BAD_INPUT)
