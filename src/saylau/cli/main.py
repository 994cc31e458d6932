"""The `saylau` command: one Typer app; each command group lives in its own module.

Command modules import services, the ORM and anything heavy inside their functions, so that
`saylau --help` and `saylau count` start fast (see bench/startup.py).
"""

from __future__ import annotations

import os
import sys

# Plain help text: Typer's Rich help imports a Markdown parser that alone costs a third of the
# start-up budget of `saylau --help` (bench/startup.py). TYPER_USE_RICH=1 brings it back.
os.environ.setdefault("TYPER_USE_RICH", "0")

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
    from saylau.cli import appeals as _appeals  # noqa: F401
    from saylau.cli import candidates as _candidates  # noqa: F401
    from saylau.cli import count as _count  # noqa: F401
    from saylau.cli import db as _db  # noqa: F401
    from saylau.cli import demo as _demo  # noqa: F401
    from saylau.cli import events as _events  # noqa: F401
    from saylau.cli import imports as _imports  # noqa: F401
    from saylau.cli import protocols as _protocols  # noqa: F401
    from saylau.cli import results as _results  # noqa: F401
    from saylau.cli import rules as _rules  # noqa: F401
    from saylau.cli import sittings as _sittings  # noqa: F401
    from saylau.cli import structure as _structure  # noqa: F401
    from saylau.cli import users as _users  # noqa: F401
    from saylau.cli import verify as _verify  # noqa: F401


def main() -> None:
    args = sys.argv[1:]
    if args[:1] == ["count"] and not {"--help", "-h"} & set(args):
        # The count contract is read by other tools, often once per contest: skip building
        # the whole Typer app (whose parameter handling imports pydantic) for it.
        from saylau.cli.count import count_main

        raise SystemExit(count_main(args[1:]))
    _register()
    app()
