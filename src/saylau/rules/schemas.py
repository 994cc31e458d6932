"""The shapes of saylau's request files (docs/lifecycle.md): an election event, nominations and
round protocols, read through the input layer (rules/input.py) into domain values. The CLI
reads its files with them; the web forms and API are to read the same shapes."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType

from saylau.domain import limits
from saylau.domain.election import (
    COUNT_FIELDS,
    SITTING_FIELDS,
    Calendar,
    Eligibility,
    NominatorKind,
    PersonData,
    ProtocolInput,
)
from saylau.domain.structure import Sex
from saylau.rules.input import Fields, join

__all__ = ["EventSpec", "NominationItem", "ProtocolItem", "read_event", "read_protocols"]

# members, present and ballots_issued may be left out: the sitting fills them in.
_REQUIRED_COUNTS = ("ballots_received", "ballots_cast")
_EVENT_KEYS = ("name", "rules", "calendar", "voting_days")
_CALENDAR_KEYS = ("nomination_opens", "nomination_closes", "registration_deadline")
NOMINATION_COLUMNS = ("contest", "full_name", "sex", "birth_date")
NOMINATION_OPTIONAL_COLUMNS = ("iin", "nominated_by", "nominator", "documents", "incumbent")
_NOMINATION_KEYS = NOMINATION_COLUMNS
_NOMINATION_OPTIONAL = NOMINATION_OPTIONAL_COLUMNS
MAX_DOCUMENTS = 50


@dataclass(frozen=True)
class EventSpec:
    """An event file: `posts` is None for "all"."""

    name: str
    rules: str | Mapping[str, object]
    calendar: Calendar
    voting_days: Mapping[str, date]
    posts: tuple[str, ...] | None
    min_candidates: int
    eligibility: Eligibility


@dataclass(frozen=True)
class NominationItem:
    """One nomination as given: the contest by id or post KATO, resolved by the service."""

    contest: str
    person: PersonData
    nominated_by: NominatorKind
    nominator: str
    documents: tuple[str, ...]
    is_incumbent: bool


@dataclass(frozen=True)
class ProtocolItem:
    """One protocol as given: the contest by id or post KATO."""

    contest: str
    round_no: int
    counts: ProtocolInput


def read_event(data: object) -> EventSpec:
    """An event file; raises InputErrors naming every bad field."""
    f = Fields()
    top = f.obj(data, "", _EVENT_KEYS, ("posts", "min_candidates", "eligibility")) or {}
    name = f.text(top.get("name"), "name", max_length=limits.NAME) if "name" in top else None
    rules = top.get("rules")
    if "rules" in top and not isinstance(rules, str | Mapping):
        f.refuse("rules", "expected a preset name or an inline rule set (an object)")
    cal = f.obj(top.get("calendar"), "calendar", _CALENDAR_KEYS) if "calendar" in top else None
    days = [f.day(cal.get(k), f"calendar.{k}") for k in _CALENDAR_KEYS] if cal else []
    voting_days: dict[str, date] = {}
    if "voting_days" in top:
        for kato, value in (f.mapping(top["voting_days"], "voting_days") or {}).items():
            where = join("voting_days", kato)
            day = f.day(value, where)
            if f.kato(kato, where) is not None and day is not None:
                voting_days[kato] = day
    posts: tuple[str, ...] | None = None
    if top.get("posts", "all") != "all":
        found = f.array(top["posts"], "posts", min_items=1)
        posts = tuple(k for i, v in enumerate(found or []) if (k := f.kato(v, join("posts", i))))
    min_candidates = f.count(top.get("min_candidates", 2), "min_candidates", minimum=1)
    eligibility = _eligibility(f, top.get("eligibility", {}))
    f.raise_if_any()
    assert name is not None and isinstance(rules, str | Mapping) and min_candidates is not None
    calendar = Calendar(*(d for d in days if d is not None))
    return EventSpec(name, rules, calendar, voting_days, posts, min_candidates, eligibility)


def _eligibility(f: Fields, value: object) -> Eligibility:
    data = f.obj(value, "eligibility", (), ("min_age", "required_documents")) or {}
    min_age = f.count(data.get("min_age", 25), "eligibility.min_age", maximum=150)
    documents = _texts(f, data.get("required_documents", []), "eligibility.required_documents")
    return Eligibility(min_age=min_age or 0, required_documents=documents)


def _texts(f: Fields, value: object, path: str) -> tuple[str, ...]:
    found = f.array(value, path) or []
    if len(found) > MAX_DOCUMENTS:
        f.refuse(path, f"{len(found)} items; at most {MAX_DOCUMENTS}")
        return ()
    texts = (f.text(v, join(path, i), max_length=limits.NAME) for i, v in enumerate(found))
    return tuple(t for t in texts if t)


def read_nominations(data: object, *, path: str, on: date) -> list[NominationItem]:
    """A nomination object, or a list of them under `path` (e.g. "nominations"); birth dates
    from EARLIEST_BIRTH to `on`."""
    f = Fields()
    items = f.array(data, path, min_items=1) if isinstance(data, list) else [data]
    found = []
    for i, value in enumerate(items or []):
        where = join(path, i) if isinstance(data, list) else path
        item = f.obj(value, where, _NOMINATION_KEYS, _NOMINATION_OPTIONAL) or {}
        found.append(_nomination(f, item, where, on))
    f.raise_if_any()
    return [n for n in found if n is not None]


def read_nomination_rows(
    rows: Sequence[tuple[str, Mapping[str, object]]], *, on: date
) -> list[NominationItem]:
    """Nominations given as (where, fields) pairs, e.g. ("line 5", {...}) from a CSV file: the
    same checks as the JSON list, each problem at `line 5, column`."""
    f = Fields()
    found = [_nomination(f, item, where, on, field=_on_line) for where, item in rows]
    f.raise_if_any()
    return [n for n in found if n is not None]


def _on_line(where: str, key: str) -> str:
    return f"{where}, {key}"


def _nomination(
    f: Fields,
    item: Mapping[str, object],
    where: str,
    on: date,
    *,
    field: Callable[[str, str], str] = join,
) -> NominationItem | None:
    def at(key: str) -> str:
        return field(where, key)

    contest = _contest(f, item.get("contest"), at("contest"))
    name = f.text(item.get("full_name"), at("full_name"), max_length=limits.NAME)
    sex = f.choice(item.get("sex"), at("sex"), Sex)
    born = f.day(
        item.get("birth_date"),
        at("birth_date"),
        earliest=limits.EARLIEST_BIRTH,
        latest=on,
        latest_is=f"today ({on})",
    )
    iin = item.get("iin")
    if iin is not None:
        iin = f.text(iin, at("iin"), max_length=12)
        if iin is not None and not (iin.isascii() and iin.isdigit() and len(iin) == 12):
            f.refuse(at("iin"), "expected an IIN of 12 digits 0-9")
    by = f.choice(item.get("nominated_by", "district_akim"), at("nominated_by"), NominatorKind)
    nominator = f.optional_text(item.get("nominator"), at("nominator"), max_length=limits.NAME)
    documents = _texts(f, item.get("documents", []), at("documents"))
    incumbent = item.get("incumbent", False)
    if not isinstance(incumbent, bool):
        f.refuse(at("incumbent"), "expected true or false")
    if contest is None or name is None or sex is None or born is None or by is None:
        return None
    person = PersonData(name, str(sex), born, iin if isinstance(iin, str) else None)
    return NominationItem(contest, person, by, nominator, documents, incumbent is True)


def _contest(f: Fields, value: object, path: str) -> str | None:
    """A contest reference: its id or its post's KATO, as a JSON number or ASCII digits."""
    if isinstance(value, int) and not isinstance(value, bool) and value >= 1:
        return str(value)
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 9:
        return value
    f.refuse(path, "expected a contest id or the post's KATO code (digits 0-9)")
    return None


