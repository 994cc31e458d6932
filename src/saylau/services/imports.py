"""Import of structure files (CSV or JSON, docs/import-formats.md): a file is parsed with the
line number of each item, checked whole, and stored in one transaction or not at all."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from saylau.domain.accounts import Principal
from saylau.domain.structure import (
    CommissionLevel,
    CommissionRole,
    Kato,
    Names,
    NewCommission,
    NewCommissionMember,
    NewCouncil,
    NewDeputy,
    NewPost,
    NewTerritory,
    Sex,
    TerritoryKind,
)
from saylau.services import commissions, structure
from saylau.services.errors import Conflict, InvalidInput, Problem
from saylau.services.permissions import Action, authorize
from saylau.services.transaction import transaction
from saylau.services.validation import MAX_PROBLEMS

E = TypeVar("E", bound=StrEnum)


class ImportKind(StrEnum):
    TERRITORIES = "territories"
    COUNCILS = "councils"
    DEPUTIES = "deputies"
    COMMISSIONS = "commissions"
    POSTS = "posts"
    BUNDLE = "bundle"


# Columns of each CSV file and keys of each JSON object; (required, optional).
COLUMNS: dict[ImportKind, tuple[tuple[str, ...], tuple[str, ...]]] = {
    ImportKind.TERRITORIES: (("kato", "kind"), ("parent_kato", "name_kk", "name_ru", "name_en")),
    ImportKind.COUNCILS: (("territory_kato", "num_seats"), ("name_kk", "name_ru", "name_en")),
    ImportKind.DEPUTIES: (
        ("council_kato", "full_name", "sex", "birth_date", "mandate_start"),
        ("mandate_end",),
    ),
    ImportKind.COMMISSIONS: (("level", "name"), ("territory_kato", "member_name", "member_role")),
    ImportKind.POSTS: (("territory_kato", "council_kato"), ()),
}
# A bundle applies its sections in this order, so each can refer to the ones before.
BUNDLE_ORDER = (
    ImportKind.TERRITORIES,
    ImportKind.COUNCILS,
    ImportKind.DEPUTIES,
    ImportKind.COMMISSIONS,
    ImportKind.POSTS,
)


@dataclass(frozen=True)
class ImportSummary:
    """What one import stored: rows per object type, in one transaction."""

    path: str
    kind: ImportKind
    stored: Mapping[str, int] = field(default_factory=dict)

    @property
    def num_stored(self) -> int:
        return sum(self.stored.values())


@dataclass(frozen=True)
class _Item:
    line: int
    data: Mapping[str, Any]


class _Bad(Exception):
    def __init__(self, column: str, message: str) -> None:
        self.column, self.message = column, message


# --- reading files -------------------------------------------------------------------------


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "json"):
        raise InvalidInput(f"cannot tell the format of {path.name}: give --format csv or json")
    return suffix


def read_csv(text: str, kind: ImportKind) -> list[_Item]:
    """Rows as {column: text}, each with the line it starts on (the header is line 1)."""
    required, optional = COLUMNS[kind]
    reader = csv.reader(io.StringIO(text, newline=""))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if c not in required + optional]
    if missing or unknown:
        expected = ", ".join(required + optional)
        what = f"missing {', '.join(missing)}" if missing else f"unknown {', '.join(unknown)}"
        raise InvalidInput(
            f"bad header in the {kind} file",
            problems=[Problem("bad_header", f"{what}; expected columns {expected}", "line 1")],
        )
    items, start = [], reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                raise InvalidInput(
                    f"bad row in the {kind} file",
                    problems=[_row_length(start, len(row), len(header))],
                )
            items.append(
                _Item(start, {h: cell.strip() for h, cell in zip(header, row, strict=True)})
            )
        start = reader.line_num + 1
    return items


def _row_length(line: int, found: int, expected: int) -> Problem:
    return Problem(
        "bad_row", f"expected {expected} fields as in the header, found {found}", f"line {line}"
    )


def read_json_array(text: str, pos: int = 0) -> tuple[list[_Item], int]:
    """The objects of the JSON array starting at `pos`, each with the line it starts on."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, pos)
    _expect(text, pos, "[")
    items: list[_Item] = []
    pos = _skip_space(text, pos + 1)
    if text.startswith("]", pos):
        return items, pos + 1
    line, counted = text.count("\n", 0, pos) + 1, pos
    while True:
        # Count newlines only since the previous item: linear in the file's size.
        line, counted = line + text.count("\n", counted, pos), pos
        value, pos = decoder.raw_decode(text, pos)
        if not isinstance(value, dict):
            raise _json_problem(line, f"expected an object {{...}}, found {type(value).__name__}")
        items.append(_Item(line, value))
        pos = _skip_space(text, pos)
        if text.startswith("]", pos):
            return items, pos + 1
        _expect(text, pos, ",")
        pos = _skip_space(text, pos + 1)


