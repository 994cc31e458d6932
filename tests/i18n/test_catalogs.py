"""The catalogs: complete and not fuzzy for every message in the code (docs/i18n.md), and the
language helpers that every front end shares."""

from __future__ import annotations

import importlib.util
import shutil
import sys
from datetime import date
from fractions import Fraction
from pathlib import Path
from types import ModuleType

import pytest

from saylau.domain.election import ContestStatus
from saylau.domain.structure import Names
from saylau.i18n import (
    LANGUAGES,
    format_date,
    format_number,
    format_percent,
    negotiate,
    pick_name,
)
from saylau.i18n.labels import LABELS, label

ROOT = Path(__file__).resolve().parents[2]


def _tool() -> ModuleType:
    spec = importlib.util.spec_from_file_location("i18n_tool", ROOT / "tools" / "i18n.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["i18n_tool"] = module
    spec.loader.exec_module(module)
    return module


def test_every_message_in_the_code_is_translated_and_not_fuzzy() -> None:
    assert _tool().problems() == []


def test_the_check_reports_a_fuzzy_and_a_missing_message(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tool = _tool()
    catalog = tmp_path / "kk.po"
    text = tool.CATALOGS["kk"].read_text(encoding="utf-8")
    text = text.replace('msgid "Elected"', '#, fuzzy\nmsgid "Elected"', 1)
    text = text.replace('msgid "Court"\nmsgstr "Сот"', 'msgid "Court"\nmsgstr ""', 1)
    catalog.write_text(text, encoding="utf-8")
    shutil.copy(tool.CATALOGS["ru"], tmp_path / "ru.po")
    monkeypatch.setattr(tool, "CATALOGS", {"kk": catalog, "ru": tmp_path / "ru.po"})
    assert tool.problems() == ["kk: untranslated 'Court'", "kk: fuzzy 'Elected'"]


def test_every_value_of_a_labelled_enum_has_a_label_in_every_language() -> None:
    for enum, labels in LABELS.items():
        assert set(labels) == {member.value for member in enum}, enum.__name__
        for member in enum:
            for lang in LANGUAGES:
                assert label(member, lang)


def test_labels_are_translated() -> None:
    assert label(ContestStatus.ELECTED, "en") == "Elected"
    assert label(ContestStatus.ELECTED, "kk") == "Сайланды"
    assert label(ContestStatus.REPEAT_ELECTION, "ru") == "Повторные выборы"


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "kk"),
        ("", "kk"),
        ("ru-RU,ru;q=0.9,en-US;q=0.8", "ru"),
        ("en-GB;q=0.5, kk-KZ;q=0.7", "kk"),
        ("de,fr;q=0.9,en;q=0.3", "en"),
        ("ru;q=0, en", "en"),
        ("de", "kk"),
        ("*", "kk"),
        ("ru;q=abc, en;q=0.1", "en"),
    ],
)
def test_accept_language_is_negotiated(header: str | None, expected: str) -> None:
    assert negotiate(header) == expected


def test_names_fall_back_through_the_languages() -> None:
    assert pick_name(Names(kk="Ақтау", ru="Актау", en="Aktau"), "ru") == "Актау"
    assert pick_name(Names(kk="Ақтау"), "en") == "Ақтау"
    assert pick_name(Names(ru="Актау"), "en") == "Актау"


def test_dates_and_numbers_follow_the_locale() -> None:
    day = date(2013, 8, 5)
    assert format_date(day, "en") == "August 5, 2013"
    assert "тамыз" in format_date(day, "kk")
    assert format_date(day, "ru").replace("\N{NARROW NO-BREAK SPACE}", " ") == "5 августа 2013 г."
    assert format_number(6738, "en") == "6,738"
    assert format_number(6738, "ru") == "6\N{NO-BREAK SPACE}738"
    assert format_number(Fraction(140, 3), "en", digits=1) == "46.7"
    assert format_number(Fraction(140, 3), "kk", digits=1) == "46,7"
    assert format_percent(Fraction(280, 2454), "en") == "11.4%"
