"""Structure use cases: territories, councils (maslikhats) with deputies, and akim posts.

Every batch is checked in bulk (one query per table, not per row) and refused whole with every
problem named; what is stored gets one audit entry per row. `add_*` run inside the caller's
transaction (an import puts several batches in one); `create_*` own theirs.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in
from saylau.db.tables.structure import (
    CouncilRow,
    DeputyRow,
    PostRow,
    TerritoryRow,
)
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.structure import (
    COUNCIL_KINDS,
    PARENT_KINDS,
    POST_KINDS,
    CouncilId,
    DeputyId,
    Names,
    NewCouncil,
    NewDeputy,
    NewPost,
    NewTerritory,
    PostId,
    Sex,
    TerritoryId,
    TerritoryKind,
)
from saylau.services import audit
from saylau.services.permissions import Action, authorize
from saylau.services.transaction import transaction
from saylau.services.validation import Problems

# Object types in the audit log: one per table, the state is the row.
TERRITORY, COUNCIL, DEPUTY = "territory", "council", "deputy"
COMMISSION, COMMISSION_MEMBER, POST = "commission", "commission_member", "post"


KATO_PATTERN = re.compile(r"[0-9]{9}")  # ASCII: \d would take ٢٧٣٤٠٠٠٠٠ as a second 273400000

_territory = table_of(TerritoryRow)
_council = table_of(CouncilRow)
_deputy = table_of(DeputyRow)
_post = table_of(PostRow)


def is_kato(value: str) -> bool:
    return KATO_PATTERN.fullmatch(value) is not None


def territories_by_kato(*, session: Session, katos: Iterable[str]) -> dict[str, tuple[int, str]]:
    """{kato: (id, kind)} of the stored territories among `katos`."""
    stmt = select(_territory.c.kato, _territory.c.id, _territory.c.kind)
    return {k: (i, kind) for k, i, kind in select_in(session, stmt, _territory.c.kato, katos)}


def councils_by_kato(*, session: Session, katos: Iterable[str]) -> dict[str, tuple[int, int, int]]:
    """{territory kato: (council id, territory id, num_seats)} of the stored councils."""
    stmt = select(_territory.c.kato, _council.c.id, _council.c.territory_id, _council.c.num_seats)
    stmt = stmt.join(_council, _council.c.territory_id == _territory.c.id)
    rows = select_in(session, stmt, _territory.c.kato, katos)
    return {k: (cid, tid, seats) for k, cid, tid, seats in rows}


def _names_problem(p: Problems, i: int, names: Names) -> None:
    if not (names.kk.strip() or names.ru.strip() or names.en.strip()):
        p.bad(i, "name_ru", "missing_name", "expected a name in at least one of kk, ru, en")
    for lang in ("kk", "ru", "en"):
        p.check_text(i, f"name_{lang}", getattr(names, lang), limits.NAME)


def _insert_returning(
    session: Session, table: Table, key: str, rows: list[dict[str, Any]]
) -> dict[Any, int]:
    """Insert `rows` in a few statements; returns {row[key]: new id}."""
    return {row[key]: i for row, i in zip(rows, insert_ids(session, table, rows), strict=True)}


# --- territories ---------------------------------------------------------------------------


def create_territories(
    *,
    session: Session,
    principal: Principal,
    territories: Sequence[NewTerritory],
    labels: Sequence[str] | None = None,
) -> list[TerritoryId]:
    with transaction(session=session):
        return add_territories(
            session=session, principal=principal, territories=territories, labels=labels
        )


def add_territories(
    *,
    session: Session,
    principal: Principal,
    territories: Sequence[NewTerritory],
    labels: Sequence[str] | None = None,
) -> list[TerritoryId]:
    """Store territories (parents before children, whatever their order in the batch)."""
    actor = authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    p = Problems("territories", len(territories), labels)
    stored = territories_by_kato(
        session=session,
        katos=[t.kato for t in territories] + [t.parent_kato for t in territories if t.parent_kato],
    )
    first_index: dict[str, int] = {}
    kinds: dict[str, str] = {k: kind for k, (_, kind) in stored.items()}
    for i, t in enumerate(territories):
        if t.kato in first_index:
            p.bad(
                i,
                "kato",
                "duplicate_kato",
                f"KATO {t.kato} is also on {p.label(first_index[t.kato])}",
            )
            continue
        first_index[t.kato] = i
        kinds.setdefault(t.kato, t.kind)
    for i, t in enumerate(territories):
        _check_territory(p, i, t, stored, kinds)
    p.raise_if_any()

    ids: dict[str, int] = {k: i for k, (i, _) in stored.items()}
    pending = list(territories)
    while pending:
        # A level at a time: KATO levels are at most four deep, so this loops at most four times.
        ready = [t for t in pending if t.parent_kato is None or t.parent_kato in ids]
        rows = [_territory_row(t, ids) for t in ready]
        ids.update(_insert_returning(session, _territory, "kato", rows))
        pending = [t for t in pending if t.kato not in ids]
    new_ids = [TerritoryId(ids[t.kato]) for t in territories]
    audit.record_many(
        session=session,
        actor=actor,
        action="territory.create",
        object_type=TERRITORY,
        object_ids=new_ids,
    )
    return new_ids


def _check_territory(
    p: Problems, i: int, t: NewTerritory, stored: dict[str, tuple[int, str]], kinds: dict[str, str]
) -> None:
    if not is_kato(t.kato):
        p.bad(i, "kato", "bad_kato", f"expected a KATO code of 9 digits, got {t.kato!r}")
    elif t.kato in stored:
        p.forbid(i, "kato", "kato_exists", f"a territory with KATO {t.kato} is already stored")
    if t.kind not in set(TerritoryKind):
        expected = ", ".join(k.value for k in TerritoryKind)
        p.bad(i, "kind", "bad_kind", f"expected one of {expected}, got {t.kind!r}")
        return
    _names_problem(p, i, t.names)
    allowed = PARENT_KINDS[TerritoryKind(t.kind)]
    if not allowed:
        if t.parent_kato:
            p.bad(i, "parent_kato", "region_has_parent", "a region has no parent territory")
        return
    expected_kinds = " or ".join(sorted(allowed))
    if not t.parent_kato:
        p.bad(i, "parent_kato", "missing_parent", f"a {t.kind} needs a parent ({expected_kinds})")
    elif t.parent_kato not in kinds:
        p.bad(
            i,
            "parent_kato",
            "unknown_parent",
            f"no territory with KATO {t.parent_kato} is stored or in this batch",
        )
    elif kinds[t.parent_kato] not in allowed:
        p.bad(
            i,
            "parent_kato",
            "bad_parent_kind",
            f"the parent of a {t.kind} must be a {expected_kinds}; "
            f"{t.parent_kato} is a {kinds[t.parent_kato]}",
        )


def _territory_row(t: NewTerritory, ids: dict[str, int]) -> dict[str, Any]:
    return {
        "kato": t.kato,
        "kind": str(t.kind),
        "parent_id": ids[t.parent_kato] if t.parent_kato else None,
        "name_kk": t.names.kk,
        "name_ru": t.names.ru,
        "name_en": t.names.en,
    }


# --- councils and deputies -----------------------------------------------------------------


def create_councils(
    *,
    session: Session,
    principal: Principal,
    councils: Sequence[NewCouncil],
    labels: Sequence[str] | None = None,
) -> list[CouncilId]:
    with transaction(session=session):
        return add_councils(session=session, principal=principal, councils=councils, labels=labels)


def add_councils(
    *,
    session: Session,
    principal: Principal,
    councils: Sequence[NewCouncil],
    labels: Sequence[str] | None = None,
) -> list[CouncilId]:
    actor = authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    p = Problems("councils", len(councils), labels)
    katos = [c.territory_kato for c in councils]
    territories = territories_by_kato(session=session, katos=katos)
    existing = councils_by_kato(session=session, katos=katos)
    seen: dict[str, int] = {}
    for i, c in enumerate(councils):
        if c.territory_kato in seen:
            p.bad(
                i,
                "territory_kato",
                "duplicate_council",
                f"a council of {c.territory_kato} is also on {p.label(seen[c.territory_kato])}",
            )
            continue
        seen[c.territory_kato] = i
        found = territories.get(c.territory_kato)
        if found is None:
            p.bad(
                i,
                "territory_kato",
                "unknown_territory",
                f"no territory with KATO {c.territory_kato} is stored",
            )
        elif found[1] not in COUNCIL_KINDS:
            p.bad(
                i,
                "territory_kato",
                "bad_council_territory",
                f"a council sits on a {' or '.join(sorted(COUNCIL_KINDS))}; "
                f"{c.territory_kato} is a {found[1]}",
            )
        elif c.territory_kato in existing:
            p.forbid(
                i,
                "territory_kato",
                "council_exists",
                f"the council of {c.territory_kato} is already stored",
            )
        if not 1 <= c.num_seats <= limits.MAX_SEATS:
            p.bad(
                i,
                "num_seats",
                "bad_num_seats",
                f"expected a number of seats from 1 to {limits.MAX_SEATS}, got {c.num_seats}",
                num_seats=c.num_seats if abs(c.num_seats) <= limits.MAX_STORED_INT else -1,
            )
        _names_problem(p, i, c.names)
    p.raise_if_any()
    rows = [
        {
            "territory_id": territories[c.territory_kato][0],
            "num_seats": c.num_seats,
            "name_kk": c.names.kk,
            "name_ru": c.names.ru,
            "name_en": c.names.en,
        }
        for c in councils
    ]
    by_territory = _insert_returning(session, _council, "territory_id", rows)
    ids = [CouncilId(by_territory[r["territory_id"]]) for r in rows]
    audit.record_many(
        session=session, actor=actor, action="council.create", object_type=COUNCIL, object_ids=ids
    )
    return ids


def create_deputies(
    *,
    session: Session,
    principal: Principal,
    deputies: Sequence[NewDeputy],
    labels: Sequence[str] | None = None,
) -> list[DeputyId]:
    with transaction(session=session):
        return add_deputies(session=session, principal=principal, deputies=deputies, labels=labels)


def add_deputies(
    *,
    session: Session,
    principal: Principal,
    deputies: Sequence[NewDeputy],
    labels: Sequence[str] | None = None,
) -> list[DeputyId]:
    actor = authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    p = Problems("deputies", len(deputies), labels)
    councils = councils_by_kato(session=session, katos=[d.council_kato for d in deputies])
    for i, d in enumerate(deputies):
        _check_deputy(p, i, d, councils)
    _check_seats(session, p, deputies, councils)
    p.raise_if_any()
    rows = [
        {
            "council_id": councils[d.council_kato][0],
            "full_name": d.full_name.strip(),
            "sex": str(d.sex),
            "birth_date": d.birth_date,
            "mandate_start": d.mandate_start,
            "mandate_end": d.mandate_end,
        }
        for d in deputies
    ]
    # Deputies have no natural key, so the ids come back in insertion order.
    ids = [DeputyId(i) for i in insert_ids(session, _deputy, rows)]
    audit.record_many(
        session=session, actor=actor, action="deputy.create", object_type=DEPUTY, object_ids=ids
    )
    return ids


def _check_deputy(
    p: Problems, i: int, d: NewDeputy, councils: dict[str, tuple[int, int, int]]
) -> None:
    if d.council_kato not in councils:
        p.bad(
            i, "council_kato", "unknown_council", f"no council of KATO {d.council_kato} is stored"
        )
    if not d.full_name.strip():
        p.bad(i, "full_name", "missing_name", "expected the deputy's full name")
    p.check_text(i, "full_name", d.full_name.strip(), limits.NAME)
    if d.sex not in set(Sex):
        p.bad(i, "sex", "bad_sex", f"expected female or male, got {d.sex!r}")
    if d.birth_date >= d.mandate_start:
        p.bad(
            i,
            "birth_date",
            "bad_birth_date",
            f"birth date {d.birth_date} is not before the mandate start {d.mandate_start}",
        )
    if d.mandate_end is not None and d.mandate_end < d.mandate_start:
        p.bad(
            i,
            "mandate_end",
            "bad_mandate_end",
            f"mandate end {d.mandate_end} is before its start {d.mandate_start}",
        )


def _check_seats(
    session: Session,
    p: Problems,
    deputies: Sequence[NewDeputy],
    councils: dict[str, tuple[int, int, int]],
) -> None:
    """A council cannot have more sitting deputies (no mandate end) than seats."""
    new_open = Counter(
        d.council_kato for d in deputies if d.mandate_end is None and d.council_kato in councils
    )
    if not new_open:
        return
    council_ids = {councils[k][0]: k for k in new_open}
    stmt = select(_deputy.c.council_id, func.count()).where(_deputy.c.mandate_end.is_(None))
    stmt = stmt.group_by(_deputy.c.council_id)
    rows = select_in(session, stmt, _deputy.c.council_id, council_ids)
    sitting = {council_ids[cid]: n for cid, n in rows}
    for kato, num_new in sorted(new_open.items()):
        seats, num_sitting = councils[kato][2], sitting.get(kato, 0)
        if num_sitting + num_new > seats:
            last = max(i for i, d in enumerate(deputies) if d.council_kato == kato)
            p.forbid(
                last,
                "council_kato",
                "too_many_deputies",
                f"council {kato} has {seats} seats; {num_sitting} sitting + {num_new} new "
                "deputies exceed them",
                num_seats=seats,
                num_sitting=num_sitting,
                num_new=num_new,
            )


# --- posts ---------------------------------------------------------------------------------


def create_posts(
    *,
    session: Session,
    principal: Principal,
    posts: Sequence[NewPost],
    labels: Sequence[str] | None = None,
) -> list[PostId]:
    with transaction(session=session):
        return add_posts(session=session, principal=principal, posts=posts, labels=labels)


def add_posts(
    *,
    session: Session,
    principal: Principal,
    posts: Sequence[NewPost],
    labels: Sequence[str] | None = None,
) -> list[PostId]:
    actor = authorize(session=session, principal=principal, action=Action.STRUCTURE_EDIT)
    p = Problems("posts", len(posts), labels)
    territories = territories_by_kato(session=session, katos=[x.territory_kato for x in posts])
    councils = councils_by_kato(session=session, katos=[x.council_kato for x in posts])
    ancestors = _ancestors(session, [t for t, _ in territories.values()])
    taken = {
        tid
        for (tid,) in select_in(
            session,
            select(_post.c.territory_id),
            _post.c.territory_id,
            [t for t, _ in territories.values()],
        )
    }
    seen: dict[str, int] = {}
    for i, x in enumerate(posts):
        if x.territory_kato in seen:
            p.bad(
                i,
                "territory_kato",
                "duplicate_post",
                f"the post of {x.territory_kato} is also on {p.label(seen[x.territory_kato])}",
            )
            continue
        seen[x.territory_kato] = i
        territory = territories.get(x.territory_kato)
        council = councils.get(x.council_kato)
        if territory is None:
            p.bad(
                i,
                "territory_kato",
                "unknown_territory",
                f"no territory with KATO {x.territory_kato} is stored",
            )
        elif territory[1] not in POST_KINDS:
            p.bad(
                i,
                "territory_kato",
                "bad_post_territory",
                f"an elected akim heads a {', '.join(sorted(POST_KINDS))}; "
                f"{x.territory_kato} is a {territory[1]}",
            )
        elif territory[0] in taken:
            p.forbid(
                i,
                "territory_kato",
                "post_exists",
                f"the post of {x.territory_kato} is already stored",
            )
        if council is None:
            p.bad(
                i,
                "council_kato",
                "unknown_council",
                f"no council of KATO {x.council_kato} is stored",
            )
        elif territory is not None and council[1] not in ancestors.get(territory[0], ()):
            p.bad(
                i,
                "council_kato",
                "council_not_above",
                f"territory {x.territory_kato} is not within {x.council_kato}, "
                "whose council would elect its akim",
            )
    p.raise_if_any()
    rows = [
        {
            "territory_id": territories[x.territory_kato][0],
            "council_id": councils[x.council_kato][0],
        }
        for x in posts
    ]
    by_territory = _insert_returning(session, _post, "territory_id", rows)
    ids = [PostId(by_territory[r["territory_id"]]) for r in rows]
    audit.record_many(
        session=session, actor=actor, action="post.create", object_type=POST, object_ids=ids
    )
    return ids


def _ancestors(session: Session, territory_ids: Iterable[int]) -> dict[int, list[int]]:
    """{territory id: ids of every territory above it}, one query per level of the tree."""
    territory_ids = list(territory_ids)
    parent: dict[int, int | None] = {}
    frontier = set(territory_ids)
    while frontier:
        stmt = select(_territory.c.id, _territory.c.parent_id)
        rows = select_in(session, stmt, _territory.c.id, frontier)
        parent.update({i: pid for i, pid in rows})
        frontier = {pid for _, pid in rows if pid is not None and pid not in parent}
    result: dict[int, list[int]] = {}
    for tid in territory_ids:
        chain, up = [], parent.get(tid)
        while up is not None:
            chain.append(up)
            up = parent.get(up)
        result[tid] = chain
    return result
