"""Every refusal a service raises carries `Problem`s (code, where, message, numbers), so an adapter
can show each reason and a script can read its code: a refusal is built with `problems=`, with
`ServiceError.one(code, ...)`, or by a helper that does (`unknown_ids`, `Problems`)."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from saylau.services.errors import InvalidInput, NotFound, Problem, unknown_ids

SERVICES = Path(__file__).resolve().parents[2] / "src" / "saylau" / "services"
REFUSALS = {"ServiceError", "NotFound", "InvalidInput", "Refused", "Conflict"}


def bare_refusals(path: Path) -> list[str]:
    """`raise NotFound("...")` and the like without problems, as "file:line"."""
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for function in ast.walk(tree):
        if not isinstance(function, ast.FunctionDef):
            continue
        for node in ast.walk(function):
            if not (isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call)):
                continue
            call = node.exc
            if (
                isinstance(call.func, ast.Name)
                and call.func.id in REFUSALS
                and "problems" not in {k.arg for k in call.keywords}
            ):
                found.append(f"{path.name}:{node.lineno}")
    return sorted(set(found))


def test_every_refusal_in_the_services_names_its_problems() -> None:
    assert [b for p in sorted(SERVICES.rglob("*.py")) for b in bare_refusals(p)] == []


def test_the_check_finds_a_bare_refusal(tmp_path: Path) -> None:
    path = tmp_path / "example.py"
    path.write_text(
        "def f():\n    raise NotFound('no x')\n\n"
        "def g():\n    raise NotFound.one('unknown_x', 'no x')\n",
        encoding="utf-8",
    )
    assert bare_refusals(path) == ["example.py:2"]


def test_a_refusal_without_problems_still_has_one() -> None:
    error = InvalidInput("a correction needs its reason")
    assert error.problems == (Problem("invalid_input", "a correction needs its reason"),)
    assert str(error) == "a correction needs its reason"


def test_one_and_unknown_ids_carry_code_where_and_numbers() -> None:
    error = NotFound.one("unknown_round", "contest 3 has no round 2", where="round", round=2)
    assert error.problems == (
        Problem("unknown_round", "contest 3 has no round 2", "round", {"round": 2}),
    )
    many = unknown_ids("protocol", list(range(1, 13)), where="protocol_ids")
    assert many.message == "no protocol 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 and 2 more"
    assert len(many.problems) == 12
    assert many.problems[11] == Problem(
        "unknown_protocol", "no protocol 12", "protocol_ids", {"id": 12}
    )
    with pytest.raises(NotFound):
        raise many
