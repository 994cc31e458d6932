"""`saylau rules list` and `saylau rules show NAME`: the shipped rule-set presets."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer

rules_app = typer.Typer(help="Rule-set presets: list them, show one as inline JSON.")


def register(app: typer.Typer) -> None:
    app.add_typer(rules_app, name="rules")


@rules_app.command("list")
def list_command() -> None:
    """One line per preset: name, title, source."""
    from saylau.rules.presets import load_rule_set, preset_names

    for name in preset_names():
        rule_set = load_rule_set(name)
        sys.stdout.write(f"{name}\t{rule_set.title}\t{rule_set.source}\n")


@rules_app.command("show")
def show_command(
    name: Annotated[str, typer.Argument(help="Preset name (see `saylau rules list`).")],
) -> None:
    """Print a preset as the inline JSON rule set that `saylau count` accepts."""
    from saylau.cli.common import EXIT_REFUSED
    from saylau.cli.language import say_error
    from saylau.rules.errors import InputError
    from saylau.rules.presets import load_rule_set, rule_set_to_json

    try:
        rule_set = load_rule_set(name)
    except InputError as e:
        # A name that is no preset is "not found" (exit 1), as an unknown id is everywhere.
        say_error(str(e))
        raise typer.Exit(EXIT_REFUSED) from None
    sys.stdout.write(json.dumps(rule_set_to_json(rule_set), ensure_ascii=False, indent=2) + "\n")
