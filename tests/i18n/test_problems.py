"""Refusals in any language (saylau/i18n/problems.py): every problem code the services and rules
raise has a message template (or a stated reason why not), every template can be filled by the
numbers some site gives, and translations keep their placeholders."""

from __future__ import annotations

import ast
import re
from collections import defaultdict
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from saylau.i18n.problems import TEMPLATES, WITHOUT_TEMPLATE, placeholders, problem_message
from saylau.services.errors import InvalidInput, Problem, Refused, unknown_ids

ROOT = Path(__file__).resolve().parents[2]
SRC = ROOT / "src" / "saylau"
CODE = re.compile(r"[a-z]+(_[a-z0-9]+)+")


def _literal(node: ast.AST | None) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _names(node: ast.AST | None) -> set[str]:
    """The keys of a literal dict of numbers ({"present": ..., "members": ...})."""
    if isinstance(node, ast.Dict):
        return {k for k in map(_literal, node.keys) if k is not None}
    return set()


def _raised() -> dict[str, set[str]]:
    """Every problem code raised in services/ and rules/, with the names of the numbers its
    sites give: ServiceError.one, Problem, Violation and violation, Problems.bad and forbid,
    unknown_ids, resolve's _problem, a `code` parameter's default, a code written as the
    first item of a (code, message, ...) tuple, and the codes of a dict from enum members to
    codes (those two with the numbers their module gives with a code that is a variable)."""
    found: dict[str, set[str]] = defaultdict(set)
    for path in sorted([*(SRC / "services").rglob("*.py"), *(SRC / "rules").rglob("*.py")]):
        dynamic: set[str] = set()  # numbers given with a code that is a variable
        tuple_codes: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Tuple) and len(node.elts) >= 2:
                code = _literal(node.elts[0])
                second = node.elts[1]
                message = isinstance(second, ast.JoinedStr) or " " in (_literal(second) or "")
                if code and CODE.fullmatch(code) and message:
                    tuple_codes.append(code)
            if (
                isinstance(node, ast.Dict)
                and node.values
                and all(
                    isinstance(k, ast.Attribute) and CODE.fullmatch(_literal(v) or "")
                    for k, v in zip(node.keys, node.values, strict=True)
                )
            ):  # {SittingStatus.OPEN: "sitting_open", ...}: codes picked by an enum member
                tuple_codes += [str(_literal(v)) for v in node.values]
            if isinstance(node, ast.FunctionDef):  # def _refused(..., code: str = "bad_file")
                args = node.args.args[len(node.args.args) - len(node.args.defaults) :]
                for arg, default in zip(args, node.args.defaults, strict=True):
                    if arg.arg == "code" and (code := _literal(default)):
                        found[code] |= set()
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            keywords = {k.arg for k in node.keywords if k.arg} - {"where"}
            code_arg, numbers = None, set()
            if name in ("one", "violation") and node.args:
                code_arg, numbers = node.args[0], keywords
            elif name in ("bad", "forbid") and len(node.args) >= 3:
                code_arg, numbers = node.args[2], keywords
            elif name == "Problem" and node.args:
                given = node.args[3] if len(node.args) > 3 else None
                kw = {k.arg: k.value for k in node.keywords}
                code_arg, numbers = node.args[0], _names(given or kw.get("numbers"))
            elif name == "Violation" and node.args:
                code_arg, numbers = (
                    node.args[0],
                    _names(node.args[2] if len(node.args) > 2 else None),
                )
            elif name == "_problem" and node.args:  # services/resolve.py's close matches
                code_arg = node.args[0]
            elif name == "unknown_ids" and node.args and (noun := _literal(node.args[0])):
                found["unknown_" + noun.replace(" ", "_")].add("id")
                continue
            else:
                continue
            code = _literal(code_arg)
            if code is None:
                dynamic |= numbers
            else:
                found[code] |= numbers
        for code in tuple_codes:
            found[code] |= dynamic
    return dict(found)


RAISED = _raised()


def test_the_scan_finds_the_codes_in_every_form() -> None:
    assert len(RAISED) > 130
    assert RAISED["no_quorum"] == {"present", "members", "quorum"}  # Problem(..., {...})
    assert RAISED["members_not_roll"] == {"members", "roll"}  # Violation(..., {...}, field)
    assert "days" in RAISED["nomination_not_open"]  # a (code, message) tuple in rules/calendar
    assert RAISED["unknown_sitting"] == {"id"}  # unknown_ids("sitting", ...)
    assert "lot_unwitnessed" in RAISED and "close_match" in RAISED