def read_protocols(data: object, *, path: str = "protocols") -> list[ProtocolItem]:
    """A non-empty list of protocol objects (a single object is read as a list of one)."""
    f = Fields()
    items = f.array(data if isinstance(data, list) else [data], path, min_items=1)
    found = []
    for i, value in enumerate(items or []):
        where = join(path, i)
        item = f.obj(value, where, ("contest",), ("round", *COUNT_FIELDS, "votes", "lot_winner"))
        if item is None:
            continue
        contest = _contest(f, item.get("contest"), join(where, "contest"))
        round_no = f.count(
            item.get("round", 1), join(where, "round"), minimum=1, maximum=limits.MAX_ROUNDS
        )
        counts = read_counts(f, item, where)
        if contest is not None and round_no is not None and counts is not None:
            found.append(ProtocolItem(contest, round_no, counts))
    f.raise_if_any()
    return found


@dataclass(frozen=True)
class CorrectionItem:
    """A correction as given: its counts, and the contest (id or post KATO) and round when the
    file names them (the protocol id names the round; the service checks that they agree)."""

    contest: str | None
    round_no: int | None
    counts: ProtocolInput


def read_correction(data: object, *, path: str = "protocol") -> ProtocolInput:
    """The counts of a correction (`read_correction_item` without what it names)."""
    return read_correction_item(data, path=path).counts


