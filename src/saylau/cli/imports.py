"""`saylau import territories|councils|deputies|commissions|posts|bundle FILE`: one file, one
transaction; a bad row is named by its line and nothing of the file is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.auth import AsOption, authenticate
from saylau.cli.common import DbOption, JsonOption, print_json, service_call
from saylau.cli.language import _, number

import_app = typer.Typer(
    help="Import the structure from CSV or JSON files (formats: docs/import-formats.md).",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(import_app, name="import")


FileArgument = Annotated[
    Path, typer.Argument(help="The file to import.", dir_okay=False, show_default=False)
]
FormatOption = Annotated[
    str | None,
    typer.Option(
        "--format", help="csv or json (default: from the file's extension).", show_default=False
    ),
]


def _run(
    kind: str,
    file: Path,
    file_format: str | None,
    db: str | None,
    as_user: str | None,
    as_json: bool,
) -> None:
    from datetime import date

    from saylau.services import imports

    with service_call(db, as_json) as session:
        summary = imports.import_file(
            session=session,
            principal=authenticate(session, as_user),
            kind=imports.ImportKind(kind),
            path=file,
            on=date.today(),
            file_format=file_format.lower() if file_format else None,
        )
    if as_json:
        print_json({"file": str(file), "kind": kind, "stored": dict(summary.stored)})
        return
    from rich.console import Console
    from rich.table import Table

    table = Table(title=_("Imported %(file)s") % {"file": file.name}, show_footer=True)
    table.add_column(_("object"), footer=_("total"))
    table.add_column(_("stored"), justify="right", footer=number(summary.num_stored))
    for object_type, count in summary.stored.items():
        table.add_row(object_type, number(count))
    console = Console()
    console.print(table)
    console.print(
        _("%(num)s rows stored in one transaction, each with its audit entry.")
        % {"num": number(summary.num_stored)}
    )


# One command per kind of file; each differs only in the columns its help names.
FILE_KINDS = {
    "territories": "Territories: kato, kind, parent_kato, name_kk, name_ru, name_en.",
    "councils": "Councils (maslikhats): territory_kato, num_seats, name_kk, name_ru, name_en.",
    "deputies": "Deputies: council_kato, full_name, sex, birth_date, mandate_start, mandate_end.",
    "commissions": (
        "Commissions and members: level, territory_kato, name, member_name, member_role."
    ),
    "posts": "Akim posts: territory_kato, council_kato.",
}


def _add_file_command(kind: str, help_text: str) -> None:
    def command(
        file: FileArgument,
        format: FormatOption = None,
        db: DbOption = None,
        as_user: AsOption = None,
        json_: JsonOption = False,
    ) -> None:
        _run(kind, file, format, db, as_user, json_)

    command.__name__ = kind
    command.__doc__ = help_text
    import_app.command(kind)(command)


for _kind, _help in FILE_KINDS.items():
    _add_file_command(_kind, _help)


@import_app.command("bundle")
def bundle(
    file: FileArgument, db: DbOption = None, as_user: AsOption = None, json_: JsonOption = False
) -> None:
    """A whole structure in one JSON file and one transaction: {"territories": [...], ...}."""
    _run("bundle", file, "json", db, as_user, json_)
