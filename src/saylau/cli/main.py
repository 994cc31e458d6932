"""The `saylau` command: `build_app()` makes the Typer app from the command modules.

Command modules import services, the ORM and anything heavy inside their functions, so that
`saylau --help` and `saylau count` start fast (see bench/startup.py).
"""

from __future__ import annotations

import gc
import os
import sys

# Plain help text: Typer's Rich help imports a Markdown parser that alone costs a third of the
# start-up budget of `saylau --help` (bench/startup.py). TYPER_USE_RICH=1 brings it back.
os.environ.setdefault("TYPER_USE_RICH", "0")

import typer


def build_app() -> typer.Typer:
    """The whole `saylau` command: a new Typer app with every command group added explicitly.

    Each command module defines its commands and exposes `register(app)`; none imports this
    module, so nothing registers by being imported. Adding a group means adding a line here.
    """
    from saylau.cli import (
        anchor,
        appeals,
        candidates,
        count,
        db,
        demo,
        events,
        exports,
        imports,
        language,
        lots,
        protocols,
        publish,
        reports,
        results,
        rules,
        sittings,
        structure,
        users,
        verify,
        web,
    )

    app = typer.Typer(
        name="saylau",
        help="saylau (сайлау): administers elections of local executives by councils.",
        no_args_is_help=True,
        add_completion=False,
        pretty_exceptions_enable=False,
    )
    app.callback()(language.top_options)
    # The order here is the order in --help (single commands first, then groups): the workflow
    # from counting alone, through the structure, to the election and its verification.
    for module in (
        count,
        rules,
        db,
        imports,
        structure,
        events,
        candidates,
        sittings,
        protocols,
        lots,
        appeals,
        results,
        reports,
        exports,
        verify,
        anchor,
        users,
        demo,
        web,
        publish,
    ):
        module.register(app)
    return app


def main() -> None:
    args = sys.argv[1:]
    lang, rest = _leading_lang(args)
    if rest[:1] == ["count"] and not {"--help", "-h"} & set(rest):
        # The count contract is read by other tools, often once per contest: skip building
        # the whole Typer app (whose parameter handling imports pydantic) for it.
        from saylau.cli.count import count_main

        if lang in (None, "", "en"):
            raise SystemExit(count_main(rest[1:]))
        from saylau.cli.language import language_of

        try:
            language = language_of(lang)
        except typer.Exit as refused:
            raise SystemExit(refused.exit_code) from None
        raise SystemExit(count_main(rest[1:], lang=language))
    try:
        narrowed_to(build_app(), rest[0] if rest else "")()
    finally:
        # What the command leaves is freed with the process: without this, the collector's last
        # pass at exit walks every object left (some 0.15 s after `saylau verify` or the demo).
        gc.freeze()


def narrowed_to(app: typer.Typer, name: str) -> typer.Typer:
    """`app` with only its command or group `name`, if it has one. Typer reads the signature
    of every command before it runs any (some 0.07 s for saylau's 68 commands, on every call);
    a command needs only its own. Without such a command (`saylau`, `saylau --help`, a typo)
    the whole app stays, so that help and errors list every command."""
    commands = [c for c in app.registered_commands if c.name == name]
    groups = [g for g in app.registered_groups if g.name == name]
    if commands or groups:
        app.registered_commands = commands
        app.registered_groups = groups
    return app


def _leading_lang(args: list[str]) -> tuple[str | None, list[str]]:
    """`--lang X` or `--lang=X` before the command (else SAYLAU_LANG), and the rest of the
    arguments: what the Typer callback reads, for the fast path that has no Typer."""
    if args[:1] == ["--lang"] and len(args) > 1:
        return args[1], args[2:]
    if args[:1] and args[0].startswith("--lang="):
        return args[0].removeprefix("--lang="), args[1:]
    return os.environ.get("SAYLAU_LANG"), args
