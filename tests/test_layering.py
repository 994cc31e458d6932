"""Guard: domain/ and rules/ stay pure; they import the stdlib and the layers below, nothing else
(no ORM, web or CLI framework, no services, db or cli). The front ends (cli/, scenarios/, web/,
documents/, exports/) read through the services' read models: of saylau.db they may use only the
engine and migrations; charts/ is pure."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "saylau"


def _imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
            # `from saylau.db import tables` imports the module saylau.db.tables.
            names |= {f"{node.module}.{alias.name}" for alias in node.names}
    return names


def _outside(name: str, allowed: tuple[str, ...]) -> bool:
    if name.split(".")[0] in sys.stdlib_module_names:
        return False
    return not any(name == a or name.startswith(f"{a}.") for a in allowed)


def test_the_scan_sees_imports() -> None:
    found = _imported_modules(SRC / "rules" / "decide.py")
    assert "saylau.rules.protocol" in found
    assert [n for n in sorted(found) if _outside(n, ("saylau.rules",))] == []
    assert _outside("saylau.services.results", ("saylau.domain", "saylau.rules"))
    assert _outside("sqlalchemy.orm", ("saylau.domain",))


@pytest.mark.parametrize(
    ("layer", "allowed"),
    [
        ("domain", ("saylau.domain",)),
        ("rules", ("saylau.domain", "saylau.rules")),
        # Languages: the domain's names and enums, and Babel for catalogs and locale formats.
        ("i18n", ("saylau.domain", "saylau.i18n", "babel")),
        # Charts: numbers and words in, SVG text out; nothing of saylau but themselves.
        ("charts", ("saylau.charts",)),
    ],
)
def test_pure_layers_use_only_the_stdlib_and_the_layers_below(
    layer: str, allowed: tuple[str, ...]
) -> None:
    # docs/architecture.md: domain is stdlib only; rules add nothing but the domain.
    offenders = {
        str(path.relative_to(SRC)): sorted(
            n for n in _imported_modules(path) if _outside(n, allowed)
        )
        for path in sorted((SRC / layer).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}


FRONT_ENDS = ("cli", "scenarios", "web", "documents", "exports")
# What a front end may take from saylau.db: connecting and bringing the schema up to date.
DB_ALLOWED = ("saylau.db.engine", "saylau.db.migrate")


def _reads_tables(name: str) -> bool:
    if name == "saylau.db" or not name.startswith("saylau.db."):
        return False
    return not any(name == a or name.startswith(f"{a}.") for a in DB_ALLOWED)


def test_the_table_scan_sees_every_form_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import saylau.db.tables\n"
        "from saylau.db import base\n"
        "def f():\n    from saylau.db.tables.election import ContestRow\n"
        "from saylau.db.engine import make_engine\n",
        encoding="utf-8",
    )
    found = sorted(n for n in _imported_modules(sample) if _reads_tables(n))
    assert found == [
        "saylau.db.base",
        "saylau.db.tables",
        "saylau.db.tables.election",
        "saylau.db.tables.election.ContestRow",
    ]


@pytest.mark.parametrize("layer", FRONT_ENDS)
def test_front_ends_read_no_table(layer: str) -> None:
    # docs/architecture.md: no adapter touches a table; reads go through read models.
    offenders = {
        str(path.relative_to(SRC)): sorted(n for n in _imported_modules(path) if _reads_tables(n))
        for path in sorted((SRC / layer).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
