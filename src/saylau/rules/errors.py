"""Input errors of the rules engine: each names the JSON path of the offending field."""

from __future__ import annotations


class InputError(ValueError):
    """A request refused because its input breaks a rule; `str(e)` is `"{path}: {message}"`."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(f"{path}: {message}")
        self.path = path
        self.message = message

    def under(self, prefix: str) -> InputError:
        """The same error with its path placed under `prefix` (e.g. `rounds[2]`)."""
        path = f"{prefix}.{self.path}" if self.path else prefix
        return type(self)(path, self.message)


class RuleSetError(InputError):
    """A rule set (preset or inline) that is malformed or cannot be applied."""


class CountInputError(InputError):
    """Round counts that break a control relation or the count contract."""


def json_kind(value: object) -> str:
    """How an error names the JSON type of a wrong value: "a number", "null", ..."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    return "a list" if isinstance(value, list) else "an object"
