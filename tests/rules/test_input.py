"""The input layer (rules/input.py) alone, and `saylau count` reading through it: every class
of hostile input is one line naming where, never a traceback."""

from __future__ import annotations

import json
from datetime import date

import pytest

from saylau.cli.count import run_count
from saylau.rules.errors import InputError
from saylau.rules.input import Fields, InputErrors, decode_text, load_json, text_problem


@pytest.mark.parametrize(
    ("text", "where", "message"),
    [
        ('{"a": 1, "a": 2}', "", "duplicate key 'a' in one JSON object"),
        ('{"a": NaN}', "", "NaN is not a JSON number"),
        ('{"a": -Infinity}', "", "-Infinity is not a JSON number"),
        ('{"a": 1e400}', "", "1e400 is out of range"),
        ('{"a": ' + "1" * 20 + "}", "", "a number of 20 digits; at most 19"),
        ("[" * 33 + "]" * 33, "", "nested deeper than 32 levels"),
        ("[" * 1_000_000, "", "nested deeper than 32 levels"),
        (
            '{"a": 1,}',
            "line 1, column 9",
            "not JSON: Expecting property name enclosed in double quotes",
        ),
        ('{"a": ٣}', "line 1, column 7", "not JSON: Expecting value"),
    ],
)
def test_load_json_refuses(text: str, where: str, message: str) -> None:
    with pytest.raises(InputError) as error:
        load_json(text)
    assert (error.value.path, error.value.message) == (where, message)


def test_brackets_inside_strings_do_not_count_as_depth() -> None:
    deep_text = json.dumps({"name": "[" * 100 + "{" * 100})
    assert load_json(deep_text) == {"name": "[" * 100 + "{" * 100}
    nested: list[object] = []
    for _ in range(31):
        nested = [nested]
    assert load_json("[" * 32 + "]" * 32) == nested


def test_decode_text_names_the_byte_and_the_limit() -> None:
    with pytest.raises(InputError) as error:
        decode_text(b'{"a":\n "\xd0\xbf\xff"}')
    assert (error.value.path, error.value.message) == (
        "line 2, column 4",
        "not UTF-8 text (byte 0xff); save the file as UTF-8",
    )
    with pytest.raises(InputError) as error:
        decode_text(b"x" * 11, max_bytes=10)
    assert error.value.message == "larger than the limit of 10 bytes"
    assert decode_text("\ufeffабв".encode()) == "абв"


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ("ok name", None),
        ("Ақжайық", None),
        ("a\x00b", "contains the control character U+0000"),
        ("a\tb", "contains the control character U+0009"),
        ("a\x9fb", "contains the control character U+009F"),
        ("a\u2066b", "contains the control character U+2066"),
        ("a\u202eb", "contains the control character U+202E"),
        ("x" * 11, "11 characters; at most 10"),
    ],
)
def test_text_problem(value: str, problem: str | None) -> None:
    assert text_problem(value, 10) == problem


def test_fields_list_every_problem_once_with_its_path() -> None:
    f = Fields()
    data = {"name": "x\x00", "seats": True, "kato": "٢٧٣٤٠٠٠٠٠", "born": "1899-12-31", "bad": 1}
    item = f.obj(data, "items[3]", ("name", "seats", "kato", "born", "missing"), ("extra",))
    assert item is not None
    f.text(item["name"], "items[3].name", max_length=200)
    f.count(item["seats"], "items[3].seats")
    f.kato(item["kato"], "items[3].kato")
    f.day(item["born"], "items[3].born", earliest=date(1900, 1, 1))
    f.text(item.get("missing"), "items[3].missing", max_length=10)  # already "missing"
    with pytest.raises(InputErrors) as error:
        f.raise_if_any()
    assert str(error.value).splitlines() == [
        "items[3].bad: unknown key; expected one of: name, seats, kato, born, missing, extra",
        "items[3].missing: missing",
        "items[3].name: contains the control character U+0000",
        "items[3].seats: expected a whole number, got true",
        'items[3].kato: a KATO code: expected 9 digits 0-9, got "\\u0662\\u0667\\u0663\\u0664'
        '\\u0660\\u0660\\u0660\\u0660\\u0660"',
        "items[3].born: 1899-12-31 is before 1900-01-01",
    ]


def test_a_huge_integer_is_shown_without_converting_it() -> None:
    f = Fields()
    f.count(10**5000, "n")
    assert [e.message for e in f.errors] == [
        "a number too large to store; expected a whole number from 0 to 1,000,000"
    ]


COUNT = {"rules": "kz-akim-2013", "members": 5}


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("[" * 100_000, "x.json: nested deeper than 32 levels"),
        ('{"rules": "kz-akim-2013", "members": NaN}', "x.json: NaN is not a JSON number"),
        (
            json.dumps(COUNT | {"rounds": [{"votes": {"a\u202eb": 3}}]}),
            "rounds[0].votes.a\u202eb: contains the control character U+202E",
        ),
        (
            json.dumps(COUNT | {"candidates": [{"id": "a\x00"}]}),
            "candidates[0].id: contains the control character U+0000",
        ),
        (json.dumps(COUNT | {"members": 5.0}), "members: expected a whole number, got 5.0"),
        (json.dumps(COUNT | {"members": True}), "members: expected a whole number, got true"),
    ],
)
def test_count_refuses_hostile_input_in_one_line(text: str, line: str) -> None:
    assert run_count(text, source="x.json") == (2, line)


def test_count_reads_bytes_and_refuses_what_is_not_utf8() -> None:
    assert run_count(b'{"rules": "\xff"}', source="x.json") == (
        2,
        "x.json: not UTF-8 text (byte 0xff); save the file as UTF-8 at line 1, column 12",
    )
    code, out = run_count(json.dumps(COUNT).encode(), source="x.json")
    assert (code, json.loads(out)["outcome"]) == (0, "undecided")
