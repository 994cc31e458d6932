"""`saylau count FILE|-`: decide a contest's recorded rounds under a rule set (docs/count.md).

Imports nothing heavy: this command must start as fast as `saylau --help` (bench/startup.py).
"""

from __future__ import annotations

import json
import sys

import typer

from saylau.cli.main import app


# The file is read from ctx.args rather than a typed parameter: Typer coerces typed parameters
# through pydantic, whose import alone costs more than the whole start-up budget.
@app.command(
    "count",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
    options_metavar="FILE|-",
)
def count_command(ctx: typer.Context) -> None:
    """Decide a contest's recorded rounds (count input JSON in FILE, or - for stdin) and print
    each round's decision and the outcome as JSON (docs/count.md). Input errors: one line on
    stderr naming the JSON path, exit 2."""
    from saylau.rules.count import count
    from saylau.rules.errors import InputError

    if len(ctx.args) != 1:
        _fail("usage: saylau count FILE|-  (one count input JSON file, or - for stdin)")
    file = ctx.args[0]
    try:
        text = sys.stdin.read() if file == "-" else _read(file)
        data = json.loads(text)
        result = count(data)
    except (OSError, UnicodeDecodeError) as e:
        _fail(f"{file}: cannot read: {e}")
    except json.JSONDecodeError as e:
        _fail(f"{file}: not JSON: {e}")
    except InputError as e:
        _fail(str(e))
    sys.stdout.write(json.dumps(result, ensure_ascii=False, indent=2) + "\n")


def _read(file: str) -> str:
    with open(file, encoding="utf-8") as f:
        return f.read()


def _fail(line: str) -> None:
    sys.stderr.write(line.replace("\n", " ") + "\n")
    raise typer.Exit(2)
