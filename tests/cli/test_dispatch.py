"""`saylau NAME …` builds only the command NAME (cli/main.py narrowed_to): what it prints must be
what the whole app prints for it."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from saylau.cli.main import build_app, narrowed_to

runner = CliRunner()
APP = build_app()
NAMES = [c.name for c in APP.registered_commands] + [g.name for g in APP.registered_groups]


@pytest.mark.parametrize("name", NAMES)
def test_a_command_alone_answers_as_in_the_whole_app(name: str | None) -> None:
    assert name
    alone = narrowed_to(build_app(), name)
    assert [c.name for c in alone.registered_commands] + [
        g.name for g in alone.registered_groups
    ] == [name]
    for args in ([name, "--help"], [name, "--no-such-option"]):
        whole, narrowed = runner.invoke(APP, args), runner.invoke(alone, args)
        assert (narrowed.exit_code, narrowed.output) == (whole.exit_code, whole.output)


def test_no_command_or_an_unknown_one_keeps_every_command() -> None:
    for name in ("", "--help", "verfy"):
        assert len(narrowed_to(build_app(), name).registered_commands) == len(
            APP.registered_commands
        )
    assert "verify" in runner.invoke(narrowed_to(build_app(), "verfy"), ["--help"]).output
