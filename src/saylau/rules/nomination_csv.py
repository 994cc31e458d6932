"""Nominations from a CSV file (docs/lifecycle.md#nominations-from-csv): one row per nomination,
read into the same `NominationItem`s as the JSON list, each problem named `line N, column`."""

from __future__ import annotations

import csv
import io
from datetime import date

from saylau.domain import limits
from saylau.rules.errors import InputError
from saylau.rules.input import InputErrors
from saylau.rules.schemas import (
    NOMINATION_COLUMNS,
    NOMINATION_OPTIONAL_COLUMNS,
    NominationItem,
    read_nomination_rows,
)

__all__ = ["DOCUMENT_SEPARATOR", "read_nominations_csv"]

DOCUMENT_SEPARATOR = ";"  # between documents in the `documents` cell (the comma separates cells)
_TRUE = frozenset({"true", "yes", "1"})
_FALSE = frozenset({"false", "no", "0", ""})


def read_nominations_csv(text: str, *, on: date) -> list[NominationItem]:
    """Every row of a nominations CSV (header on line 1; empty lines skipped), all or none:
    raises InputErrors naming each problem by `line N` or `line N, column`."""
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows: list[tuple[str, dict[str, object]]] = []
    try:
        header = [h.strip() for h in next(reader, [])]
        _check_header(header)
        start = reader.line_num + 1
        for row in reader:
            if any(cell.strip() for cell in row):
                where = f"line {start}"
                if len(row) != len(header):
                    raise InputError(
                        where, f"expected {len(header)} fields as in the header, found {len(row)}"
                    )
                rows.append((where, _item(dict(zip(header, row, strict=True)))))
            start = reader.line_num + 1
    except csv.Error as error:
        message = (
            f"a field longer than {limits.MAX_CSV_FIELD:,} characters"
            if "field larger than field limit" in str(error)
            else f"not CSV ({error})"
        )
        raise InputError(f"line {reader.line_num}", message) from None
    if not rows:
        raise InputErrors([InputError("line 2", "no nomination: expected a row under the header")])
    return read_nomination_rows(rows, on=on)


def _check_header(header: list[str]) -> None:
    known = NOMINATION_COLUMNS + NOMINATION_OPTIONAL_COLUMNS
    missing = [c for c in NOMINATION_COLUMNS if c not in header]
    unknown = [c for c in header if c not in known]
    twice = sorted({c for c in header if header.count(c) > 1})
    if missing or unknown or twice:
        what = (
            f"missing {', '.join(missing)}"
            if missing
            else f"unknown {', '.join(unknown)}"
            if unknown
            else f"{', '.join(twice)} twice"
        )
        raise InputError("line 1", f"{what}; expected columns {', '.join(known)}")


def _item(cells: dict[str, str]) -> dict[str, object]:
    """A row as the JSON object it stands for: empty optional cells left out (their defaults
    apply), documents split at `;`, incumbent read as yes/no."""
    item: dict[str, object] = {}
    for column, cell in cells.items():
        value = cell.strip()
        if column in NOMINATION_COLUMNS:
            item[column] = value
        elif column == "documents":
            item[column] = [d.strip() for d in value.split(DOCUMENT_SEPARATOR) if d.strip()]
        elif column == "incumbent":
            lowered = value.lower()
            item[column] = True if lowered in _TRUE else False if lowered in _FALSE else value
        elif value:
            item[column] = value
    return item
