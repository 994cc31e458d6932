"""docs/lifecycle.md's appeal section, run after the worked example as written; and
`saylau contest repeat|repeats` on a tied contest."""

from __future__ import annotations

import json
import shlex
from pathlib import Path
from typing import Any

from lifecycle_example import DOC, console_steps, invoke, write_files
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()


def test_the_appeal_section_prints_what_the_doc_says(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    env = {"SAYLAU_DATABASE_URL": migrated_database_url, "COLUMNS": "120"}
    steps = [*console_steps("## Worked example"), *console_steps("## Appeals")]
    appeal_steps = len(console_steps("## Appeals"))
    assert appeal_steps == 12
    for n, (args, expected) in enumerate(steps):
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            continue
        done = invoke(runner, app, args, env, tmp_path)
        if n < len(steps) - appeal_steps:
            continue  # the worked example's own test compares its lines
        printed = [line.rstrip() for line in done.output.splitlines()]
        assert printed == expected, args
        assert done.exit_code == 0, args


def test_contest_repeat_calls_and_lists_a_repeat_election(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    from election_cli_setup import tied_krugloozerny

    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    env = {"SAYLAU_DATABASE_URL": migrated_database_url, "COLUMNS": "120"}
    for args, _expected in console_steps("## Worked example")[
        :-1
    ]:  # up to the signature, without verify
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            continue
        if args[1:3] == ["protocol", "submit"] and args[3] == "round2.json":
            break
        invoke(runner, app, args, env, tmp_path)
    tied_krugloozerny(tmp_path)
    done = invoke(runner, app, ["saylau", "protocol", "submit", "tie.json"], env, tmp_path)
    assert done.output.splitlines() == [
        "protocol 5: contest 3 round 2 v2 accepted; failed (tie): the contest needs a repeat"
        " election"
    ]
    env |= {"SAYLAU_USER": "admin", "SAYLAU_PASSWORD": "uralsk admin 2013"}
    early = invoke(
        runner,
        app,
        [
            "saylau",
            "contest",
            "repeat",
            "271037000",
            "--voting-day",
            "2013-08-20",
            "--on",
            "2013-08-10",
        ],
        env,
        tmp_path,
    )
    assert early.exit_code == 1
    assert early.output.splitlines() == [
        "error: repeat election of contest 3 not called",
        "  on: the repeat voting day 2013-08-20 is 11 days after the failed vote of 2013-08-09;"
        " the rules allow 15 to 60",
        "  called_on: called on 2013-08-10, but its nominations open on 2013-08-06: call it before",
    ]
    doc = (DOC.parent / "appeals.md").read_text("utf-8").split("```console\n", 1)[1]
    command, printed = doc.split("```", 1)[0].splitlines()
    done = invoke(runner, app, shlex.split(command.removeprefix("$ ")), env, tmp_path)
    assert done.exit_code == 0, done.output
    assert done.output.splitlines() == [printed]  # docs/appeals.md, as written
    (called,) = json.loads(
        invoke(runner, app, ["saylau", "contest", "repeats", "--json"], env, tmp_path).output
    )
    assert (called["reason"], called["failed_on"], called["voting_day"]) == (
        "tie",
        "2013-08-09",
        "2013-08-28",
    )
    assert (called["nomination_opens"], called["registration_deadline"]) == (
        "2013-08-14",
        "2013-08-23",
    )
    assert (called["post_kato"], called["status"], called["contest_id"]) == (
        "271037000",
        "pending",
        4,
    )
    again = invoke(
        runner,
        app,
        [
            "saylau",
            "contest",
            "repeat",
            "271037000",
            "--voting-day",
            "2013-08-28",
            "--on",
            "2013-08-10",
            "--event",
            "1",
        ],
        env,
        tmp_path,
    )
    assert again.exit_code == 1
    assert "already has repeat election 1" in again.output


def test_results_show_appeals_and_repeat_elections(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    """`saylau results` (national) adds the appeals and repeat elections; --json gains one
    field, `aftermath`, and keeps every other."""
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    env = {"SAYLAU_DATABASE_URL": migrated_database_url, "COLUMNS": "120"}
    steps = [*console_steps("## Worked example"), *console_steps("## Appeals")]
    for args, _expected in steps:
        if args[0] == "export":
            env |= dict(a.split("=", 1) for a in args[1:])
            continue
        invoke(runner, app, args, env, tmp_path)
    done = invoke(runner, app, ["saylau", "results", "--on", "2013-08-10", "--json"], env, tmp_path)
    data = json.loads(done.output)
    assert {"event_id", "figures", "parts", "contests", "aftermath"} <= set(data)
    appeals = data["aftermath"]["appeals"]
    assert (appeals["filed"], appeals["pending"], appeals["overdue"], appeals["at_once"]) == (
        2,
        0,
        0,
        1,
    )
    assert appeals["decided"] == {"upheld": 1, "rejected": 1, "left_without_consideration": 0}
    assert data["aftermath"]["repeat_elections"] == []
    text = invoke(runner, app, ["saylau", "results", "--on", "2013-08-10"], env, tmp_path).output
    assert (
        "appeals: 2 filed (1 upheld, 1 rejected, 0 left_without_consideration); 0 pending,"
        " 0 overdue on 2013-08-10; 1 to be decided at once"
    ) in text
    district = json.loads(
        invoke(
            runner, app, ["saylau", "results", "--district", "271010000", "--json"], env, tmp_path
        ).output
    )
    assert "aftermath" not in district
