"""Checks an ElectionReport: against NIST's JSON Schema (draft-04, with its formats), shipped in
exports/schema/, and that every reference (the `…Id`, `…Ids` properties the schema gives
`refTypes`) names an `@id` of the same report, of a type the schema allows there.

The schema check is fastjsonschema's (the schema compiled to Python: under a second for the
national record, where the reference implementation, jsonschema, takes some 40 s; the tests
hold the two to the same verdicts). It reports the first violation it meets.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from datetime import date, time
from functools import cache
from importlib.resources import files
from typing import Any

SCHEMA_FILE = "NIST_V2_election_results_reporting.json"


@cache
def schema() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(
        files("saylau.exports").joinpath("schema", SCHEMA_FILE).read_text(encoding="utf-8")
    )
    return found


def check_report(report: Any) -> list[str]:
    """The problems of the report, each with its JSON path; none when it conforms."""
    return schema_problems(report) + reference_problems(report)


def schema_problems(report: Any) -> list[str]:
    """The first violation of the schema, if any."""
    from fastjsonschema import JsonSchemaValueException

    try:
        _validator()(report)
    except JsonSchemaValueException as error:
        where = (error.name or "data").replace("data", "$", 1)
        return [f"{where}: {error.message}"]
    return []


def _is_iso(parse: Callable[[str], object]) -> Callable[[str], bool]:
    def check(value: str) -> bool:
        try:
            parse(value)
        except ValueError:
            return False
        return True

    return check


@cache
def _validator() -> Callable[[Any], Any]:
    import fastjsonschema

    # Draft-04 names no `date` or `time` format; the schema uses them (as jsonschema checks).
    formats = {"date": _is_iso(date.fromisoformat), "time": _is_iso(time.fromisoformat)}
    validate: Callable[[Any], Any] = fastjsonschema.compile(schema(), formats=formats)
    return validate


def reference_problems(report: Any) -> list[str]:
    """References that name no `@id`, or an object of a type the schema does not allow, and
    `@id`s given twice."""
    types: dict[str, str] = {}
    problems: list[str] = []
    for trail, obj in _objects(report, []):
        at_id = obj.get("@id")
        if isinstance(at_id, str):
            if at_id in types:
                problems.append(f"{_path(trail)}: @id {at_id!r} is used twice")
            types[at_id] = str(obj.get("@type"))
    for trail, obj in _objects(report, []):
        refs = _references(str(obj.get("@type", "")))
        for key in refs.keys() & obj.keys():
            value = obj[key]
            for i, ref in enumerate(value if isinstance(value, list) else [value]):
                if types.get(ref) in refs[key]:
                    continue
                where = _path([*trail, key, *([i] if isinstance(value, list) else [])])
                if ref not in types:
                    problems.append(f"{where}: {ref!r} names no @id of the report")
                else:
                    expected = " or ".join(sorted(refs[key]))
                    problems.append(f"{where}: {ref!r} is a {types[ref]}, not a {expected}")
    return problems


def _objects(node: Any, trail: list[str | int]) -> Iterator[tuple[list[str | int], dict[str, Any]]]:
    """Every object of the report with its trail of keys and indexes (the same list, changing
    as the walk goes: read it before the next step)."""
    if isinstance(node, dict):
        yield trail, node
        for key, value in node.items():
            if isinstance(value, dict | list):
                trail.append(key)
                yield from _objects(value, trail)
                trail.pop()
    elif isinstance(node, list):
        for i, value in enumerate(node):
            if isinstance(value, dict | list):
                trail.append(i)
                yield from _objects(value, trail)
                trail.pop()


def _path(trail: list[str | int]) -> str:
    return "$" + "".join(f"[{t}]" if isinstance(t, int) else f".{t}" for t in trail)


@cache
def _references(type_name: str) -> dict[str, frozenset[str]]:
    """The reference properties of a type, each with the types it may name (`refTypes`; every
    one of them ends in Id or Ids, while VendorApplicationId, say, is a plain string)."""
    properties = schema()["definitions"].get(type_name, {}).get("properties", {})
    found = {}
    for key, prop in properties.items():
        allowed = prop.get("refTypes") or prop.get("items", {}).get("refTypes")
        if allowed:
            found[key] = frozenset(allowed)
    return found
