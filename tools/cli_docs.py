"""Writes docs/cli.md from the help text of every `saylau` command (run after changing the CLI).

`python tools/cli_docs.py` rewrites the file; `python tools/cli_docs.py --check` exits 1 when
the file is out of date (tests/test_docs.py runs the check).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

# Plain click help (no Rich boxes, no terminal-dependent width): set before typer is imported.
os.environ["TYPER_USE_RICH"] = "0"

import typer.main
from typer.testing import CliRunner

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "docs" / "cli.md"

HEADER = """# CLI reference

Generated from the commands' own help by `python tools/cli_docs.py`; a test fails when this
page and the commands disagree. Every command that opens a database takes `--db URL` (default:
`$SAYLAU_DATABASE_URL`, else `sqlite:///saylau.db`) and brings its schema up to date first.
Exit codes: 0 done; 1 refused, not found or conflict (the rules, the stored state or a permission
forbid it); 2 malformed input (an option, an argument or a file that is not what the command
takes). The table is in [architecture.md](architecture.md#exit-codes).
"""


def _walk(command: Any, path: list[str]) -> list[list[str]]:
    found = [path]
    subcommands = getattr(command, "commands", None) or {}
    for name in sorted(subcommands):
        found.extend(_walk(subcommands[name], [*path, name]))
    return found


def render() -> str:
    from saylau.cli.main import build_app

    app = build_app()
    runner = CliRunner()
    parts = [HEADER]
    for path in _walk(typer.main.get_command(app), ["saylau"]):
        result = runner.invoke(
            app, [*path[1:], "--help"], prog_name="saylau", env={"COLUMNS": "100"}
        )
        if result.exit_code != 0:
            raise SystemExit(f"{' '.join(path)} --help failed: {result.output}")
        text = result.output
        level = "#" * min(len(path) + 1, 4)
        parts.append(f"\n{level} `{' '.join(path)}`\n\n```\n{text.rstrip()}\n```\n")
    return "".join(parts)


def main() -> int:
    text = render()
    if "--check" in sys.argv[1:]:
        current = TARGET.read_text(encoding="utf-8") if TARGET.exists() else ""
        if current != text:
            print(f"{TARGET.relative_to(ROOT)} is out of date: run python tools/cli_docs.py")
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
