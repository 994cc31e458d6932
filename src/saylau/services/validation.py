"""Collects the problems of a batch, each naming its item and field, so a service can refuse the
whole batch with every reason at once. An item is named by its JSON path (`[0]`, `posts[3]`;
the default is its index in the batch) or its CSV line (`line 5`); a field joins a path with "."
and a line with ", " (`[0].kato`, `line 5, kato`): the `where` convention of docs/input.md."""

from __future__ import annotations

from collections.abc import Sequence

from saylau.rules.input import text_problem
from saylau.services.errors import InvalidInput, Problem, Refused

MAX_PROBLEMS = 50  # enough to fix a file; more only hides the first ones


def where(item: str, field: str) -> str:
    """Where `field` of an item is: `[0].kato` under a JSON path, `line 5, kato` on a line."""
    return f"{item}, {field}" if item.startswith("line ") else f"{item}.{field}"


class Problems:
    """Problems found in a batch of `num_items` items labelled `labels` (default "[0]", ...)."""

    def __init__(self, what: str, num_items: int, labels: Sequence[str] | None = None) -> None:
        if labels is not None and len(labels) != num_items:
            raise ValueError(f"{len(labels)} labels for {num_items} {what}")
        self.what = what
        self.labels = list(labels) if labels is not None else [f"[{i}]" for i in range(num_items)]
        self.invalid: list[Problem] = []
        self.refused: list[Problem] = []

    def label(self, index: int) -> str:
        return self.labels[index]

    def bad(self, index: int, field: str, code: str, message: str, **numbers: int | str) -> None:
        """The item does not have the expected form (InvalidInput)."""
        self.invalid.append(Problem(code, message, where(self.labels[index], field), numbers))

    def check_text(self, index: int, field: str, value: str, max_length: int) -> None:
        """Text the columns can hold on every database: at most `max_length` characters and
        no control characters (a NUL is stored by SQLite but refused by PostgreSQL)."""
        problem = text_problem(value, max_length)
        if problem:
            self.bad(index, field, "bad_text", problem)

    def forbid(self, index: int, field: str, code: str, message: str, **numbers: int | str) -> None:
        """The item is well formed but the rules or the stored state forbid it (Refused)."""
        self.refused.append(Problem(code, message, where(self.labels[index], field), numbers))

    def raise_if_any(self) -> None:
        if self.invalid:
            raise InvalidInput(
                f"{len(self.invalid)} problem(s) in the {self.what}; nothing was stored",
                problems=self.invalid[:MAX_PROBLEMS],
            )
        if self.refused:
            raise Refused(
                f"{len(self.refused)} {self.what} refused; nothing was stored",
                problems=self.refused[:MAX_PROBLEMS],
            )
