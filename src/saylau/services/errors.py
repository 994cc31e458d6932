"""Refusals a service raises: each has a stable code, a message and the numbers involved.

Adapters map them to exit codes (CLI) or HTTP statuses (web) in one place.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field


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
        self.problems: tuple[Problem, ...] = tuple(problems)

    def __str__(self) -> str:
        if not self.problems:
            return self.message
        return self.message + "\n" + "\n".join(f"  {p}" for p in self.problems)


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
