"""Documentation is part of a feature: the CLI reference matches the commands, links resolve."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"


def test_cli_reference_matches_the_commands() -> None:
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "cli_docs.py"), "--check"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_every_command_group_has_a_section() -> None:
    text = (DOCS / "cli.md").read_text(encoding="utf-8")
    for group in ("count", "rules", "import", "verify", "event", "candidate", "sitting"):
        assert f"## `saylau {group}`" in text or f"### `saylau {group}`" in text, group


def test_relative_links_in_docs_resolve() -> None:
    missing = []
    for page in [ROOT / "README.md", *DOCS.rglob("*.md")]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", page.read_text(encoding="utf-8")):
            if not (page.parent / target).exists():
                missing.append(f"{page.relative_to(ROOT)} -> {target}")
    assert missing == []
