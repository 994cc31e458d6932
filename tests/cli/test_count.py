"""`saylau count` as a process: stdout JSON and exit 0, or one stderr line and exit 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]


def _run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], input=stdin, capture_output=True, text=True, cwd=ROOT)


def test_readme_example_decides_the_repeat_voting() -> None:
    done = _run("count", "examples/kz-akim-2013-repeat-voting.json")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert [r["votes_needed"] for r in out["rounds"]] == [9, None]
    assert out["rounds"][0]["standing"] == ["amanov", "serikova"]
    assert (out["outcome"], out["elected"], out["round"]) == ("elected", "serikova", 2)


def test_every_example_is_decided() -> None:
    outcomes = {}
    for path in sorted((ROOT / "examples").glob("*.json")):
        done = _run("count", str(path))
        assert done.returncode == 0, (path.name, done.stderr)
        outcomes[path.stem] = json.loads(done.stdout)["elected"]
    assert outcomes == {
        "de-bundesversammlung-third-ballot": "candidate-a",
        "fr-maire-oldest-wins-tie": "durand",
        "it-presidente-fourth-ballot": "candidate-a",
        "kz-akim-2013-repeat-voting": "serikova",
        "us-house-speaker-repeated-ballots": "candidate-r",
    }


def test_reads_stdin() -> None:
    data = {"rules": "kz-akim-2013", "members": 5, "rounds": [{"votes": {"a": 3, "b": 1}}]}
    done = _run("count", "-", stdin=json.dumps(data))
    assert done.returncode == 0
    assert json.loads(done.stdout)["elected"] == "a"


def test_input_error_is_one_stderr_line_and_exit_2() -> None:
    data = {
        "rules": "kz-akim-2013",
        "members": 19,
        "rounds": [{"ballots_cast": 7, "votes": {"a": 5}}],
    }
    done = _run("count", "-", stdin=json.dumps(data))
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        "rounds[0].ballots_cast: ballots cast 7 ≠ invalid 0 + blank 0 + against all 0"
        " + scattered 0 + votes 5 = 5\n"
    )


def test_not_json_missing_file_and_bad_usage_exit_2() -> None:
    assert _run("count", "-", stdin="{").stderr.startswith("-: not JSON: ")
    missing = _run("count", "no/such.json")
    assert (missing.returncode, missing.stdout) == (2, "")
    assert missing.stderr.startswith("no/such.json: cannot read:")
    usage = _run("count")
    assert (usage.returncode, usage.stderr.count("\n")) == (2, 1)


@pytest.mark.parametrize(
    ("argv", "marker"),
    [(["count", "examples/kz-akim-2013-repeat-voting.json"], '"serikova"'), (["--help"], "Usage")],
)
def test_count_and_help_do_not_import_the_orm_or_web_framework(
    argv: list[str], marker: str
) -> None:
    probe = (
        f"import sys; sys.argv = ['saylau', *{argv!r}]\n"
        "from saylau.cli.main import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "heavy = sorted(m for m in ('sqlalchemy', 'fastapi', 'jinja2', 'alembic', 'psycopg')"
        " if m in sys.modules)\n"
        "sys.stderr.write(repr(heavy))\n"
    )
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert marker in done.stdout


def test_duplicate_keys_and_oversized_numbers_are_input_errors() -> None:
    from saylau.cli.count import run_count

    twice = '{"rules": "kz-akim-2013", "members": 5, "rounds": [{"votes": {"a": 3, "a": 1}}]}'
    assert run_count(twice, source="x.json") == (
        2,
        "x.json: duplicate key 'a' in one JSON object",
    )
    huge = '{"rules": "kz-akim-2013", "members": ' + "9" * 5000 + "}"
    assert run_count(huge, source="x.json") == (2, "x.json: a number of 5,000 digits; at most 19")
