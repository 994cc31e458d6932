"""Regenerate tests/golden/*/expected.json from each case's input.json; review with git diff.

Usage: .venv/bin/python tools/refresh_golden.py [CASE ...]
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from saylau.cli.count import run_count

GOLDEN = Path(__file__).resolve().parent.parent / "tests" / "golden"


def expected_for(input_text: str) -> dict[str, object]:
    """What `saylau count` answers for a case: exit status and stdout JSON or stderr line."""
    code, out = run_count(input_text, source="input.json")
    if code == 0:
        return {"exit": 0, "stdout": json.loads(out)}
    return {"exit": code, "stderr": out}


def main(names: list[str]) -> int:
    cases = sorted(p for p in GOLDEN.iterdir() if (p / "input.json").is_file())
    if names:
        cases = [c for c in cases if c.name in names]
    for case in cases:
        expected = expected_for((case / "input.json").read_text(encoding="utf-8"))
        text = json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
        target = case / "expected.json"
        changed = not target.exists() or target.read_text(encoding="utf-8") != text
        target.write_text(text, encoding="utf-8")
        print(f"{'changed' if changed else 'same   '} {case.name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
