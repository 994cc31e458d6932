"""`saylau count FILE|-`: decide a contest's recorded rounds under a rule set (docs/count.md).

Imports nothing heavy: this command must start as fast as `saylau --help` (bench/startup.py).
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    from collections.abc import Callable

    from saylau.i18n import Language


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
    from saylau.cli.language import current_language

    code = count_main(ctx.args, lang=current_language())
    if code:
        raise typer.Exit(code)


def count_main(args: Sequence[str], *, lang: Language = "en") -> int:
    """The whole command without Typer: read, count, print; returns the exit status. The
    usage and reading errors are in `lang`; the output is JSON, the same in every language."""
    _ = _translator(lang)
    if len(args) != 1:
        usage = _("usage: saylau count FILE|-  (one count input JSON file, or - for stdin)")
        sys.stderr.write(usage + "\n")
        return 2
    file = args[0]
    try:
        raw = _read(file)
    except OSError as e:
        sys.stderr.write(
            _("%(file)s: cannot read: %(reason)s") % {"file": file, "reason": e} + "\n"
        )
        return 2
    code, out = run_count(raw, source=file)
    (sys.stdout if code == 0 else sys.stderr).write(out + "\n")
    return code


def _translator(lang: Language) -> Callable[[str], str]:
    if lang == "en":  # English needs no catalog (nor saylau.i18n's imports)
        return str
    from saylau.i18n import gettext_for

    return gettext_for(lang)


def run_count(text: str | bytes, *, source: str = "-") -> tuple[int, str]:
    """(0, output JSON) or (2, the one error line), for a count input given as JSON text
    (or its UTF-8 bytes), read by the input layer's strict JSON reader (docs/input.md)."""
    from saylau.rules.count import count
    from saylau.rules.errors import InputError
    from saylau.rules.input import decode_text, load_json

    try:
        data = load_json(decode_text(text) if isinstance(text, bytes) else text)
    except InputError as e:
        # Not yet a count input: the error names the file, and the line and column if any.
        return 2, f"{source}: {e.message}" + (f" at {e.path}" if e.path else "")
    try:
        result = count(data)
    except InputError as e:
        return 2, str(e).replace("\n", " ")
    return 0, json.dumps(result, ensure_ascii=False, indent=2)


def _read(file: str) -> bytes:
    """The input's bytes, at most MAX_FILE_BYTES of them plus one (so a larger file is refused
    without reading it whole)."""
    from saylau.domain.limits import MAX_FILE_BYTES

    if file == "-":
        return sys.stdin.buffer.read(MAX_FILE_BYTES + 1)
    with open(file, "rb") as f:
        return f.read(MAX_FILE_BYTES + 1)
