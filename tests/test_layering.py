"""Guard: domain/ and rules/ stay pure; they never import the ORM, web or CLI frameworks."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "saylau"
FORBIDDEN = {"sqlalchemy", "fastapi", "typer", "jinja2", "alembic", "starlette", "psycopg"}
PURE = ["domain", "rules"]


def _imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
        if isinstance(node, ast.Import):
            roots |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            roots.add(node.module.split(".")[0])
    return roots


def test_the_scan_sees_imports() -> None:
    assert "saylau" in _imported_roots(SRC / "rules" / "decide.py")


@pytest.mark.parametrize("layer", PURE)
def test_pure_layers_import_no_framework(layer: str) -> None:
    offenders = {
        str(path.relative_to(SRC)): sorted(_imported_roots(path) & FORBIDDEN)
        for path in sorted((SRC / layer).rglob("*.py"))
    }
    assert {k: v for k, v in offenders.items() if v} == {}
