"""`saylau db upgrade`: bring the database's schema up to date."""

from __future__ import annotations

import sys

import typer

from saylau.cli.common import DbOption, hide_password
from saylau.cli.language import _

db_app = typer.Typer(help="The database: bring its schema up to date.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


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
    words = {"url": hide_password(database_url(db)), "heads": heads}
    if applied:
        sys.stdout.write(_("%(url)s: upgraded to %(heads)s") % words + "\n")
    else:
        sys.stdout.write(_("%(url)s: already at %(heads)s") % words + "\n")
