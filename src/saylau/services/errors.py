"""Refusals a service raises: each has a stable code, a message and the numbers involved.

Every refusal carries at least one `Problem` (code, where, message, numbers): a batch lists one per
reason (services/validation.py), a single reason is `ServiceError.one(code, message, ...)`.
Adapters map them to exit codes (CLI) or HTTP statuses (web) in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Self


@dataclass(frozen=True)
class Problem:
    """One reason a request was refused: where (field or line), what, and the numbers."""

    code: str
    message: str
    where: str = ""
    numbers: Mapping[str, int | str] = field(default_factory=dict)

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class ServiceError(Exception):
    """A request the service refuses; nothing of it was stored (unless the subclass says so)."""

    code = "refused"

    def __init__(self, message: str, *, problems: Sequence[Problem] = ()) -> None:
        super().__init__(message)
        self.message = message
        # A refusal without its own problems still has one: the class's code and the message.
        self.problems: tuple[Problem, ...] = tuple(problems) or (Problem(self.code, message),)

    @classmethod
    def one(cls, code: str, message: str, *, where: str = "", **numbers: int | str) -> Self:
        """A refusal for one reason, with its code, the field it concerns and its numbers."""
        return cls(message, problems=[Problem(code, message, where, numbers)])

    def __str__(self) -> str:
        listed = [p for p in self.problems if p.message != self.message]
        if not listed:
            return self.message
        return self.message + "\n" + "\n".join(f"  {p}" for p in listed)


class NotFound(ServiceError):
    code = "not_found"


class InvalidInput(ServiceError):
    """Input that does not have the expected form (a field, a line of an import file)."""

    code = "invalid_input"


class Refused(ServiceError):
    """Well-formed input that the rules forbid (a deadline passed, an ineligible candidate)."""

    code = "refused"


class Conflict(ServiceError):
    """The state changed under the request (e.g. another submission of the same protocol won)."""

    code = "conflict"


MAX_LISTED = 10  # ids named in a message; the problems list every one


def unknown_ids(noun: str, ids: Sequence[int], *, where: str) -> NotFound:
    """NotFound for ids that name nothing stored, one problem per id (code `unknown_<noun>`)."""
    code = "unknown_" + noun.replace(" ", "_")
    more = f" and {len(ids) - MAX_LISTED} more" if len(ids) > MAX_LISTED else ""
    return NotFound(
        f"no {noun} {', '.join(map(str, ids[:MAX_LISTED]))}{more}",
        problems=[Problem(code, f"no {noun} {i}", where, {"id": i}) for i in ids],
    )


def refusal_json(code: str, message: str, problems: Sequence[Problem]) -> dict[str, Any]:
    """A refusal as JSON: the payload of the CLI's `--json` refusals and of the web API's error
    bodies alike (docs/architecture.md#exit-codes)."""
    return {
        "error": code,
        "message": message,
        "problems": [
            {"code": p.code, "where": p.where, "message": p.message, "numbers": dict(p.numbers)}
            for p in problems
        ],
    }
