"""docs/lifecycle.md's "Drawing lots" section, run as written after the worked example's steps
up to the sitting's opening (with event-lot.json); `lot check` exits 1 on a tampered winner;
`contest show`, `protocol show` and their --json say "by lot"."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lifecycle_example import console_steps, invoke, up_to_the_count
from lots_example import write_files
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine

app = build_app()
runner = CliRunner()
SEED = "48213907655108243391"


def _up_to_the_sitting(url: str, folder: Path, monkeypatch: Any) -> dict[str, str]:
    write_files(folder)
    monkeypatch.chdir(folder)
    return up_to_the_count(runner, app, url, folder, "event-lot.json")


def test_the_lot_section_prints_what_the_doc_says(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    env = _up_to_the_sitting(migrated_database_url, tmp_path, monkeypatch)
    steps = console_steps("## Drawing lots")
    assert len(steps) == 7
    for args, expected in steps:
        done = invoke(runner, app, args, env, tmp_path)
        printed = [line.rstrip() for line in done.output.splitlines()]
        assert printed == expected, args
        assert done.exit_code == (1 if expected[0].startswith("error") else 0), args


def test_views_say_by_lot_and_a_tampered_winner_fails_the_check(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    url = migrated_database_url
    env = _up_to_the_sitting(url, tmp_path, monkeypatch)
    for name in ("round1.json", "round2-tie.json"):
        assert (
            invoke(runner, app, ["saylau", "protocol", "submit", name], env, tmp_path).exit_code
            == 0
        )
    member = invoke(runner, app, ["saylau", "lot", "draw", "4", "--seed", "123"], env, tmp_path)
    assert (member.exit_code, member.output.splitlines()[0]) == (
        2,
        "error: seed: 3 digits: a seed has 20 to 100 digits (for example twenty ten-sided dice)",
    )
    done = invoke(
        runner, app, ["saylau", "lot", "draw", "4", "--seed", SEED, "--json"], env, tmp_path
    )
    assert done.exit_code == 0, done.output
    drawn = json.loads(done.stdout)
    assert (drawn["protocol"], drawn["contest"], drawn["round"]) == (4, 3, 2)
    assert drawn["decision"]["lot"] == {
        "method": "seed",
        "tied": ["7", "8"],
        "winner": "7",
        "seed": SEED,
        "drawn_by": None,
        "witnesses": [],
    }
    shown = json.loads(
        invoke(runner, app, ["saylau", "protocol", "show", "4", "--json"], env, tmp_path).stdout
    )
    assert [v["decision"]["lot"]["seed"] for v in shown] == [SEED]
    contest = invoke(
        runner, app, ["saylau", "contest", "show", "271037000", "--json"], env, tmp_path
    )
    rounds = json.loads(contest.stdout)["rounds"]
    assert [r["decision"].get("lot", {}).get("winner") for r in rounds] == [None, "7"]
    text_out = invoke(runner, app, ["saylau", "protocol", "show", "4"], env, tmp_path).stdout
    assert text_out.splitlines()[-1] == (
        f"decision: Candidate 7 (nomination 7) elected by lot (seed {SEED}) between"
        " Candidate 7 and Candidate 8 (nominations 7, 8)"
    )
    wide = env | {"COLUMNS": "200"}
    assert (
        f"elected (by lot: seed {SEED}; tied 7, 8)"
        in invoke(runner, app, ["saylau", "contest", "show", "271037000"], wide, tmp_path).stdout
    )
    checked = invoke(runner, app, ["saylau", "lot", "check", "4", "--json"], env, tmp_path)
    assert (checked.exit_code, json.loads(checked.stdout)["ok"]) == (0, True)
    # Tamper the stored winner behind the services' back.
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE contest SET elected_nomination_id = 8 WHERE id = 3"))
    engine.dispose()
    tampered = invoke(runner, app, ["saylau", "lot", "check", "4"], env, tmp_path)
    assert tampered.exit_code == 1
    assert tampered.output.splitlines()[-1] == "MISMATCH: contest.elected is 8, expected 7"
    as_json = json.loads(
        invoke(runner, app, ["saylau", "lot", "check", "4", "--json"], env, tmp_path).stdout
    )
    assert (as_json["ok"], as_json["expected"], as_json["mismatches"]) == (
        False,
        "7",
        ["contest.elected is 8, expected 7"],
    )


def test_no_lot_is_drawn_while_the_sitting_is_adjourned(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    env = _up_to_the_sitting(migrated_database_url, tmp_path, monkeypatch)
    for name in ("round1.json", "round2-tie.json"):
        assert (
            invoke(runner, app, ["saylau", "protocol", "submit", name], env, tmp_path).exit_code
            == 0
        )
    adjourn = ["saylau", "sitting", "adjourn", "1", "--reason", "recess"]
    assert invoke(runner, app, adjourn, env, tmp_path).exit_code == 0
    draw = ["saylau", "lot", "draw", "4", "--seed", SEED]
    refused = invoke(runner, app, draw, env, tmp_path)
    assert (refused.exit_code, refused.output.splitlines()) == (
        1,
        ["error: no lot is drawn at sitting 1: it is adjourned: saylau sitting resume first"],
    )
    in_russian = invoke(runner, app, ["saylau", "--lang", "ru", *draw[1:]], env, tmp_path)
    assert (in_russian.exit_code, in_russian.output.splitlines()) == (
        1,
        [
            "ошибка: в собрании 1 объявлен перерыв: до его возобновления не голосуют и не тянут"
            " жребий"
        ],
    )
    as_json = json.loads(invoke(runner, app, [*draw, "--json"], env, tmp_path).stdout)
    assert as_json["error"] == "refused"
    assert [(p["code"], p["where"], p["numbers"]) for p in as_json["problems"]] == [
        ("sitting_adjourned", "sitting 1", {"sitting": 1})
    ]
    assert invoke(runner, app, ["saylau", "sitting", "resume", "1"], env, tmp_path).exit_code == 0
    done = invoke(runner, app, draw, env, tmp_path)
    assert done.exit_code == 0, done.output
    assert done.output.endswith("nomination 7 elected\n")
