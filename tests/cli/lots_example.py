"""The input files of docs/lifecycle.md's "Drawing lots" section: the worked example's files,
an event whose rule set settles a tie by lot, and a repeat voting in Krugloozerny that ties."""

from __future__ import annotations

import json
import sys
from importlib import resources
from pathlib import Path
from typing import Any

from lifecycle_example import EVENT, _protocol
from lifecycle_example import write_files as write_worked_example


def lot_rules() -> dict[str, Any]:
    """kz-akim-2013 with `tie: lot` (the shipped preset fails a tie: no preset draws lots)."""
    preset = resources.files("saylau.rules").joinpath("presets/kz-akim-2013.json")
    rules: dict[str, Any] = json.loads(preset.read_text("utf-8"))
    return rules | {"name": "kz-akim-2013-lot", "tie": "lot"}


EVENT_LOT = EVENT | {"rules": lot_rules()}
# Round 2 in Krugloozerny: 8 to 8 and one blank ballot.
ROUND_2_TIE = _protocol("271037000", 2, {"Candidate 7": 8, "Candidate 8": 8}, blank=1)


def write_files(folder: Path) -> list[Path]:
    written = write_worked_example(folder)
    for name, data in (("event-lot.json", EVENT_LOT), ("round2-tie.json", ROUND_2_TIE)):
        path = folder / name
        path.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        written.append(path)
    return written


if __name__ == "__main__":
    # `python tests/cli/lots_example.py DIR` writes the files the section reads.
    for written in write_files(Path(sys.argv[1] if len(sys.argv) > 1 else ".")):
        print(written)
