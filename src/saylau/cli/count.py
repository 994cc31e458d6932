"""`saylau count FILE|-`: decide a contest's recorded rounds under a rule set (docs/count.md).

Imports nothing heavy: this command must start as fast as `saylau --help` (bench/startup.py).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence

import typer

USAGE = "usage: saylau count FILE|-  (one count input JSON file, or - for stdin)"


# The file comes from ctx.args rather than a typed parameter: Typer coerces typed parameters
# through pydantic, whose import alone costs a third of the start-up budget.
def register(app: typer.Typer) -> None:
    app.command(
        "count",
        context_settings={"allow_extra_args": True, "ignore_unknown_options": True},
        options_metavar="FILE|-",
    )(count_command)


def count_command(ctx: typer.Context) -> None:
    """Decide a contest's recorded rounds (count input JSON in FILE, or - for stdin) and print
    each round's decision and the outcome as JSON (docs/count.md). Input errors: one line on
    stderr naming the JSON path, exit 2."""
    code = count_main(ctx.args)
    if code:
        raise typer.Exit(code)


def count_main(args: Sequence[str]) -> int:
    """The whole command without Typer: read, count, print; returns the exit status."""
    if len(args) != 1:
        sys.stderr.write(USAGE + "\n")
        return 2
    file = args[0]
    try:
        text = sys.stdin.read() if file == "-" else _read(file)
    except (OSError, UnicodeDecodeError) as e:
        sys.stderr.write(f"{file}: cannot read: {e}\n")
        return 2
    code, out = run_count(text, source=file)
    (sys.stdout if code == 0 else sys.stderr).write(out + "\n")
    return code


def run_count(text: str, *, source: str = "-") -> tuple[int, str]:
    """(0, output JSON) or (2, the one error line), for a count input given as JSON text."""
    from saylau.rules.count import count
    from saylau.rules.errors import InputError

    try:
        data = json.loads(text, object_pairs_hook=_refuse_duplicate_keys)
    except _DuplicateKey as e:
        return 2, f"{source}: duplicate key {e.args[0]!r} in one JSON object"
    except ValueError as e:  # JSONDecodeError, and integers longer than Python reads
        return 2, f"{source}: not JSON: {e}"
    try:
        result = count(data)
    except InputError as e:
        return 2, str(e).replace("\n", " ")
    return 0, json.dumps(result, ensure_ascii=False, indent=2)


class _DuplicateKey(ValueError):
    pass


def _refuse_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json would keep the last of two votes for "a"; a count must not silently drop one.
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _DuplicateKey(key)
        result[key] = value
    return result


def _read(file: str) -> str:
    with open(file, encoding="utf-8") as f:
        return f.read()
