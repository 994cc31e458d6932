"""Languages: Kazakh, Russian and English for every string a person reads (docs/i18n.md).

English is the source language: messages are written in English in the code and templates and
translated in the Kazakh and Russian catalogs (`locale/<lang>/LC_MESSAGES/messages.po`), which
Babel extracts and updates (`python tools/i18n.py`). Names of territories and people are data,
stored in the three languages, and never pass through a catalog (`pick_name`).

The catalogs are read from their .po files when a language is first used (a few milliseconds),
so no compiled .mo file is kept beside its source that could fall out of step with it.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Callable
from datetime import date, datetime
from fractions import Fraction
from functools import cache
from importlib.resources import files
from typing import Literal, TypeGuard, get_args

from saylau.domain.structure import Names

Language = Literal["kk", "ru", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
SOURCE_LANGUAGE: Language = "en"
# The language a visitor who states no preference sees: the state language of Kazakhstan.
DEFAULT_LANGUAGE: Language = "kk"
# Each language's name in itself, for the language switch.
ENDONYMS: dict[Language, str] = {"kk": "Қазақша", "ru": "Русский", "en": "English"}


def is_language(value: object) -> TypeGuard[Language]:
    return value in LANGUAGES


def N_(message: str) -> str:
    """Marks a message for extraction where it is defined; it is translated where it is shown."""
    return message


@cache
def translations(lang: Language) -> gettext.NullTranslations:
    """The catalog of `lang`; the source language translates to itself. Fuzzy entries are
    left out, so a message whose translation is unsure shows in English rather than wrongly."""
    if lang == SOURCE_LANGUAGE:
        return gettext.NullTranslations()
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    po = files("saylau.i18n").joinpath("locale", lang, "LC_MESSAGES", "messages.po")
    with po.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def gettext_for(lang: Language) -> Callable[[str], str]:
    return translations(lang).gettext


def ngettext_for(lang: Language) -> Callable[[str, str, int], str]:
    return translations(lang).ngettext


def negotiate(accept_language: str | None, default: Language = DEFAULT_LANGUAGE) -> Language:
    """The best of our languages for an HTTP Accept-Language header (RFC 9110 §12.5.4):
    ranges by descending weight, a region subtag ignored (`ru-KZ` is `ru`), `q=0` refused."""
    if not accept_language:
        return default
    ranked: list[tuple[float, int, str]] = []
    for position, part in enumerate(accept_language.split(",")):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        if tag and weight > 0:
            ranked.append((-weight, position, tag.strip().lower()))
    for _, _, tag in sorted(ranked):
        primary = tag.split("-")[0]
        if is_language(primary):
            return primary
    return default


def pick_name(names: Names, lang: Language) -> str:
    """A stored name in `lang`, else in the other languages (Kazakh, Russian, English)."""
    for candidate in (lang, "kk", "ru", "en"):
        value: str = getattr(names, candidate)
        if value:
            return value
    return ""


def format_date(day: date | datetime, lang: Language, form: str = "long") -> str:
    from babel.dates import format_date as babel_format_date

    return babel_format_date(day, format=form, locale=lang)


def format_datetime(moment: datetime, lang: Language, form: str = "medium") -> str:
    from babel.dates import format_datetime as babel_format_datetime

    return babel_format_datetime(moment, format=form, locale=lang)


def format_number(value: int | Fraction | float, lang: Language, digits: int = 0) -> str:
    """A number with the locale's grouping and decimal sign; a Fraction is rounded to `digits`
    only here, for display (the figure itself stays exact)."""
    from decimal import ROUND_HALF_EVEN, Decimal

    from babel.numbers import format_decimal

    if isinstance(value, Fraction):
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        value_d = exact.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_EVEN)
        pattern = "#,##0" + ("." + "0" * digits if digits else "")
        return format_decimal(value_d, format=pattern, locale=lang)
    return format_decimal(value, locale=lang)


def format_percent(share: Fraction, lang: Language, digits: int = 1) -> str:
    from decimal import Decimal

    from babel.numbers import format_percent as babel_format_percent

    pattern = "#,##0" + ("." + "0" * digits if digits else "") + "%"
    exact = Decimal(share.numerator) / Decimal(share.denominator)
    return babel_format_percent(exact, format=pattern, locale=lang)
