"""One rule for finding a stored object from what a person typed: an id, a KATO code or an exact
name (docs/architecture.md, "Finding an object"). Every command that takes "id, KATO or name"
resolves it here, and a miss is one `NotFound` listing the close matches.

The rule, for a reference `ref` (surrounding whitespace ignored):
1. nine ASCII digits (0-9) are a KATO code, for the kinds that have one through their territory
   (contest: its post's territory; council, commission: its district or city);
2. any other string of ASCII digits is an id (a stored id has at most 18 digits); for kinds
   without a KATO (event, nomination, commission member) nine digits are an id as well;
3. anything else is an exact name: equal, after Unicode NFC normalisation, to a stored name as it
   is written (case and spaces count) - an event's name; a contest's post territory's name in
   Kazakh, Russian or English; a council's own name or its territory's in kk, ru or en; a
   commission's name; a candidate's or commission member's full name. For a commission, `cec`
   (any case) is the Central Election Commission, the one commission without a territory.
A name that more than one object bears is ambiguous and refused with every match listed; a
reference that finds nothing is refused with up to five close matches (difflib) among the ids,
KATO codes and names in scope.
"""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Select, null, or_, select
from sqlalchemy.orm import Session

from saylau.db.tables.election import ContestRow, ElectionEventRow, NominationRow, PersonRow
from saylau.db.tables.structure import (
    CommissionMemberRow,
    CommissionRow,
    CouncilRow,
    PostRow,
    TerritoryRow,
)
from saylau.domain.election import ContestId, EventId, NominationId
from saylau.domain.structure import CommissionId, CommissionMemberId, CouncilId
from saylau.services.errors import NotFound, Problem

KATO_DIGITS = 9
MAX_ID_DIGITS = 18  # ids are 64-bit integers: 9,223,372,036,854,775,807 has 19 digits
NUM_CLOSE_MATCHES = 5
ASCII_DIGITS = frozenset("0123456789")


@dataclass(frozen=True)
class Match:
    """One object a reference found or nearly found: its id and how a person recognises it."""

    id: int
    label: str


@dataclass(frozen=True)
class _Kind:
    noun: str  # "contest"
    query: Select[*tuple[Any, ...]]  # id, kato (or NULL), names; joined and scoped
    id_column: Any
    kato_column: Any | None
    name_columns: tuple[Any, ...]
    scope: str = ""  # " in event 3"


def is_kato(ref: str) -> bool:
    """Nine ASCII digits: the form of a KATO code."""
    return len(ref) == KATO_DIGITS and set(ref) <= ASCII_DIGITS


def _is_id(ref: str, *, has_kato: bool) -> bool:
    if not ref or not set(ref) <= ASCII_DIGITS or len(ref) > MAX_ID_DIGITS:
        return False
    return not (has_kato and is_kato(ref))


def _label(row: Sequence[Any]) -> str:
    _id, kato, *names = row
    shown = " / ".join(dict.fromkeys(n for n in names if n))
    return " ".join(p for p in (kato, shown) if p) or f"id {_id}"


def _resolve(session: Session, kind: _Kind, ref: str) -> int:
    ref = unicodedata.normalize("NFC", ref.strip())
    has_kato = kind.kato_column is not None
    if _is_id(ref, has_kato=has_kato):
        how = "id"
        condition = kind.id_column == int(ref)
    elif has_kato and is_kato(ref):
        how = "KATO"
        condition = kind.kato_column == ref
    else:
        how = "name"
        condition = or_(*(c == ref for c in kind.name_columns))
    found = list(session.execute(kind.query.where(condition)))
    return _pick(
        kind.noun, kind.scope, has_kato, ref, how, found, lambda: session.execute(kind.query)
    )


def find_among(*, noun: str, ref: str, objects: Sequence[tuple[int, str]], scope: str = "") -> int:
    """The same rule over objects already read (id, full name), e.g. the deputies on a sitting's
    roll: ASCII digits are an id, anything else an exact name."""
    ref = unicodedata.normalize("NFC", ref.strip())
    rows = [(i, None, name) for i, name in objects]
    if _is_id(ref, has_kato=False):
        how, found = "id", [r for r in rows if r[0] == int(ref)]
    else:
        how, found = "name", [r for r in rows if r[2] == ref]
    return _pick(noun, scope, False, ref, how, found, lambda: rows)


