"""axe-core for the accessibility checks: `axe.min.js` from the npm package axe-core 4.14.1
(MPL-2.0), fetched by .ci/run with `npm pack` into .cache/axe-core/ (git-ignored), or named by
SAYLAU_AXE_JS. Missing, the check skips with the reason, except under CI=true."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

VERSION = "4.14.1"
DEFAULT = Path(__file__).resolve().parents[3] / ".cache" / "axe-core" / "axe.min.js"
SERIOUS = ("serious", "critical")


def axe_script() -> str:
    path = Path(os.environ.get("SAYLAU_AXE_JS") or DEFAULT)
    if not path.is_file():
        reason = (
            f"{path} is missing: npm pack axe-core@{VERSION} and extract package/axe.min.js"
            " there (.ci/run does)"
        )
        if os.environ.get("CI") == "true":
            pytest.fail(f"under CI=true: {reason}")
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")


def serious_violations(page: Any) -> list[str]:
    """Run axe-core on the page as it is; the serious and critical violations, one line each."""
    page.add_script_tag(content=axe_script())
    result = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] for n in v["nodes"][:5])
        for v in result["violations"]
        if v["impact"] in SERIOUS
    ]
