"""Exit codes are one convention across the CLI (docs/architecture.md#exit-codes): 0 done,
1 refused / not found / conflict, 2 malformed input. A sample of commands, each kind of case."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from saylau.cli.main import build_app

app = build_app()
runner = CliRunner()

NOT_FOUND = [
    ["event", "show", "--event", "99"],
    ["event", "show"],  # no event at all
    ["protocol", "show", "99"],
    ["sitting", "show", "99"],
    ["appeal", "show", "99"],
    ["councils", "show", "99"],
    ["commissions", "show", "99"],
    ["candidate", "register", "99"],
    ["contest", "show", "99"],
]

MALFORMED = [
    ["protocol", "show", "abc"],  # not an id
    ["contest", "list", "--status", "nope"],
    ["candidate", "list", "--status", "nope"],
    ["candidate", "nominate", "1", "--name", "X", "--sex", "male", "--born", "1970-13-01"],
    ["event", "create", "{missing}"],  # no such input file: the argument is malformed
    ["event", "create", "{broken}"],
    ["import", "territories", "{missing}"],
]


def _run(url: str, args: list[str], tmp_path: Path) -> tuple[int, str]:
    broken = tmp_path / "broken.json"
    broken.write_text('{"name": ', encoding="utf-8")
    files = {"missing": str(tmp_path / "missing.json"), "broken": str(broken)}
    done = runner.invoke(app, [a.format(**files) for a in args] + ["--db", url])
    return done.exit_code, done.stderr


@pytest.mark.parametrize("args", NOT_FOUND, ids=" ".join)
def test_not_found_exits_1(admin_url: str, tmp_path: Path, args: list[str]) -> None:
    code, stderr = _run(admin_url, args, tmp_path)
    assert code == 1, stderr
    assert stderr.startswith("error: no "), stderr


@pytest.mark.parametrize("args", MALFORMED, ids=" ".join)
def test_malformed_input_exits_2(admin_url: str, tmp_path: Path, args: list[str]) -> None:
    code, stderr = _run(admin_url, args, tmp_path)
    assert code == 2, stderr


def test_refusal_and_conflict_exit_1(admin_url: str, tmp_path: Path) -> None:
    # Refused: the first user exists, so adding another without the right is refused (1).
    done = runner.invoke(
        app,
        ["user", "add", "x", "--role", "chair", "--password-stdin", "--db", admin_url],
        input="a long enough password\n",
        env={"SAYLAU_USER": "", "SAYLAU_PASSWORD": ""},
    )
    assert done.exit_code == 1, done.stderr
    # A preset that does not exist is not found (1), like an unknown id.
    shown = runner.invoke(app, ["rules", "show", "nope"])
    assert (shown.exit_code, shown.stderr.split(";")[0]) == (
        1,
        "error: rules: unknown preset 'nope'",
    )
    # With --json the refusal is also an object on stdout, the same code either way.
    as_json = runner.invoke(app, ["protocol", "show", "99", "--json", "--db", admin_url])
    assert as_json.exit_code == 1
    assert json.loads(as_json.stdout)["error"] == "not_found"


def test_count_contract_keeps_2_for_every_input_error(tmp_path: Path) -> None:
    missing = runner.invoke(app, ["count", str(tmp_path / "none.json")])
    assert missing.exit_code == 2
    record = tmp_path / "r.json"
    record.write_text(json.dumps({"rules": "nope", "members": 3}), encoding="utf-8")
    assert runner.invoke(app, ["count", str(record)]).exit_code == 2