def _pick(
    noun: str,
    scope: str,
    has_kato: bool,
    ref: str,
    how: str,
    found: Sequence[Sequence[Any]],
    everything: Callable[[], Iterable[Sequence[Any]]],
) -> int:
    """The one object found, or NotFound: every match of an ambiguous name, or the close
    matches (among `everything` in scope) of a miss."""
    unique = list({int(r[0]): Match(int(r[0]), _label(r)) for r in found}.values())
    if len(unique) == 1:
        return unique[0].id
    if unique:
        raise NotFound(
            f"{ref!r} names {len(unique)} {_plural(noun)}{scope}: give the id"
            + (" or the KATO" if has_kato else ""),
            problems=[_problem("ambiguous", ref, m) for m in unique],
        )
    close = _close_matches(everything(), ref)
    forms = {"id": "an id", "KATO": "a KATO code", "name": "an exact name"}[how]
    if any(ch.isdigit() and ch not in ASCII_DIGITS for ch in ref):
        forms += "; ids and KATO codes are written with the ASCII digits 0-9"
    raise NotFound(
        f"no {noun} {ref!r}{scope} (read as {forms})" + (": close matches below" if close else ""),
        problems=[_problem("close_match", ref, m) for m in close],
    )


def _plural(noun: str) -> str:
    return noun[:-1] + "ies" if noun.endswith("y") else noun + "s"


def _problem(code: str, ref: str, match: Match) -> Problem:
    return Problem(code, f"{match.id}: {match.label}", numbers={"id": match.id, "ref": ref})


def _close_matches(rows: Iterable[Sequence[Any]], ref: str) -> list[Match]:
    """Up to five objects whose id, KATO or name is most like `ref` (difflib)."""
    by_text: dict[str, list[Match]] = {}
    for row in rows:
        match = Match(int(row[0]), _label(row))
        for text in (str(row[0]), *row[1:]):
            if text:
                by_text.setdefault(str(text), []).append(match)
    found: dict[int, Match] = {}
    for text in difflib.get_close_matches(ref, by_text, n=NUM_CLOSE_MATCHES, cutoff=0.6):
        for match in by_text[text]:
            found.setdefault(match.id, match)
    return list(found.values())[:NUM_CLOSE_MATCHES]


# --- the kinds ----------------------------------------------------------------------------


def find_event(*, session: Session, ref: str) -> EventId:
    """An election event by id or exact name."""
    e = ElectionEventRow
    kind = _Kind(
        "election event",
        select(e.id, null(), e.name).order_by(e.id),
        e.id,
        None,
        (e.name,),
    )
    return EventId(_resolve(session, kind, ref))


def find_contest(*, session: Session, event_id: EventId, ref: str) -> ContestId:
    """A contest of the event by id, its post's territory KATO, or that territory's exact name
    in kk, ru or en."""
    t = TerritoryRow
    kind = _Kind(
        "contest",
        select(ContestRow.id, t.kato, t.name_kk, t.name_ru, t.name_en)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(t, t.id == PostRow.territory_id)
        .where(ContestRow.event_id == event_id)
        .order_by(t.kato),
        ContestRow.id,
        t.kato,
        (t.name_kk, t.name_ru, t.name_en),
        f" in event {event_id}",
    )
    return ContestId(_resolve(session, kind, ref))


def find_council(*, session: Session, ref: str) -> CouncilId:
    """A council by id, its territory's KATO, or its own or its territory's exact name in kk, ru
    or en."""
    c, t = CouncilRow, TerritoryRow
    names = (c.name_kk, c.name_ru, c.name_en, t.name_kk, t.name_ru, t.name_en)
    kind = _Kind(
        "council",
        select(c.id, t.kato, *names).join(t, t.id == c.territory_id).order_by(t.kato),
        c.id,
        t.kato,
        names,
    )
    return CouncilId(_resolve(session, kind, ref))


def find_nomination(*, session: Session, event_id: EventId, ref: str) -> NominationId:
    """A nomination of the event by id or the candidate's exact full name."""
    n, p = NominationRow, PersonRow
    kind = _Kind(
        "nomination",
        select(n.id, null(), p.full_name)
        .join(p, p.id == n.person_id)
        .where(n.event_id == event_id)
        .order_by(n.id),
        n.id,
        None,
        (p.full_name,),
        f" in event {event_id}",
    )
    return NominationId(_resolve(session, kind, ref))


def find_commission_member(*, session: Session, ref: str) -> CommissionMemberId:
    """A commission member by id or exact full name."""
    m = CommissionMemberRow
    kind = _Kind(
        "commission member",
        select(m.id, null(), m.full_name).order_by(m.id),
        m.id,
        None,
        (m.full_name,),
    )
    return CommissionMemberId(_resolve(session, kind, ref))


def find_commission(*, session: Session, ref: str) -> CommissionId:
    """A commission by id, its territory's KATO, its exact name, or `cec` for the CEC."""
    c, t = CommissionRow, TerritoryRow
    query = select(c.id, t.kato, c.name).outerjoin(t, t.id == c.territory_id).order_by(c.id)
    if ref.strip().lower() == "cec":
        found = session.scalar(select(c.id).where(c.territory_id.is_(None)))
        if found is None:
            raise NotFound.one("unknown_commission", "no Central Election Commission is stored")
        return CommissionId(found)
    kind = _Kind("commission", query, c.id, t.kato, (c.name,))
    return CommissionId(_resolve(session, kind, ref))
