"""The procedure data around a rule set: repeat-election calendars and appeal deadlines.

Shipped as JSON in procedures/*.json, each naming the rule sets it applies to, its source and
saylau's reading of it (rules cite the law; the day numbers are data, not code).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from saylau.rules.errors import RuleSetError

__all__ = ["AppealRules", "Procedure", "RepeatElectionRules", "procedure_for"]


@dataclass(frozen=True)
class RepeatElectionRules:
    """The calendar of a repeat election, counted back from its voting day."""

    source: str
    reading: str
    min_days_after_failure: int
    max_days_after_failure: int
    nomination_opens_days_before: int
    nomination_closes_days_before: int
    registration_closes_days_before: int


@dataclass(frozen=True)
class AppealRules:
    """How long a commission or court has to decide an appeal."""

    source: str
    reading: str
    decision_days: int  # during the campaign
    at_once_within_days: int  # arriving fewer days than this before voting (or on it): at once


@dataclass(frozen=True)
class Procedure:
    name: str
    rule_sets: tuple[str, ...]
    repeat_election: RepeatElectionRules
    appeals: AppealRules


def _int(data: dict[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise RuleSetError(f"{where}.{key}", f"expected a whole number ≥ 0, got {value!r}")
    return value


def _text(data: dict[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if not isinstance(value, str) or not value.strip():
        raise RuleSetError(f"{where}.{key}", "expected a non-empty text")
    return value


def _load(name: str, data: dict[str, Any]) -> Procedure:
    rep, app = data["repeat_election"], data["appeals"]
    repeat = RepeatElectionRules(
        source=_text(rep, "source", "repeat_election"),
        reading=_text(rep, "reading", "repeat_election"),
        **{
            k: _int(rep, k, "repeat_election")
            for k in (
                "min_days_after_failure",
                "max_days_after_failure",
                "nomination_opens_days_before",
                "nomination_closes_days_before",
                "registration_closes_days_before",
            )
        },
    )
    if not (
        repeat.nomination_opens_days_before
        >= repeat.nomination_closes_days_before
        >= repeat.registration_closes_days_before
        >= 1
    ):
        raise RuleSetError("repeat_election", "the windows must close in order before voting")
    appeals = AppealRules(
        source=_text(app, "source", "appeals"),
        reading=_text(app, "reading", "appeals"),
        decision_days=_int(app, "decision_days", "appeals"),
        at_once_within_days=_int(app, "at_once_within_days", "appeals"),
    )
    return Procedure(name, tuple(data["rule_sets"]), repeat, appeals)


@cache
def _procedures() -> tuple[Procedure, ...]:
    files = resources.files("saylau.rules").joinpath("procedures").iterdir()
    return tuple(
        _load(f.name.removesuffix(".json"), json.loads(f.read_text("utf-8")))
        for f in sorted(files, key=lambda f: f.name)
        if f.name.endswith(".json")
    )


def procedure_for(rule_set_name: str | None) -> Procedure | None:
    """The procedure that names `rule_set_name`, or None when saylau ships none for it."""
    for p in _procedures():
        if rule_set_name in p.rule_sets:
            return p
    return None
