"""Documentation is tested: docs/rules.md names every preset, code and value; docs/count.md's
worked example is the real output."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from saylau.rules.count import count
from saylau.rules.model import Advance, Base, Tie
from saylau.rules.presets import preset_names

ROOT = Path(__file__).resolve().parents[2]
RULES_MD = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
COUNT_MD = (ROOT / "docs" / "count.md").read_text(encoding="utf-8")
CODES = [
    "negative_count",
    "present_exceeds_members",
    "issued_not_present",
    "ballots_unbalanced",
    "cast_exceeds_issued",
    "cast_exceeds_present",
    "cast_not_sum",
]


@pytest.mark.parametrize("word", [*preset_names(), *CODES, *Base, *Advance, *Tie])
def test_rules_md_names(word: str) -> None:
    assert f"`{word}`" in RULES_MD or f'"{word}"' in RULES_MD


def test_every_documented_code_is_produced_by_protocol_py() -> None:
    source = (ROOT / "src" / "saylau" / "rules" / "protocol.py").read_text(encoding="utf-8")
    assert set(re.findall(r'\bviolation\(\s*"([a-z_]+)"', source)) == set(CODES)


def test_count_md_example_is_the_real_output() -> None:
    block = COUNT_MD.split("```json\n")[1].split("```")[0]
    example = json.loads((ROOT / "examples" / "kz-akim-2013-repeat-voting.json").read_text())
    assert json.loads(block) == count(example)
