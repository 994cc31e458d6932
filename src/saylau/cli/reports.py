"""`saylau report press-release`: the CEC's press release on an event, in Markdown, HTML or
PDF, in Kazakh, Russian or English (docs/documents.md)."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import Annotated

import typer

from saylau.cli.common import (
    DbOption,
    EventOption,
    Lang,
    LangOption,
    OutputOption,
    event_id_of,
    say,
    service_call,
)

report_app = typer.Typer(help="Reports: the press release.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(report_app, name="report")


class DocumentFormat(StrEnum):
    MD = "md"
    HTML = "html"
    PDF = "pdf"


@report_app.command("press-release")
def press_release(
    lang: LangOption = Lang.KK,
    format_: Annotated[
        DocumentFormat, typer.Option("--format", help="Markdown, HTML (with SVG charts) or PDF.")
    ] = DocumentFormat.MD,
    output: OutputOption = None,
    event: EventOption = None,
    db: DbOption = None,
) -> None:
    """The press release of an event's published results: headline figures, calendar,
    candidates, the elected, margins, incumbents, failed contests and repeat elections,
    appeals, results by region. Written to -o FILE, else to standard output (not PDF)."""
    from saylau.documents.press_release import press_release as render
    from saylau.services.errors import InvalidInput

    if output is None and format_ is DocumentFormat.PDF:
        with service_call(db, False):
            raise InvalidInput.one(
                "output_required", "a PDF needs -o FILE", where="--output", format="pdf"
            )
    with service_call(db, False) as session:
        data = render(
            session=session,
            event_id=event_id_of(session, event),
            lang=lang.value,
            fmt=format_.value,
        )
    if output is None:
        sys.stdout.write(data.decode("utf-8"))
        return
    output.write_bytes(data)
    say(f"press release ({lang.value}, {format_.value}): {output} ({len(data):,} bytes)")
