"""`saylau publish-static DIR [--incremental]`: the public site as files (docs/web.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from saylau.cli.common import DbOption, say, service_call


def publish_static_command(
    directory: Annotated[Path, typer.Argument(help="Where to write the site.")],
    incremental: Annotated[
        bool,
        typer.Option(
            "--incremental",
            help="Only the pages that protocols published since the last export touch.",
        ),
    ] = False,
    db: DbOption = None,
) -> None:
    """Write the public site (HTML in kk, ru and en, the JSON API, CSV) as files nginx can
    serve; --incremental regenerates only what was published since (DIR/manifest.json)."""
    from saylau.web.export import publish_static

    with service_call(db, False) as session:
        report = publish_static(session=session, out=directory, incremental=incremental)
    kind = "incremental" if report.incremental else "whole"
    say(
        f"{kind} export to {directory}: {report.contests} contests rendered, {report.written}"
        f" files written, {report.unchanged} unchanged, {report.seconds:.1f} s"
    )


def register(app: typer.Typer) -> None:
    app.command("publish-static")(publish_static_command)
