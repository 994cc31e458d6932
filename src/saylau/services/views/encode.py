"""The one JSON encoding of the read models (docs/results.md): dataclasses as objects with
their field names, enums by value, dates and times in ISO 8601, exact fractions as "p/q"
strings (whole ones as numbers), a `Decision` by saylau.rules.decisions, `Names` as
{kk, ru, en}."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields, is_dataclass
from datetime import date, datetime
from enum import Enum
from fractions import Fraction

from saylau.rules.decide import Decision
from saylau.rules.decisions import decision_json

JsonValue = None | bool | int | str | list["JsonValue"] | dict[str, "JsonValue"]


def to_json(value: object) -> JsonValue:
    """`value` (a view, or anything inside one) as plain JSON data."""
    if isinstance(value, Decision):
        return to_json(decision_json(value))
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, Enum):
        return to_json(value.value)
    if isinstance(value, bool | int | str) or value is None:
        return value
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(to_json(k)): to_json(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_json(v) for v in value]
    raise TypeError(f"no JSON encoding for {type(value).__name__}")
