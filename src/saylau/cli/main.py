"""The `saylau` command: one Typer app; each command group lives in its own module.

Command modules import services, the ORM and anything heavy inside their functions, so that
`saylau --help` and `saylau count` start fast (see bench/startup.py).
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="saylau",
    help="saylau (сайлау): administers elections of local executives by councils.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _register() -> None:
    # Each module adds its commands to `app`; the order here is the order in --help.
    from saylau.cli import count as _count  # noqa: F401
    from saylau.cli import db as _db  # noqa: F401
    from saylau.cli import imports as _imports  # noqa: F401
    from saylau.cli import rules as _rules  # noqa: F401
    from saylau.cli import structure as _structure  # noqa: F401
    from saylau.cli import verify as _verify  # noqa: F401


def main() -> None:
    _register()
    app()