def test_every_code_raised_has_a_template_or_a_reason() -> None:
    without = sorted(set(RAISED) - set(TEMPLATES) - set(WITHOUT_TEMPLATE))
    assert without == []
    assert set(TEMPLATES).isdisjoint(WITHOUT_TEMPLATE)


def test_no_template_or_exemption_is_left_over() -> None:
    # Only the class codes (of a refusal without problems of its own) are not in the scan.
    left = (set(TEMPLATES) | set(WITHOUT_TEMPLATE)) - set(RAISED)
    assert left == {"invalid_input", "refused", "conflict"}


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_every_template_can_be_filled_by_a_site_of_its_code(code: str) -> None:
    for template in TEMPLATES[code]:
        assert placeholders(template) <= RAISED.get(code, set()), template


@pytest.mark.parametrize("code", sorted(TEMPLATES))
def test_a_code_ends_with_the_template_that_needs_the_fewest_numbers(code: str) -> None:
    sizes = [len(placeholders(t)) for t in TEMPLATES[code]]
    assert sizes == sorted(sizes, reverse=True)


@pytest.mark.parametrize("lang", ["kk", "ru"])
def test_translations_keep_the_placeholders_of_their_message(lang: str) -> None:
    path = SRC / "i18n" / "locale" / lang / "LC_MESSAGES" / "messages.po"
    with path.open("rb") as fp:
        catalog = read_po(fp, locale=lang)
    wrong = []
    for message in catalog:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        expected = set(re.findall(r"%\((\w+)\)", ids[-1]))
        wrong += [(ids[0], s) for s in strings if set(re.findall(r"%\((\w+)\)", s)) != expected]
    assert wrong == []


def test_a_problem_is_told_in_the_language_from_its_numbers() -> None:
    quorum = Problem(
        "no_quorum",
        "5 of 12 deputies present; the quorum is 7",
        "sitting 3",
        {"present": 5, "members": 12, "quorum": 7},
    )
    assert problem_message(quorum, "en") == quorum.message
    assert problem_message(quorum, "ru") == ("присутствуют депутатов: 5 из 12; кворум — 7")
    assert problem_message(quorum, "kk") == ("қатысып отырған депутаттар: 12 ішінен 5; кворум — 7")


def test_the_fullest_template_the_numbers_fill_is_used() -> None:
    (problem,) = unknown_ids("protocol", [41], where="protocol_id").problems
    assert problem_message(problem, "ru") == "нет протокола 41"
    bare = Problem("unknown_protocol", "no protocol 41")
    assert problem_message(bare, "ru") == "нет такого протокола"


def test_without_a_template_or_its_numbers_the_english_message_is_kept() -> None:
    unknown = Problem("no_such_code", "something the service said")
    assert problem_message(unknown, "kk") == "something the service said"
    short = Problem("not_tied", "winner 9 is not among the tied: 3, 4")  # no "winner" number
    assert problem_message(short, "ru") == short.message
    exempt = Problem("close_match", "12: Акжаикский район", numbers={"id": 12, "ref": "Акжайк"})
    assert problem_message(exempt, "ru") == exempt.message


def test_a_refusal_keeps_its_layout_in_the_language() -> None:
    from saylau.i18n.problems import refusal_text

    one = Refused.one("voting_started", "voting has started")
    assert refusal_text(one, "ru") == "голосование началось"
    batch = InvalidInput(
        "2 problem(s) in the territories file; nothing was stored",
        problems=[
            Problem("bad_kato", "expected a KATO code of 9 digits, got '12'", "line 2, kato"),
            Problem("region_has_parent", "a region has no parent territory", "line 3"),
        ],
    )
    assert refusal_text(batch, "kk").splitlines() == [
        "кіріс деректерде 2 мәселе; ештеңе сақталмады",
        "  line 2, kato: 9 цифрдан тұратын ӘАОЖ коды күтіледі",
        "  line 3: облыстың жоғары тұрған аумағы болмайды",
    ]
    # A heading that says more than its one problem stays the service's (English) heading.
    auth = Refused(
        "authentication required: set SAYLAU_USER and SAYLAU_PASSWORD, or give --as USER",
        problems=[Problem("not_authenticated", "no user given", "SAYLAU_USER")],
    )
    assert refusal_text(auth, "ru").splitlines() == [
        auth.message,
        "  SAYLAU_USER: пользователь не указан",
    ]