def read_correction_item(data: object, *, path: str = "protocol") -> CorrectionItem:
    """A correction: one protocol object whose contest and round may be left out; when given,
    they are returned for the service to check against the protocol corrected."""
    f = Fields()
    item = f.obj(data, path, (), ("contest", "round", *COUNT_FIELDS, "votes", "lot_winner"))
    counts = read_counts(f, item, path) if item is not None else None
    contest = round_no = None
    if item is not None and "contest" in item:
        contest = _contest(f, item["contest"], join(path, "contest"))
    if item is not None and "round" in item:
        round_no = f.count(item["round"], join(path, "round"), minimum=1, maximum=limits.MAX_ROUNDS)
    f.raise_if_any()
    assert counts is not None
    return CorrectionItem(contest, round_no, counts)


def read_counts(f: Fields, item: Mapping[str, object], where: str) -> ProtocolInput | None:
    """The counts of one protocol object: ballots received and cast required; members, present
    and ballots issued, when left out, are the sitting's (listed in `from_sitting`); the rest
    default 0.
    Candidates are named by nomination id or name; each may be named once."""
    num_errors = len(f.errors)
    for key in _REQUIRED_COUNTS:
        if key not in item:
            f.refuse(join(where, key), "missing")
    counts = {k: f.count(item.get(k, 0), join(where, k)) for k in COUNT_FIELDS}
    votes: dict[str, int] = {}
    spelled: dict[str, str] = {}
    for key, value in (f.mapping(item.get("votes", {}), join(where, "votes")) or {}).items():
        at = join(join(where, "votes"), key)
        name = f.text(key, at, max_length=limits.NAME)
        n = f.count(value, at)
        if name is None or n is None:
            continue
        same = " ".join(name.split()).casefold()
        if same in spelled:
            f.refuse(at, f"the same candidate as votes.{spelled[same]}")
            continue
        spelled[same] = name
        votes[name] = n
    lot = item.get("lot_winner")
    lot_winner = f.text(lot, join(where, "lot_winner"), max_length=limits.NAME) if lot else None
    if len(f.errors) > num_errors:
        return None
    return ProtocolInput(
        **{k: v or 0 for k, v in counts.items()},
        votes=MappingProxyType(votes),
        lot_winner=lot_winner,
        from_sitting=frozenset(k for k in SITTING_FIELDS if k not in item),
    )
