"""Guard: domain/ and rules/ stay pure; they import the stdlib and the layers below, nothing else
(no ORM, web or CLI framework, no services, db or cli)."""

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
    [("domain", ("saylau.domain",)), ("rules", ("saylau.domain", "saylau.rules"))],
)
def test_pure_layers_use_only_the_stdlib_and_the_layers_below(
    layer: str, allowed: tuple[str, ...]
) -> None:
    # DESIGN.md: domain is stdlib only; rules add nothing but the domain.
    offenders = {
        str(path.relative_to(SRC)): sorted(
            n for n in _imported_modules(path) if _outside(n, allowed)
        )
        for path in sorted((SRC / layer).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
