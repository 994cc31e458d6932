"""Extract the messages and update the catalogs, or check them (docs/i18n.md).

    python tools/i18n.py          # pybabel extract → messages.pot; pybabel update → kk, ru
    python tools/i18n.py check    # exit 1 listing every missing or fuzzy message, and any
                                  # message in the code that the template does not hold

English is the source language, so only the Kazakh and Russian catalogs are translated.
"""

from __future__ import annotations

import contextlib
import sys
import tempfile
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.frontend import CommandLineInterface
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "src" / "saylau" / "i18n"
TEMPLATE = PACKAGE / "messages.pot"
TRANSLATED = ("kk", "ru")
CATALOGS = {lang: PACKAGE / "locale" / lang / "LC_MESSAGES" / "messages.po" for lang in TRANSLATED}


def _pybabel(*args: str) -> None:
    CommandLineInterface().run(["pybabel", "-q", *args])


def extract(output: Path) -> None:
    # From the root, so that the template's locations are relative paths.
    with contextlib.chdir(ROOT):
        _pybabel(
            "extract",
            "-F",
            str(ROOT / "babel.cfg"),
            "--project=saylau",
            "--add-location=file",
            "--sort-output",
            "-o",
            str(output),
            ".",
        )


def update() -> None:
    extract(TEMPLATE)
    for lang, path in CATALOGS.items():
        if not path.exists():
            _pybabel("init", "-i", str(TEMPLATE), "-d", str(PACKAGE / "locale"), "-l", lang)
        else:
            _pybabel(
                "update",
                "-i",
                str(TEMPLATE),
                "-o",
                str(path),
                "-l",
                lang,
                "--ignore-obsolete",
                "--no-fuzzy-matching",
            )


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as fp:
        return read_po(fp, locale=locale)


def problems() -> list[str]:
    """Every reason the catalogs are not ready: messages in the code missing from the
    template, and messages untranslated, fuzzy or missing in a catalog."""
    found: list[str] = []
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "fresh.pot"
        extract(fresh)
        in_code = {m.id for m in _read(fresh) if m.id}
    in_template = {m.id for m in _read(TEMPLATE) if m.id}
    found += [f"messages.pot lacks {msgid!r}" for msgid in sorted(in_code - in_template, key=str)]
    for lang, path in CATALOGS.items():
        catalog = _read(path, lang)
        for msgid in sorted(in_code, key=str):
            message = catalog.get(msgid)
            if message is None:
                found.append(f"{lang}: missing {msgid!r}")
            elif message.fuzzy:
                found.append(f"{lang}: fuzzy {msgid!r}")
            elif not (all(message.string) if message.pluralizable else message.string):
                found.append(f"{lang}: untranslated {msgid!r}")
    return found


def main(argv: list[str]) -> int:
    if argv[1:] == ["check"]:
        found = problems()
        for line in found:
            print(line)
        return 1 if found else 0
    if argv[1:]:
        print(__doc__)
        return 2
    update()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
