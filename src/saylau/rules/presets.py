"""Rule sets from data: the shipped presets (presets/*.json) and inline JSON, both validated
with errors that name the field (`rules.rounds[1].win.fraction: …`)."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from fractions import Fraction
from importlib import resources
from typing import TypeVar

from saylau.rules.errors import InputError, RuleSetError, json_kind
from saylau.rules.input import load_json
from saylau.rules.model import Advance, Base, Quorum, RoundRule, RuleSet, Tie, Win, WinKind

__all__ = ["RuleSetError", "load_rule_set", "preset_names", "rule_set_to_json"]

_META = ("name", "title", "source", "reading")
# ASCII digits only (\d would take any script's digits), and few enough for int().
_FRACTION = re.compile(r"([0-9]{1,9})/([0-9]{1,9})")
E = TypeVar("E", Base, Advance, Tie, WinKind)


def preset_names() -> list[str]:
    """The names of the shipped presets, sorted."""
    files = resources.files("saylau.rules").joinpath("presets").iterdir()
    return sorted(f.name.removesuffix(".json") for f in files if f.name.endswith(".json"))


def load_rule_set(spec: str | Mapping[str, object], *, path: str = "rules") -> RuleSet:
    """A preset by name, or an inline rule set (a mapping, or its JSON text)."""
    if isinstance(spec, str):
        if spec.lstrip().startswith("{"):
            try:
                data = load_json(spec)  # the input layer's strict reader (docs/input.md)
            except InputError as e:
                raise RuleSetError(path, e.message + (f" at {e.path}" if e.path else "")) from None
            if not isinstance(data, Mapping):
                raise RuleSetError(path, f"expected an object, got {json_kind(data)}")
            return load_rule_set(data, path=path)
        if spec not in preset_names():
            raise RuleSetError(
                path, f"unknown preset {spec!r}; presets: {', '.join(preset_names())}"
            )
        text = resources.files("saylau.rules").joinpath("presets", f"{spec}.json").read_text()
        return load_rule_set(json.loads(text), path=f"presets/{spec}.json")
    if not isinstance(spec, Mapping):
        raise RuleSetError(path, f"expected a preset name or an object, got {json_kind(spec)}")
    return _parse_rule_set(spec, path)


def rule_set_to_json(rule_set: RuleSet) -> dict[str, object]:
    """The inline form of `rule_set`, which load_rule_set (and `saylau count`) accept."""
    meta: dict[str, object] = {
        "name": rule_set.name,
        "title": rule_set.title,
        "source": rule_set.source,
        "reading": rule_set.reading,
    }
    quorum = rule_set.quorum
    return {
        **{k: v for k, v in meta.items() if v},
        "quorum": None
        if quorum is None
        else {
            "fraction": _fraction_text(quorum.fraction),
            "of": quorum.of.value,
            "strict": quorum.strict,
        },
        "rounds": [
            {
                "from": r.first,
                "to": r.last,
                "win": _win_to_json(r.win),
                "advance": r.advance.value,
            }
            for r in rule_set.rounds
        ],
        "max_rounds": rule_set.max_rounds,
        "tie": rule_set.tie.value,
        "against_all": rule_set.against_all,
    }


def _win_to_json(win: Win) -> dict[str, object]:
    if win.kind is WinKind.PLURALITY:
        return {"kind": win.kind.value}
    assert win.fraction is not None and win.of is not None
    return {
        "kind": win.kind.value,
        "fraction": _fraction_text(win.fraction),
        "of": win.of.value,
        "strict": win.strict,
    }


def _fraction_text(fraction: Fraction) -> str:
    """Always "p/q": str() would write a whole fraction as "1", which the format refuses."""
    return f"{fraction.numerator}/{fraction.denominator}"


def _object(value: object, path: str, keys: tuple[str, ...]) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise RuleSetError(path, f"expected an object, got {json_kind(value)}")
    unknown = [k for k in value if k not in keys]
    if unknown:
        raise RuleSetError(
            f"{path}.{unknown[0]}", f"unknown field; expected one of: {', '.join(keys)}"
        )
    return value


def _required(data: Mapping[str, object], key: str, path: str) -> object:
    if key not in data:
        raise RuleSetError(f"{path}.{key}", "missing")
    return data[key]


def _enum(enum: type[E], value: object, path: str) -> E:
    names = ", ".join(repr(e.value) for e in enum)
    if not isinstance(value, str):
        raise RuleSetError(path, f"expected one of {names}, got {json_kind(value)}")
    try:
        return enum(value)
    except ValueError:
        raise RuleSetError(path, f"{value!r} is not one of {names}") from None


def _bool(value: object, path: str) -> bool:
    if not isinstance(value, bool):
        raise RuleSetError(path, f"expected true or false, got {json_kind(value)}")
    return value


def _positive_int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise RuleSetError(path, f"expected a whole number ≥ 1, got {json.dumps(value)}")
    return value


def _fraction(value: object, path: str, *, strict: bool) -> Fraction:
    """A fraction written "p/q"; 0 < f ≤ 1, and f < 1 when strict (else it can never be met)."""
    match = _FRACTION.fullmatch(value) if isinstance(value, str) else None
    if match is None or int(match[2]) == 0:
        shown = json.dumps(value)
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        raise RuleSetError(path, f'expected a fraction such as "1/2", got {shown}')
    fraction = Fraction(int(match[1]), int(match[2]))
    if fraction <= 0 or fraction > 1 or (strict and fraction == 1):
        bound = "0 < fraction < 1 when strict" if strict else "0 < fraction ≤ 1"
        raise RuleSetError(path, f"{value} is out of range ({bound})")
    return fraction


def _parse_quorum(value: object, path: str) -> Quorum | None:
    if value is None:
        return None
    data = _object(value, path, ("fraction", "of", "strict"))
    strict = _bool(data.get("strict", True), f"{path}.strict")
    return Quorum(
        fraction=_fraction(_required(data, "fraction", path), f"{path}.fraction", strict=strict),
        of=_enum(Base, _required(data, "of", path), f"{path}.of"),
        strict=strict,
    )


def _parse_win(value: object, path: str) -> Win:
    data = _object(value, path, ("kind", "fraction", "of", "strict"))
    kind = _enum(WinKind, _required(data, "kind", path), f"{path}.kind")
    if kind is WinKind.PLURALITY:
        extra = [k for k in ("fraction", "of", "strict") if k in data]
        if extra:
            raise RuleSetError(
                f"{path}.{extra[0]}", "a plurality takes no fraction, base or strict"
            )
        return Win(kind=kind)
    strict = _bool(data.get("strict", True), f"{path}.strict")
    return Win(
        kind=kind,
        fraction=_fraction(_required(data, "fraction", path), f"{path}.fraction", strict=strict),
        of=_enum(Base, _required(data, "of", path), f"{path}.of"),
        strict=strict,
    )


def _parse_round(value: object, path: str, expected_first: int) -> RoundRule:
    data = _object(value, path, ("from", "to", "win", "advance"))
    first = _positive_int(_required(data, "from", path), f"{path}.from")
    if first != expected_first:
        raise RuleSetError(
            f"{path}.from", f"{first}; expected {expected_first} (no gaps, no overlaps)"
        )
    last_value = _required(data, "to", path)
    last = None if last_value is None else _positive_int(last_value, f"{path}.to")
    if last is not None and last < first:
        raise RuleSetError(f"{path}.to", f"{last} < from {first}")
    return RoundRule(
        first=first,
        last=last,
        win=_parse_win(_required(data, "win", path), f"{path}.win"),
        advance=_enum(Advance, _required(data, "advance", path), f"{path}.advance"),
    )


def _parse_rounds(value: object, path: str) -> tuple[RoundRule, ...]:
    if not isinstance(value, list) or not value:
        raise RuleSetError(
            path, f"expected a non-empty list of round rules, got {json_kind(value)}"
        )
    rules: list[RoundRule] = []
    for i, item in enumerate(value):
        item_path = f"{path}[{i}]"
        previous_last = rules[-1].last if rules else 0
        if previous_last is None:
            message = 'follows a rule with "to": null, which covers every later round'
            raise RuleSetError(item_path, message)
        rules.append(_parse_round(item, item_path, previous_last + 1))
    return tuple(rules)


def _parse_rule_set(data: Mapping[str, object], path: str) -> RuleSet:
    data = _object(data, path, (*_META, "quorum", "rounds", "max_rounds", "tie", "against_all"))
    for key in _META:
        if key in data and not isinstance(data[key], str | None):
            raise RuleSetError(f"{path}.{key}", f"expected a string, got {json_kind(data[key])}")
    rounds = _parse_rounds(_required(data, "rounds", path), f"{path}.rounds")
    max_value = data.get("max_rounds")
    max_rounds = None if max_value is None else _positive_int(max_value, f"{path}.max_rounds")
    covered = rounds[-1].last
    if covered is not None and (max_rounds is None or max_rounds > covered):
        raise RuleSetError(
            f"{path}.max_rounds",
            f"{json.dumps(max_rounds)} but the round rules stop at round {covered}",
        )
    return RuleSet(
        quorum=_parse_quorum(data.get("quorum"), f"{path}.quorum"),
        rounds=rounds,
        max_rounds=max_rounds,
        tie=_enum(Tie, _required(data, "tie", path), f"{path}.tie"),
        against_all=_bool(data.get("against_all", False), f"{path}.against_all"),
        name=_text(data, "name") or None,
        source=_text(data, "source"),
        title=_text(data, "title"),
        reading=_text(data, "reading"),
    )


def _text(data: Mapping[str, object], key: str) -> str:
    value = data.get(key)
    return value if isinstance(value, str) else ""
