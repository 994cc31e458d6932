"""`saylau protocol correct` after the worked example's round 1 (issue 8): a correction that
keeps the repeat voting is accepted and opens nothing again; one naming another contest or
round is refused with exit code 1 and one message, no traceback."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from lifecycle_example import ROUND_1, invoke, up_to_the_count, write_files
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()


def _run(env: dict[str, str], folder: Path, *args: str) -> Any:
    return invoke(runner, app, ["saylau", *args], env, folder)


def _file(folder: Path, name: str, data: dict[str, Any]) -> str:
    (folder / name).write_text(json.dumps(data), encoding="utf-8")
    return name


def test_corrections_from_the_cli(
    migrated_database_url: str, tmp_path: Path, monkeypatch: Any
) -> None:
    write_files(tmp_path)
    monkeypatch.chdir(tmp_path)
    env = up_to_the_count(runner, app, migrated_database_url, tmp_path)
    assert _run(env, tmp_path, "protocol", "submit", "round1.json").exit_code == 0

    # Krugloozerny (protocol 3) went 7/6/4: repeat voting between Candidates 7 and 8. A recount
    # moves one vote for Candidate 8 to blank; the decision is the same.
    keep = _file(
        tmp_path,
        "keep.json",
        ROUND_1[2] | {"votes": {"Candidate 7": 7, "Candidate 8": 5, "Candidate 9": 4}, "blank": 1},
    )
    done = _run(env, tmp_path, "protocol", "correct", "3", keep, "--reason", "recount")
    assert (done.exit_code, done.stdout.splitlines()) == (
        0,
        [
            "protocol 4: contest 3 round 1 v2 accepted; repeat voting in round 2 between"
            " Candidate 7 and Candidate 8 (nominations 7, 8); votes needed 9"
        ],
    ), done.output
    rounds = json.loads(_run(env, tmp_path, "contest", "show", "271037000", "--json").stdout)
    assert [(r["round_no"], r["status"]) for r in rounds["rounds"]] == [
        (1, "decided"),
        (2, "open"),
    ]

    # A correction file naming Krugloozerny round 7, applied to Zachagansk's protocol 2.
    wrong = _file(tmp_path, "wrong.json", ROUND_1[1] | {"contest": "271037000", "round": 7})
    refused = _run(env, tmp_path, "protocol", "correct", "2", wrong, "--reason", "recount")
    assert refused.exit_code == 1, refused.output
    assert isinstance(refused.exception, SystemExit) and "Traceback" not in refused.output
    assert refused.stderr.splitlines() == [
        "error: the correction names contest 271037000 round 7, but protocol 2 is the protocol"
        " of contest 2 (271035000) round 1"
    ]
    shown = json.loads(_run(env, tmp_path, "protocol", "show", "2", "--json").stdout)
    assert (shown[0]["status"], shown[0]["version"]) == ("accepted", 1)
    assert _run(env, tmp_path, "verify").stdout.startswith("ok")
