"""Input files for CLI tests beyond the worked example."""

from __future__ import annotations

import json
from pathlib import Path

from lifecycle_example import ROUND_2


def tied_krugloozerny(folder: Path) -> Path:
    """Krugloozerny's round 2 tied 8 to 8 with one blank ballot: the contest fails."""
    tie = dict(ROUND_2) | {"votes": {"Candidate 7": 8, "Candidate 8": 8}, "blank": 1}
    path = folder / "tie.json"
    path.write_text(json.dumps(tie), encoding="utf-8")
    return path
