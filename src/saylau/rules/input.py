"""The one input layer (docs/input.md): every file, form or request body is decoded and read
here, strictly, with every refusal naming its JSON path (or line and column), before a rule or
a database sees a value. Standard library only, so `saylau count` and rules/ can use it."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from enum import StrEnum
from typing import TypeVar

from saylau.domain import limits
from saylau.rules.errors import InputError, json_kind

E = TypeVar("E", bound=StrEnum)

# C0 and C1 controls (NUL, tab and newline included), DEL, and the bidirectional embeddings,
# overrides and isolates that make a name display as another (U+202E "reads right to left").
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_ASCII_DIGITS = re.compile("[0-9]+")
_DATE = re.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The structural characters of JSON text once its strings are removed (for the depth scan).
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)  # unrolled: linear, fast
_BRACKET = re.compile(r"[\[\]{}]")


class InputErrors(InputError):
    """Several input errors at once; `str(e)` is one line per error."""

    def __init__(self, errors: Sequence[InputError]) -> None:
        if not errors:
            raise ValueError("InputErrors needs at least one error")
        super().__init__(errors[0].path, errors[0].message)
        self.errors = tuple(errors)

    def __str__(self) -> str:
        return "\n".join(_line(e) for e in self.errors)

    def under(self, prefix: str) -> InputErrors:
        return InputErrors([e.under(prefix) for e in self.errors])


def _line(error: InputError) -> str:
    return f"{error.path}: {error.message}" if error.path else error.message


# --- whole inputs --------------------------------------------------------------------------


def decode_text(raw: bytes, *, max_bytes: int | None = None) -> str:
    """UTF-8 bytes as text (a byte-order mark is dropped); larger than `max_bytes` (default
    MAX_FILE_BYTES) or not UTF-8 is refused."""
    max_bytes = limits.MAX_FILE_BYTES if max_bytes is None else max_bytes
    if len(raw) > max_bytes:
        raise InputError("", f"larger than the limit of {max_bytes:,} bytes")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        before = raw[: error.start]
        line = before.count(b"\n") + 1
        # The column in characters: what comes before the bad byte on its line is valid UTF-8.
        line_start = before.rfind(b"\n") + 1
        column = len(raw[line_start : error.start].decode("utf-8-sig", "replace")) + 1
        raise InputError(
            f"line {line}, column {column}",
            f"not UTF-8 text (byte 0x{raw[error.start]:02x}); save the file as UTF-8",
        ) from None


def check_depth(text: str, max_depth: int | None = None) -> None:
    """Refuse JSON nested deeper than `max_depth` (default MAX_DEPTH) before parsing it: json
    would recurse into RecursionError."""
    max_depth = limits.MAX_DEPTH if max_depth is None else max_depth
    if text.count("[") + text.count("{") <= max_depth:
        return
    depth = 0
    for match in _BRACKET.finditer(_STRING.sub('""', text) if '"' in text else text):
        if match.group() in "[{":
            depth += 1
            if depth > max_depth:
                raise InputError("", f"nested deeper than {max_depth} levels")
        else:
            depth -= 1


class _Refused(ValueError):
    pass


def _object_without_duplicates(pairs: list[tuple[str, object]]) -> dict[str, object]:
    # json would keep the last of two "votes" for one candidate; nothing may be dropped silently.
    result: dict[str, object] = {}
    for key, value in pairs:
        if key in result:
            raise _Refused(f"duplicate key {key!r} in one JSON object")
        result[key] = value
    return result


def _constant(name: str) -> object:
    raise _Refused(f"{name} is not a JSON number")


def _integer(digits: str) -> int:
    if len(digits.lstrip("-")) > limits.MAX_INT_DIGITS:
        raise _Refused(
            f"a number of {len(digits.lstrip('-')):,} digits; at most {limits.MAX_INT_DIGITS}"
        )
    return int(digits)


def _float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _Refused(f"{text[:20]} is out of range")
    return value


def load_json(text: str, *, max_depth: int | None = None) -> object:
    """Strict JSON: no duplicate keys, no NaN or Infinity, no integers over MAX_INT_DIGITS
    digits, no nesting over `max_depth`. Refusals name the line and column, or no place."""
    check_depth(text, max_depth)
    try:
        return json.loads(
            text,
            object_pairs_hook=_object_without_duplicates,
            parse_constant=_constant,
            parse_int=_integer,
            parse_float=_float,
        )
    except _Refused as error:
        raise InputError("", str(error)) from None
    except json.JSONDecodeError as error:
        raise InputError(
            f"line {error.lineno}, column {error.colno}", f"not JSON: {error.msg}"
        ) from None
    except RecursionError:  # only if max_depth is set above what the interpreter allows
        raise InputError("", "nested too deeply") from None


# --- single values: each returns the problem in words, or None ----------------------------


def text_problem(value: str, max_length: int) -> str | None:
    """Why `value` cannot be stored as text of at most `max_length` characters, or None."""
    if len(value) > max_length:
        return f"{len(value):,} characters; at most {max_length}"
    found = _CONTROL.search(value)
    if found:
        return f"contains the control character U+{ord(found.group()):04X}"
    return None


def digits_problem(value: str, num_digits: int | None = None) -> str | None:
    """Why `value` is not a string of ASCII digits (0-9; `num_digits` of them if given)."""
    if not _ASCII_DIGITS.fullmatch(value) or (num_digits and len(value) != num_digits):
        size = f"{num_digits} " if num_digits else ""
        return f"expected {size}digits 0-9, got {json.dumps(value, ensure_ascii=True)}"
    return None


# --- reading a decoded JSON value field by field --------------------------------------------


class Fields:
    """Reads fields of decoded input, collecting every problem with its JSON path; a reader
    returns None for a refused value, and `raise_if_any()` refuses them all at once."""

    def __init__(self) -> None:
        self.errors: list[InputError] = []
        self._refused: set[str] = set()

    def refuse(self, path: str, message: str) -> None:
        """Record a problem at `path`, unless `path` or a path above it has one already (a
        missing field is not also "null", the fields of a non-object not also missing)."""
        if any(p in self._refused for p in _paths_above(path)):
            return
        self._refused.add(path)
        self.errors.append(InputError(path, message))

    def raise_if_any(self) -> None:
        if self.errors:
            raise InputErrors(self.errors)

    def obj(
        self,
        value: object,
        path: str,
        required: Iterable[str] = (),
        optional: Iterable[str] = (),
    ) -> Mapping[str, object] | None:
        """An object with the `required` keys and no keys beyond `optional`."""
        if not isinstance(value, Mapping):
            self.refuse(path, f"expected an object, got {json_kind(value)}")
            return None
        required = tuple(required)
        allowed = (*required, *optional)
        for key in value:
            if key not in allowed:
                self.refuse(join(path, key), f"unknown key; expected one of: {', '.join(allowed)}")
        for key in required:
            if key not in value:
                self.refuse(join(path, key), "missing")
        return value

    def mapping(self, value: object, path: str) -> Mapping[str, object] | None:
        """An object whose keys are data (candidates, KATO codes), not field names."""
        if not isinstance(value, Mapping):
            self.refuse(path, f"expected an object, got {json_kind(value)}")
            return None
        return value

    def array(self, value: object, path: str, *, min_items: int = 0) -> list[object] | None:
        if not isinstance(value, list):
            self.refuse(path, f"expected a list, got {json_kind(value)}")
            return None
        if len(value) < min_items:
            self.refuse(path, f"an empty list; expected at least {min_items} item(s)")
            return None
        return value

    def text(self, value: object, path: str, *, max_length: int) -> str | None:
        """Non-empty text without control characters; surrounding spaces are dropped."""
        if not isinstance(value, str):
            self.refuse(path, f"expected text, got {_shown(value)}")
            return None
        stripped = value.strip()
        if not stripped:
            self.refuse(path, "expected text, got an empty string")
            return None
        problem = text_problem(stripped, max_length)
        if problem:
            self.refuse(path, problem)
            return None
        return stripped

    def optional_text(self, value: object, path: str, *, max_length: int) -> str:
        """Text, or "" for an absent, null or blank value."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return ""
        return self.text(value, path, max_length=max_length) or ""

    def count(
        self, value: object, path: str, *, minimum: int = 0, maximum: int = limits.MAX_COUNT
    ) -> int | None:
        """A whole number from `minimum` to `maximum`: not a boolean, a float or a string."""
        if isinstance(value, bool) or not isinstance(value, int):
            self.refuse(path, f"expected a whole number, got {_shown(value)}")
            return None
        if not minimum <= value <= maximum:
            shown = _shown(value)
            self.refuse(path, f"{shown}; expected a whole number from {minimum} to {maximum:,}")
            return None
        return value

    def count_text(
        self, value: object, path: str, *, minimum: int = 0, maximum: int = limits.MAX_COUNT
    ) -> int | None:
        """A whole number written as a JSON number or as ASCII digits (a CSV cell)."""
        if isinstance(value, str):
            stripped = value.strip()
            if _ASCII_DIGITS.fullmatch(stripped) and len(stripped) <= limits.MAX_INT_DIGITS:
                value = int(stripped)
        return self.count(value, path, minimum=minimum, maximum=maximum)

    def kato(self, value: object, path: str) -> str | None:
        """A KATO code: 9 ASCII digits, as a string (or a JSON number, zero-padded)."""
        if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10**9:
            value = f"{value:09d}"
        if not isinstance(value, str):
            self.refuse(path, f"expected a KATO code of 9 digits, got {_shown(value)}")
            return None
        problem = digits_problem(value.strip(), limits.KATO_DIGITS)
        if problem:
            self.refuse(path, f"a KATO code: {problem}")
            return None
        return value.strip()

    def day(
        self,
        value: object,
        path: str,
        *,
        earliest: date | None = None,
        latest: date | None = None,
        latest_is: str = "",
    ) -> date | None:
        """A date written YYYY-MM-DD, from `earliest` to `latest` (named `latest_is`)."""
        if not isinstance(value, str):
            self.refuse(path, f"expected a date YYYY-MM-DD, got {_shown(value)}")
            return None
        try:
            if not _DATE.fullmatch(value.strip()):
                raise ValueError(value)
            day = date.fromisoformat(value.strip())
        except ValueError:
            self.refuse(path, f"expected a date YYYY-MM-DD, got {_shown(value)}")
            return None
        if earliest is not None and day < earliest:
            self.refuse(path, f"{day} is before {earliest}")
            return None
        if latest is not None and day > latest:
            self.refuse(path, f"{day} is after {latest_is or latest}")
            return None
        return day

    def choice(self, value: object, path: str, enum: type[E]) -> E | None:
        if isinstance(value, str):
            try:
                return enum(value.strip())
            except ValueError:
                pass
        expected = ", ".join(e.value for e in enum)
        self.refuse(path, f"expected one of {expected}, got {_shown(value)}")
        return None


def _paths_above(path: str) -> list[str]:
    """`path` and every path above it: `a[1].b` -> `a[1].b`, `a[1]`, `a`."""
    cuts = [i for i, c in enumerate(path) if c in ".[" and i > 0]
    return [path, *(path[:i] for i in cuts)]


def join(path: str, key: str | int) -> str:
    """The JSON path of `key` (a field name or a list index) under `path`."""
    if isinstance(key, int):
        return f"{path}[{key}]"
    return f"{path}.{key}" if path else key


def _shown(value: object) -> str:
    """A wrong value as the error shows it: JSON, cut to 40 characters, non-ASCII escaped (so
    a control or bidi character in it cannot garble the message)."""
    if isinstance(value, int) and value.bit_length() > 128:
        return "a number too large to store"
    shown = json.dumps(value, ensure_ascii=True) if _is_plain(value) else json_kind(value)
    return shown if len(shown) <= 40 else shown[:37] + "..."


def _is_plain(value: object) -> bool:
    return value is None or isinstance(value, str | int | float | bool)
