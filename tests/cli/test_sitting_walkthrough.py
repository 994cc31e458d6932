"""docs/lifecycle.md's walk-through "Eleven deputies, two village akims" run as written on a
fresh database: a late deputy, an adjournment, repeat voting, a lot, closing, signing and
publishing by sitting, and an appeal; every line printed is compared."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lifecycle_example import console_steps, invoke
from sitting_example import write_files
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()


def _run_the_walkthrough(url: str, folder: Path, monkeypatch: Any) -> dict[str, str]:
    write_files(folder)
    monkeypatch.chdir(folder)
    env = {"SAYLAU_DATABASE_URL": url, "COLUMNS": "120"}
    steps = console_steps("## Eleven deputies, two village akims")
    assert len(steps) == 29
    for args, expected in steps:
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            continue
        done = invoke(runner, app, args, env, folder)
        printed = [line.rstrip() for line in done.output.splitlines()]
        assert printed == expected, args
        assert done.exit_code == (1 if expected[0].startswith("error") else 0), args
    return env


def test_the_walkthrough_prints_what_the_doc_says(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    env = _run_the_walkthrough(migrated_database_url, tmp_path, monkeypatch)
    shown = invoke(runner, app, ["saylau", "sitting", "show", "1", "--json"], env, tmp_path)
    sitting = json.loads(shown.stdout)["sitting"]
    assert [(r["round_no"], r["present"], r["ballots_issued"]) for r in sitting["rounds"]] == [
        (1, 10, 10),
        (2, 11, 11),
        (1, 10, 10),
        (2, 11, 11),
    ]
    protocol = json.loads(
        invoke(runner, app, ["saylau", "protocol", "show", "3", "--json"], env, tmp_path).stdout
    )
    (version,) = protocol
    counts = version["counts"]
    assert (counts["members"], counts["present"], counts["ballots_issued"]) == (11, 11, 11)
    again = invoke(runner, app, ["saylau", "protocol", "sign", "--sitting", "1"], env, tmp_path)
    assert (again.exit_code, again.output) == (0, "nothing to sign\n")
    both = invoke(runner, app, ["saylau", "protocol", "sign", "1", "--sitting", "1"], env, tmp_path)
    assert both.exit_code == 2