def read_json_bundle(text: str) -> dict[ImportKind, list[_Item]]:
    """{"territories": [...], "councils": [...], ...}: each section with its items' lines."""
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    _expect(text, pos, "{")
    sections: dict[ImportKind, list[_Item]] = {}
    pos = _skip_space(text, pos + 1)
    while not text.startswith("}", pos):
        line = text.count("\n", 0, pos) + 1
        key, pos = decoder.raw_decode(text, pos)
        if key not in [k.value for k in BUNDLE_ORDER]:
            expected = ", ".join(k.value for k in BUNDLE_ORDER)
            raise _json_problem(line, f"unknown section {key!r}; expected {expected}")
        pos = _skip_space(text, pos)
        _expect(text, pos, ":")
        sections[ImportKind(key)], pos = read_json_array(text, pos + 1)
        pos = _skip_space(text, pos)
        if text.startswith(",", pos):
            pos = _skip_space(text, pos + 1)
        elif not text.startswith("}", pos):
            _expect(text, pos, ", or }")
    return sections


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _expect(text: str, pos: int, what: str) -> None:
    if not text.startswith(what, pos):
        found = repr(text[pos : pos + 10]) if pos < len(text) else "the end of the file"
        raise _json_problem(text.count("\n", 0, pos) + 1, f"expected {what!r}, found {found}")


def _json_problem(line: int, message: str) -> InvalidInput:
    return InvalidInput("bad JSON", problems=[Problem("bad_json", message, f"line {line}")])


# --- fields --------------------------------------------------------------------------------


def _text(data: Mapping[str, Any], column: str, *, required: bool = True) -> str:
    value = data.get(column)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise _Bad(column, "expected a value, found none")
        return ""
    if not isinstance(value, str):
        raise _Bad(column, f"expected text, found {json.dumps(value)}")
    return value.strip()


def _kato(data: Mapping[str, Any], column: str, *, required: bool = True) -> Kato | None:
    value = data.get(column)
    if isinstance(value, int) and not isinstance(value, bool):
        value = f"{value:09d}"  # a KATO written as a JSON number
    text = _text({column: value}, column, required=required)
    return Kato(text) if text else None


def _enum(data: Mapping[str, Any], column: str, enum: type[E]) -> E:
    text = _text(data, column)
    try:
        return enum(text)
    except ValueError:
        expected = ", ".join(e.value for e in enum)
        raise _Bad(column, f"expected one of {expected}, found {text!r}") from None


def _integer(data: Mapping[str, Any], column: str) -> int:
    value = data.get(column)
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise _Bad(column, f"expected a whole number, found {json.dumps(value, ensure_ascii=False)}")


def _date(data: Mapping[str, Any], column: str, *, required: bool = True) -> date | None:
    text = _text(data, column, required=required)
    if not text:
        return None
    try:
        if len(text) != 10 or text[4] != "-" or text[7] != "-":
            raise ValueError
        return date.fromisoformat(text)
    except ValueError:
        raise _Bad(column, f"expected a date YYYY-MM-DD, found {text!r}") from None


def _names(data: Mapping[str, Any]) -> Names:
    return Names(
        kk=_text(data, "name_kk", required=False),
        ru=_text(data, "name_ru", required=False),
        en=_text(data, "name_en", required=False),
    )


# --- items to domain values ----------------------------------------------------------------


