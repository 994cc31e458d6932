"""Import of structure files (CSV or JSON, docs/import-formats.md): a file is parsed with the
line number of each item, checked whole, and stored in one transaction or not at all."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from pathlib import Path
from typing import Any, cast

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from saylau.domain import limits
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
from saylau.rules.errors import InputError, json_kind
from saylau.rules.input import Fields, InputErrors, decode_text, join, load_json
from saylau.services import commissions, structure
from saylau.services.errors import Conflict, InvalidInput, Problem
from saylau.services.transaction import transaction
from saylau.services.validation import MAX_PROBLEMS, where


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
    """One row or object of a file and where it is: `line 5` (CSV) or `[4]`, `posts[4]` (JSON)."""

    where: str
    data: Mapping[str, Any]

    def at(self, column: str) -> str:
        """Where one of its fields is: `line 5, kato` or `[4].kato`."""
        return where(self.where, column)


# --- reading files -------------------------------------------------------------------------


def guess_format(path: Path) -> str:
    suffix = path.suffix.lower().lstrip(".")
    if suffix not in ("csv", "json"):
        raise InvalidInput.one(
            "unknown_format",
            f"cannot tell the format of {path.name}: give --format csv or json",
            where="format",
        )
    return suffix


def _refused(what: str, error: InputError, code: str = "bad_file") -> InvalidInput:
    """An input-layer refusal of the whole file, one problem per line of it."""
    errors = error.errors if isinstance(error, InputErrors) else (error,)
    return InvalidInput(
        f"{what}; nothing was stored",
        problems=[Problem(code, e.message, e.path) for e in errors][:MAX_PROBLEMS],
    )


def read_csv(text: str, kind: ImportKind) -> list[_Item]:
    """Rows as {column: text}, each with the line it starts on (the header is line 1)."""
    required, optional = COLUMNS[kind]
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        return _csv_items(reader, kind, required, optional)
    except csv.Error as error:
        # A field over MAX_CSV_FIELD characters, or a NUL byte: refused, never a traceback.
        raise InvalidInput(
            f"bad CSV in the {kind} file",
            problems=[Problem("bad_csv", _csv_message(error), f"line {reader.line_num}")],
        ) from None


def _csv_message(error: csv.Error) -> str:
    if "field larger than field limit" in str(error):
        return f"a field longer than {limits.MAX_CSV_FIELD:,} characters"
    return f"not CSV ({error})"


def _csv_items(
    reader: Any, kind: ImportKind, required: tuple[str, ...], optional: tuple[str, ...]
) -> list[_Item]:
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
                _Item(f"line {start}", {h: cell for h, cell in zip(header, row, strict=True)})
            )
        start = reader.line_num + 1
    return items


def _row_length(line: int, found: int, expected: int) -> Problem:
    return Problem(
        "bad_row", f"expected {expected} fields as in the header, found {found}", f"line {line}"
    )


def read_json_items(data: object, kind: ImportKind) -> dict[ImportKind, list[_Item]]:
    """The objects of a decoded JSON file (an array, or a bundle's sections of arrays), each
    with its JSON path."""
    fields = Fields()
    if kind is ImportKind.BUNDLE:
        names = [k.value for k in BUNDLE_ORDER]
        top = fields.obj(data, "", optional=names) or {}
        sections = {ImportKind(k): (fields.array(v, k) or []) for k, v in top.items() if k in names}
    else:
        sections = {kind: fields.array(data, "") or []}
    found: dict[ImportKind, list[_Item]] = {}
    for section, values in sections.items():
        prefix = section.value if kind is ImportKind.BUNDLE else ""
        found[section] = []
        for i, value in enumerate(values):
            where = join(prefix, i)
            if isinstance(value, dict):
                found[section].append(_Item(where, value))
            else:
                fields.refuse(where, f"expected an object {{...}}, got {json_kind(value)}")
    fields.raise_if_any()
    return found


# --- items to domain values ----------------------------------------------------------------


@dataclass
class _Reader:
    """Reads items' fields into domain values through the input layer, collecting every
    problem; dates of people and mandates are checked against `on` (the day of the import)."""

    on: date
    fields: Fields = field(default_factory=Fields)

    def text(self, item: _Item, column: str, max_length: int = limits.NAME) -> str:
        return self.fields.text(item.data.get(column), item.at(column), max_length=max_length) or ""

    def optional_text(self, item: _Item, column: str, max_length: int = limits.NAME) -> str:
        value = item.data.get(column)
        return self.fields.optional_text(value, item.at(column), max_length=max_length)

    def kato(self, item: _Item, column: str) -> Kato:
        return Kato(self.fields.kato(item.data.get(column), item.at(column)) or "")

    def optional_kato(self, item: _Item, column: str) -> Kato | None:
        value = item.data.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return Kato(self.fields.kato(value, item.at(column)) or "")

    def names(self, item: _Item) -> Names:
        kk, ru, en = (self.optional_text(item, f"name_{lang}") for lang in ("kk", "ru", "en"))
        return Names(kk=kk, ru=ru, en=en)

    def day(self, item: _Item, column: str, **bounds: Any) -> date | None:
        value = item.data.get(column)
        return self.fields.day(value, item.at(column), **bounds)

    def optional_day(self, item: _Item, column: str) -> date | None:
        value = item.data.get(column)
        if value is None or (isinstance(value, str) and not value.strip()):
            return None
        return self.day(item, column)

    def territory(self, item: _Item) -> NewTerritory:
        return NewTerritory(
            kato=self.kato(item, "kato"),
            kind=self.fields.choice(item.data.get("kind"), item.at("kind"), TerritoryKind)
            or TerritoryKind.REGION,
            names=self.names(item),
            parent_kato=self.optional_kato(item, "parent_kato"),
        )

    def council(self, item: _Item) -> NewCouncil:
        seats = self.fields.count_text(
            item.data.get("num_seats"), item.at("num_seats"), minimum=1, maximum=limits.MAX_SEATS
        )
        return NewCouncil(self.kato(item, "territory_kato"), seats or 1, self.names(item))

    def deputy(self, item: _Item) -> NewDeputy:
        latest_start = self.on + MANDATE_AHEAD
        return NewDeputy(
            council_kato=self.kato(item, "council_kato"),
            full_name=self.text(item, "full_name"),
            sex=self.fields.choice(item.data.get("sex"), item.at("sex"), Sex) or Sex.FEMALE,
            birth_date=self.day(
                item,
                "birth_date",
                earliest=limits.EARLIEST_BIRTH,
                latest=self.on,
                latest_is=f"today ({self.on})",
            )
            or date.min,
            mandate_start=self.day(
                item,
                "mandate_start",
                latest=latest_start,
                latest_is=f"{latest_start}, {MANDATE_AHEAD.days} days after today",
            )
            or date.min,
            mandate_end=self.optional_day(item, "mandate_end"),
        )

    def post(self, item: _Item) -> NewPost:
        return NewPost(self.kato(item, "territory_kato"), self.kato(item, "council_kato"))


# A mandate may be imported before it starts (a council elected, not yet seated), within a year.
MANDATE_AHEAD = timedelta(days=366)

_CONVERTERS: dict[ImportKind, Callable[[_Reader, _Item], Any]] = {
    ImportKind.TERRITORIES: _Reader.territory,
    ImportKind.COUNCILS: _Reader.council,
    ImportKind.DEPUTIES: _Reader.deputy,
    ImportKind.POSTS: _Reader.post,
}


def _convert(kind: ImportKind, items: Sequence[_Item], reader: _Reader) -> list[Any]:
    """Each item as its domain value; the reader collects a problem per bad field."""
    return [_CONVERTERS[kind](reader, item) for item in _checked(kind, items, reader.fields)]


def _commissions(
    items: Sequence[_Item], reader: _Reader
) -> tuple[list[NewCommission], list[str], list[NewCommissionMember], list[str]]:
    """Commissions and their members: CSV repeats the commission on each member's row; JSON
    nests {"members": [{"full_name", "role"}]}."""
    found: dict[str | None, NewCommission] = {}
    labels: dict[str | None, str] = {}
    members: list[NewCommissionMember] = []
    member_labels: list[str] = []
    fields = reader.fields
    for item in _checked(ImportKind.COMMISSIONS, items, fields):
        d = item.data
        commission = NewCommission(
            fields.choice(d.get("level"), item.at("level"), CommissionLevel) or CommissionLevel.CEC,
            reader.text(item, "name", limits.COMMISSION_NAME),
            reader.optional_kato(item, "territory_kato"),
        )
        key = commission.territory_kato
        if key in found and found[key] != commission:
            fields.refuse(
                item.at("name"),
                f"the commission of {key or 'the CEC'} is described differently on {labels[key]}",
            )
            continue
        if key not in found:
            found[key], labels[key] = commission, item.where
        for member in _member_items(item, fields):
            if not member.data.get("member_name") and not member.data.get("member_role"):
                continue
            role = fields.choice(
                member.data.get("member_role"), member.at("member_role"), CommissionRole
            )
            name = reader.text(member, "member_name")
            members.append(NewCommissionMember(key, name, role or CommissionRole.MEMBER))
            member_labels.append(member.where)
    return list(found.values()), list(labels.values()), members, member_labels


def _member_items(item: _Item, fields: Fields) -> Iterator[_Item]:
    """A CSV row is its own member; a JSON commission lists {"full_name", "role"} objects."""
    if "members" not in item.data:
        yield item
        return
    members = fields.array(item.data["members"], item.at("members")) or []
    for n, m in enumerate(members):
        where = join(item.at("members"), n)
        if fields.obj(m, where, required=("full_name", "role")) is None:
            continue
        m = cast(Mapping[str, Any], m)
        # Named as the CSV columns, so one reader serves both; paths keep the JSON keys.
        yield _MemberItem(where, {"member_name": m.get("full_name"), "member_role": m.get("role")})


class _MemberItem(_Item):
    def at(self, column: str) -> str:
        return f"{self.where}.{_MEMBER_KEYS.get(column, column)}"


_MEMBER_KEYS = {"member_name": "full_name", "member_role": "role"}


def _checked(kind: ImportKind, items: Sequence[_Item], fields: Fields) -> list[_Item]:
    required, optional = COLUMNS[kind]
    allowed = set(required + optional)
    if kind is ImportKind.COMMISSIONS:
        allowed.add("members")
    good = []
    for item in items:
        unknown = sorted(set(item.data) - allowed)
        for column in unknown:
            fields.refuse(item.at(column), f"unknown column; expected {', '.join(sorted(allowed))}")
        if not unknown:
            good.append(item)
    return good


# --- the import ----------------------------------------------------------------------------


def read_items(
    path: Path, kind: ImportKind, file_format: str | None
) -> dict[ImportKind, list[_Item]]:
    """The file's items per section (one section unless it is a bundle)."""
    fmt = file_format or guess_format(path)
    if fmt not in ("csv", "json"):
        raise InvalidInput.one(
            "unknown_format", f"unknown format {fmt!r}: expected csv or json", where="format"
        )
    if kind is ImportKind.BUNDLE and fmt != "json":
        raise InvalidInput.one(
            "unknown_format", "a bundle is a JSON file (docs/import-formats.md)", where="format"
        )
    try:
        with path.open("rb") as f:
            raw = f.read(limits.MAX_FILE_BYTES + 1)
    except FileNotFoundError:
        raise InvalidInput.one("no_file", f"no file {path}", where="path") from None
    except OSError as error:
        raise InvalidInput.one(
            "unreadable_file", f"cannot read {path}: {error.strerror}", where="path"
        ) from None
    try:
        text = decode_text(raw)
        if fmt == "csv":
            return {kind: read_csv(text, kind)}
        return read_json_items(load_json(text), kind)
    except InputError as error:
        raise _refused(f"{path.name} cannot be read", error) from None


def import_file(
    *,
    session: Session,
    principal: Principal,
    kind: ImportKind,
    path: Path,
    on: date,
    file_format: str | None = None,
) -> ImportSummary:
    """Parse, check and store one file in one transaction: every row of it, or nothing.
    `on` is the day of the import: no one is born after it, no mandate starts a year past it."""
    sections = read_items(path, kind, file_format)
    reader = _Reader(on)
    parsed: dict[ImportKind, Any] = {}
    for section, items in sections.items():
        if section is ImportKind.COMMISSIONS:
            parsed[section] = _commissions(items, reader)
        else:
            parsed[section] = (_convert(section, items, reader), [i.where for i in items])
    if reader.fields.errors:
        errors = reader.fields.errors
        raise InvalidInput(
            f"{len(errors)} problem(s) in {path.name}; nothing was stored",
            problems=[Problem("bad_value", e.message, e.path) for e in errors[:MAX_PROBLEMS]],
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
        raise Conflict.one(
            "concurrent_change",
            f"the database changed during the import of {path.name}; nothing was stored, "
            f"run it again ({type(error.orig).__name__})",
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
