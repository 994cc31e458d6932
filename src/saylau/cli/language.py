"""The language of a command's human output and errors (docs/i18n.md#the-cli): `--lang` on
`saylau` itself or SAYLAU_LANG, kept in the command's click context by the top-level callback;
`_()` translates into it; `label()`, `name_in()`, `number()` and the date helpers show stored
values, names, counts and dates in it. English output stays as the docs and scripts read it.

saylau.i18n (whose import builds the domain's dataclasses) is imported only when a language other
than English is chosen, so `saylau --help` and `saylau count` start as fast as before.
"""

from __future__ import annotations

import sys
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

if TYPE_CHECKING:
    from enum import StrEnum

    from saylau.domain.structure import Names
    from saylau.i18n import Language

EXIT_BAD_INPUT = 2  # as cli/common.py's: malformed input

LANG_ENV = "SAYLAU_LANG"
ENGLISH: Language = "en"
_LANG_META = "saylau.lang"  # where the top-level callback keeps the choice: the click context
LangOption = Annotated[
    str | None,
    typer.Option(
        "--lang",
        metavar="kk|ru|en",
        help="Language of the output and the errors: kk, ru or en (default: SAYLAU_LANG, else"
        " en). JSON output is the same in every language.",
        envvar=LANG_ENV,
        show_default=False,
    ),
]


def language_of(value: str | None) -> Language:
    """The language a --lang value (or SAYLAU_LANG) names; English when none is given; any
    other value is malformed input (exit 2) and the message names the accepted ones."""
    if value is None or value in ("", ENGLISH):
        return ENGLISH
    from saylau.i18n import LANGUAGES, is_language

    if is_language(value):
        return value
    sys.stderr.write(
        f"error: --lang (or {LANG_ENV}): {value!r} is not a language; expected one of"
        f" {', '.join(LANGUAGES)}\n"
    )
    raise typer.Exit(EXIT_BAD_INPUT)


def choose_language(ctx: typer.Context, lang: str | None) -> None:
    """Remember the command's language in its click context (the top-level callback's)."""
    ctx.meta[_LANG_META] = language_of(lang)


def top_options(ctx: typer.Context, lang: LangOption = None) -> None:
    """The options of `saylau` itself, before any command (the Typer callback of cli/main.py):
    the language of the output."""
    choose_language(ctx, lang)


def current_language() -> Language:
    """The running command's language: what --lang or SAYLAU_LANG chose for it, else English."""
    ctx = current_context()
    chosen: Language | None = ctx.meta.get(_LANG_META) if ctx is not None else None
    return chosen or ENGLISH  # language_of checked it


def _(message: str) -> str:
    """`message` (English, extracted into the catalogs) in the command's language."""
    lang = current_language()
    if lang == ENGLISH:
        return message
    from saylau.i18n import gettext_for

    return gettext_for(lang)(message)


def label(value: StrEnum) -> str:
    """A stored status, kind or role as a person reads it in the command's language. English
    output shows the stored value itself (`registered`), as the docs and scripts read it."""
    lang = current_language()
    if lang == ENGLISH:
        return str(value.value)
    from saylau.i18n.labels import label as label_in

    return label_in(value, lang)


def name_in(names: Names, english: tuple[str, ...] = ("en", "ru", "kk")) -> str:
    """A stored name in the command's language, else in another (saylau.i18n.pick_name).
    English output keeps the order of languages each command has always shown (`english`)."""
    lang = current_language()
    if lang == ENGLISH:
        return next((str(getattr(names, x)) for x in english if getattr(names, x)), "")
    from saylau.i18n import pick_name

    return pick_name(names, lang)


def number(value: int | Fraction, digits: int = 0) -> str:
    """A count (or an exact share rounded to `digits`) as the command's language writes it;
    English output keeps the plain digits the docs and scripts read."""
    lang = current_language()
    if lang == ENGLISH:
        return f"{float(value):.{digits}f}" if isinstance(value, Fraction) else str(value)
    from saylau.i18n import format_number

    return format_number(value, lang, digits)


def grouped(value: int) -> str:
    """A large count with its thousands grouped as the command's language groups them."""
    lang = current_language()
    if lang == ENGLISH:
        return f"{value:,}"
    from saylau.i18n import format_number

    return format_number(value, lang)


def day_and_month(value: date) -> str:
    """`05 August` in the command's language."""
    lang = current_language()
    if lang == ENGLISH:
        return f"{value:%d %B}"
    from saylau.i18n import format_date

    return format_date(value, lang, "d MMMM")


def date_text(value: date | None) -> str:
    """A date as the command's language writes it; English output keeps YYYY-MM-DD."""
    lang = current_language()
    if value is None or lang == ENGLISH:
        return "" if value is None else value.isoformat()
    from saylau.i18n import format_date

    return format_date(value, lang, "medium")


def say_error(message: str) -> None:
    """One `error: …` line on stderr, the prefix in the command's language."""
    sys.stderr.write(_("error: %(message)s") % {"message": message} + "\n")


def current_context() -> Any:
    """The running command's click context: Typer 0.2x vendors click as typer._click, older
    Typer uses click itself."""
    import importlib

    for module in ("typer._click.globals", "click"):
        try:
            ctx = importlib.import_module(module).get_current_context(silent=True)
        except (ImportError, AttributeError):
            continue
        if ctx is not None:
            return ctx
    return None