def _territory(d: Mapping[str, Any]) -> NewTerritory:
    return NewTerritory(
        kato=_kato(d, "kato") or Kato(""),
        kind=_enum(d, "kind", TerritoryKind),
        names=_names(d),
        parent_kato=_kato(d, "parent_kato", required=False),
    )


def _council(d: Mapping[str, Any]) -> NewCouncil:
    return NewCouncil(_kato(d, "territory_kato") or Kato(""), _integer(d, "num_seats"), _names(d))


def _deputy(d: Mapping[str, Any]) -> NewDeputy:
    return NewDeputy(
        council_kato=_kato(d, "council_kato") or Kato(""),
        full_name=_text(d, "full_name"),
        sex=_enum(d, "sex", Sex),
        birth_date=_date(d, "birth_date") or date.min,
        mandate_start=_date(d, "mandate_start") or date.min,
        mandate_end=_date(d, "mandate_end", required=False),
    )


def _post(d: Mapping[str, Any]) -> NewPost:
    return NewPost(_kato(d, "territory_kato") or Kato(""), _kato(d, "council_kato") or Kato(""))


_CONVERTERS: dict[ImportKind, Callable[[Mapping[str, Any]], Any]] = {
    ImportKind.TERRITORIES: _territory,
    ImportKind.COUNCILS: _council,
    ImportKind.DEPUTIES: _deputy,
    ImportKind.POSTS: _post,
}


def _convert(kind: ImportKind, items: Sequence[_Item], problems: list[Problem]) -> list[Any]:
    """Each item as its domain value; a problem (naming line and column) per bad item."""
    values = []
    for item in _checked(kind, items, problems):
        try:
            values.append(_CONVERTERS[kind](item.data))
        except _Bad as bad:
            problems.append(Problem("bad_value", bad.message, f"line {item.line}, {bad.column}"))
    return values


def _commissions(
    items: Sequence[_Item], problems: list[Problem]
) -> tuple[list[NewCommission], list[str], list[NewCommissionMember], list[str]]:
    """Commissions and their members: CSV repeats the commission on each member's row; JSON
    nests {"members": [{"full_name", "role"}]}."""
    found: dict[str | None, NewCommission] = {}
    labels: dict[str | None, str] = {}
    members: list[NewCommissionMember] = []
    member_labels: list[str] = []
    for item in _checked(ImportKind.COMMISSIONS, items, problems):
        d = item.data
        try:
            commission = NewCommission(
                _enum(d, "level", CommissionLevel),
                _text(d, "name"),
                _kato(d, "territory_kato", required=False),
            )
            key = commission.territory_kato
            if key in found and found[key] != commission:
                raise _Bad(
                    "name",
                    f"the commission of {key or 'the CEC'} is described "
                    f"differently on {labels[key]}",
                )
            if key not in found:
                found[key], labels[key] = commission, f"line {item.line}"
            for n, member in enumerate(_member_items(d)):
                name, role = _text(member, "member_name", required=False), member.get("member_role")
                if not name and not role:
                    continue
                members.append(
                    NewCommissionMember(
                        key,
                        _text(member, "member_name"),
                        _enum(member, "member_role", CommissionRole),
                    )
                )
                member_labels.append(
                    f"line {item.line}" + (f", members[{n}]" if "members" in d else "")
                )
        except _Bad as bad:
            problems.append(Problem("bad_value", bad.message, f"line {item.line}, {bad.column}"))
    return list(found.values()), list(labels.values()), members, member_labels


