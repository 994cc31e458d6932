"""Golden cases: each tests/golden/<case>/input.json gives exactly expected.json (refresh with
tools/refresh_golden.py), also when its preset is replaced by `saylau rules show` output."""

from __future__ import annotations

import json
import subprocess
import sys
from functools import cache
from pathlib import Path

import pytest

from saylau.cli.count import run_count
from saylau.rules.presets import preset_names

GOLDEN = Path(__file__).parent
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "input.json").is_file())
PRESET_CASES = [
    c
    for c in CASES
    if isinstance(json.loads((GOLDEN / c / "input.json").read_text())["rules"], str)
]
CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]


def _answer(input_data: object) -> dict[str, object]:
    code, out = run_count(json.dumps(input_data), source="input.json")
    return {"exit": 0, "stdout": json.loads(out)} if code == 0 else {"exit": code, "stderr": out}


def _load(case: str, name: str) -> dict[str, object]:
    data: dict[str, object] = json.loads((GOLDEN / case / name).read_text(encoding="utf-8"))
    return data


@cache
def _shown(preset: str) -> dict[str, object]:
    """The preset as printed by the real `saylau rules show` command."""
    done = subprocess.run([*CLI, "rules", "show", preset], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    shown: dict[str, object] = json.loads(done.stdout)
    return shown


def test_there_are_cases_for_every_preset_and_each_kind_of_outcome() -> None:
    answers = [_load(c, "expected.json") for c in CASES]
    outcomes = {a["stdout"]["outcome"] for a in answers if a["exit"] == 0}  # type: ignore[index]
    assert outcomes == {"elected", "failed", "lot_required", "undecided"}
    presets = {_load(c, "input.json")["rules"] for c in PRESET_CASES}
    assert set(preset_names()) <= presets
    assert sum(a["exit"] == 2 for a in answers) >= 8


@pytest.mark.parametrize("case", CASES)
def test_golden_case(case: str) -> None:
    assert _answer(_load(case, "input.json")) == _load(case, "expected.json")


@pytest.mark.parametrize("case", PRESET_CASES)
def test_rules_show_output_gives_identical_answers(case: str) -> None:
    data = _load(case, "input.json")
    inline = {**data, "rules": _shown(str(data["rules"]))}
    assert _answer(inline) == _load(case, "expected.json")