def _member_items(d: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    if "members" not in d:
        yield d
        return
    if not isinstance(d["members"], list):
        raise _Bad("members", 'expected a list of {"full_name", "role"} objects')
    for m in d["members"]:
        if not isinstance(m, dict) or set(m) - {"full_name", "role"}:
            raise _Bad("members", f'expected {{"full_name", "role"}}, found {json.dumps(m)}')
        yield {"member_name": m.get("full_name"), "member_role": m.get("role")}


def _checked(kind: ImportKind, items: Sequence[_Item], problems: list[Problem]) -> list[_Item]:
    required, optional = COLUMNS[kind]
    allowed = set(required + optional)
    if kind is ImportKind.COMMISSIONS:
        allowed.add("members")
    good = []
    for item in items:
        unknown = sorted(set(item.data) - allowed)
        if unknown:
            problems.append(
                Problem(
                    "bad_field",
                    f"unknown {', '.join(unknown)}; expected {', '.join(sorted(allowed))}",
                    f"line {item.line}",
                )
            )
        else:
            good.append(item)
    return good


# --- the import ----------------------------------------------------------------------------


def read_items(
    path: Path, kind: ImportKind, file_format: str | None
) -> dict[ImportKind, list[_Item]]:
    """The file's items per section (one section unless it is a bundle)."""
    fmt = file_format or guess_format(path)
    if fmt not in ("csv", "json"):
        raise InvalidInput(f"unknown format {fmt!r}: expected csv or json")
    if kind is ImportKind.BUNDLE and fmt != "json":
        raise InvalidInput("a bundle is a JSON file (docs/import-formats.md)")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InvalidInput(f"no file {path}") from None
    except UnicodeDecodeError as error:
        line = error.object[: error.start].count(b"\n") + 1
        raise InvalidInput(
            f"{path.name} is not UTF-8 text",
            problems=[Problem("bad_encoding", "expected UTF-8 text", f"line {line}")],
        ) from None
    if fmt == "csv":
        return {kind: read_csv(text, kind)}
    try:
        if kind is ImportKind.BUNDLE:
            sections = read_json_bundle(text)
        else:
            items, end = read_json_array(text)
            if text[_skip_space(text, end) :]:
                raise _json_problem(text.count("\n", 0, end) + 1, "unexpected text after the array")
            sections = {kind: items}
    except json.JSONDecodeError as error:
        raise _json_problem(error.lineno, error.msg) from None
    return sections


def import_file(
    *,
    session: Session,
    principal: Principal,
    kind: ImportKind,
    path: Path,
    file_format: str | None = None,
) -> ImportSummary:
    """Parse, check and store one file in one transaction: every row of it, or nothing."""
    authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    sections = read_items(path, kind, file_format)
    problems: list[Problem] = []
    parsed: dict[ImportKind, Any] = {}
    for section, items in sections.items():
        if section is ImportKind.COMMISSIONS:
            parsed[section] = _commissions(items, problems)
        else:
            parsed[section] = (
                _convert(section, items, problems),
                [f"line {i.line}" for i in items],
            )
    if problems:
        raise InvalidInput(
            f"{len(problems)} problem(s) in {path.name}; nothing was stored",
            problems=problems[:MAX_PROBLEMS],
        )
    stored: dict[str, int] = {}
    try:
        with transaction(session=session):
            for section in BUNDLE_ORDER:
                if section in parsed:
                    stored.update(_store(session, principal, section, parsed[section]))
    except IntegrityError as error:
        # Checked above, so only a concurrent writer can get here (e.g. the same KATO imported
        # by two processes at once): nothing of this file was stored.
        raise Conflict(
            f"the database changed during the import of {path.name}; nothing was stored, "
            f"run it again ({type(error.orig).__name__})"
        ) from error
    return ImportSummary(path=str(path), kind=kind, stored=stored)


def _store(session: Session, principal: Principal, kind: ImportKind, parsed: Any) -> dict[str, int]:
    if kind is ImportKind.COMMISSIONS:
        found, labels, members, member_labels = parsed
        ids = commissions.add_commissions(
            session=session, principal=principal, commissions=found, labels=labels
        )
        member_ids = commissions.add_commission_members(
            session=session, principal=principal, members=members, labels=member_labels
        )
        return {"commission": len(ids), "commission_member": len(member_ids)}
    values, labels = parsed
    add: dict[ImportKind, tuple[Callable[..., list[Any]], str, str]] = {
        ImportKind.TERRITORIES: (structure.add_territories, "territories", structure.TERRITORY),
        ImportKind.COUNCILS: (structure.add_councils, "councils", structure.COUNCIL),
        ImportKind.DEPUTIES: (structure.add_deputies, "deputies", structure.DEPUTY),
        ImportKind.POSTS: (structure.add_posts, "posts", structure.POST),
    }
    function, keyword, object_type = add[kind]
    ids = function(session=session, principal=principal, labels=labels, **{keyword: values})
    return {object_type: len(ids)}
