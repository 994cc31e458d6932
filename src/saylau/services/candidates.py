"""Candidates: nomination, documents, eligibility, registration or refusal, withdrawal.

Every operation has a batch form (the national demo nominates 7,162 people) that checks the
whole list with a few queries; the single-item forms call it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import insert_ids, select_in, update_rows
from saylau.db.tables.election import (
    ContestRow,
    ElectionEventRow,
    NominationRow,
    PersonRow,
)
from saylau.db.tables.structure import PostRow, TerritoryRow
from saylau.domain import limits
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    ContestStatus,
    EventId,
    NominationId,
    NominationRequest,
    NominatorKind,
    PersonData,
)
from saylau.domain.structure import Sex
from saylau.rules.calendar import (
    check_nomination_open,
    check_registration_open,
    check_withdrawal_allowed,
)
from saylau.rules.eligibility import check_document_names, check_eligibility
from saylau.rules.input import text_problem
from saylau.rules.protocol import Violation
from saylau.services import audit
from saylau.services.errors import Problem, Refused, unknown_ids
from saylau.services.events import calendar_of, eligibility_of, voting_days_of
from saylau.services.permissions import Action, authorize, contest_territories
from saylau.services.transaction import transaction

ACTIVE = (CandidateStatus.NOMINATED, CandidateStatus.REGISTERED)


@dataclass(frozen=True)
class CandidateView:
    nomination_id: NominationId
    contest_id: ContestId
    post_kato: str
    post_name: str
    full_name: str
    sex: str
    birth_date: date
    nominated_by: str
    nominator: str
    is_incumbent: bool
    documents: tuple[str, ...]
    status: CandidateStatus
    refusal_reason: str | None


def _problem(v: Violation, where: str) -> Problem:
    return Problem(v.code, v.message, where, dict(v.numbers))


# Batch reads are plain rows (attribute access by column name), not ORM entities: thousands
# of contests and nominations per call, and nothing here changes them through the ORM.
_contest = table_of(ContestRow)
_nomination = table_of(NominationRow)
_person = table_of(PersonRow)


def _contests(session: Session, ids: Sequence[int]) -> dict[int, tuple[Row[Any], ElectionEventRow]]:
    """Each contest (id, event_id, status) with its event (the few events loaded once)."""
    stmt = select(_contest.c.id, _contest.c.event_id, _contest.c.status)
    rows: dict[int, Row[Any]] = {r.id: r for r in select_in(session, stmt, _contest.c.id, ids)}
    event_ids = sorted({r.event_id for r in rows.values()})
    events = {
        e.id: e
        for e in session.scalars(select(ElectionEventRow).where(ElectionEventRow.id.in_(event_ids)))
    }
    return {cid: (r, events[r.event_id]) for cid, r in rows.items()}


def _nominations(session: Session, ids: Sequence[int]) -> dict[int, Row[Any]]:
    found: dict[int, Row[Any]] = {
        n.id: n for n in select_in(session, select(_nomination), _nomination.c.id, ids)
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise unknown_ids("nomination", missing, where="nomination_ids")
    return found


# --- nomination ----------------------------------------------------------------------------


def nominate(
    *, session: Session, principal: Principal, request: NominationRequest, on: date
) -> NominationId:
    return nominate_many(session=session, principal=principal, requests=[request], on=on)[0]


def nominate_many(
    *, session: Session, principal: Principal, requests: Sequence[NominationRequest], on: date
) -> list[NominationId]:
    """Nominate people for contests (all or none); a person is matched by IIN when given,
    else by full name and birth date, and may stand for one post per event."""
    with transaction(session=session):
        contests = _contests(session, [r.contest_id for r in requests])
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.CANDIDATE_NOMINATE,
            territories=lambda: contest_territories(
                session=session, contest_ids=map(ContestId, contests)
            ),
        )
        problems = _check_requests(requests, contests, on)
        if problems:
            raise Refused(f"{len(problems)} problem(s): nothing nominated", problems=problems)
        person_ids = _person_ids(session, actor, [r.person for r in requests])
        problems = _check_one_post(session, requests, contests, person_ids)
        if problems:
            raise Refused("a person already stands in this event", problems=problems)
        rows = [
            {
                "event_id": contests[r.contest_id][0].event_id,
                "contest_id": r.contest_id,
                "person_id": pid,
                "nominated_by": r.nominated_by,
                "nominator": r.nominator,
                "is_incumbent": r.is_incumbent,
                "documents": list(dict.fromkeys(r.documents)),
                "status": CandidateStatus.NOMINATED,
                "nominated_on": on,
            }
            for r, pid in zip(requests, person_ids, strict=True)
        ]
        ids = insert_ids(session, NominationRow, rows)
        audit.record_many(
            session=session,
            actor=actor,
            action="candidate.nominate",
            object_type="nomination",
            object_ids=ids,
        )
        return [NominationId(i) for i in ids]


_TEXT_FIELDS = ("full_name", "nominator")  # then the documents
_SEXES = frozenset(Sex)
_NOMINATOR_KINDS = frozenset(NominatorKind)


def _check_requests(
    requests: Sequence[NominationRequest],
    contests: Mapping[int, tuple[Row[Any], ElectionEventRow]],
    on: date,
) -> list[Problem]:
    problems: list[Problem] = []
    # What depends on the event alone, once per event (a batch has thousands of requests).
    per_event = {
        event.id: (check_nomination_open(calendar_of(event), on), eligibility_of(event))
        for _contest, event in contests.values()
    }
    for n, r in enumerate(requests):
        where = f"nominations[{n}]"
        found = contests.get(r.contest_id)
        if found is None:
            problems.append(Problem("unknown_contest", f"no contest {r.contest_id}", where))
            continue
        contest, event = found
        if contest.status != ContestStatus.PENDING:
            problems.append(
                Problem("contest_closed", f"contest {contest.id} is {contest.status}", where)
            )
        late, eligibility = per_event[event.id]
        if late is not None:
            problems.append(_problem(late, where))
        if not r.person.full_name.strip():
            problems.append(Problem("empty_name", "a candidate needs a full name", where))
        unknown = check_document_names(eligibility, r.documents)
        if unknown is not None:
            problems.append(_problem(unknown, f"{where}.documents"))
        texts = [r.person.full_name.strip(), r.nominator, *r.documents]
        for i, text in enumerate(texts):
            if bad_text := text_problem(text, limits.NAME):
                field = _TEXT_FIELDS[i] if i < 2 else f"documents[{i - 2}]"
                problems.append(Problem("bad_text", bad_text, f"{where}.{field}"))
        if not limits.EARLIEST_BIRTH <= r.person.birth_date <= on:
            problems.append(
                Problem(
                    "bad_birth_date",
                    f"born {r.person.birth_date}; expected from {limits.EARLIEST_BIRTH} to {on}",
                    f"{where}.birth_date",
                )
            )
        if r.person.sex not in _SEXES:
            problems.append(
                Problem("bad_sex", f"sex {r.person.sex!r}; expected female or male", where)
            )
        if r.nominated_by not in _NOMINATOR_KINDS:
            problems.append(
                Problem(
                    "bad_nominator",
                    f"nominated by {r.nominated_by!r}; expected one of"
                    f" {', '.join(k.value for k in NominatorKind)}",
                    where,
                )
            )
    return problems


def _person_key(p: PersonData) -> tuple[str, ...]:
    return ("iin", p.iin) if p.iin else ("name", p.full_name.strip(), p.birth_date.isoformat())


def _person_ids(session: Session, actor: str, people: Sequence[PersonData]) -> list[int]:
    """Existing person ids where known, new persons created (one insert) for the rest."""
    known: dict[tuple[str, ...], int] = {}
    iins = [p.iin for p in people if p.iin]
    rows = select_in(session, select(PersonRow.iin, PersonRow.id), PersonRow.iin, iins)
    known.update({("iin", str(iin)): pid for iin, pid in rows})
    names = [p.full_name.strip() for p in people if not p.iin]
    stmt = select(PersonRow.full_name, PersonRow.birth_date, PersonRow.id)
    named = select_in(session, stmt.where(PersonRow.iin.is_(None)), PersonRow.full_name, names)
    known.update({("name", n, b.isoformat()): pid for n, b, pid in named})
    keys = [_person_key(p) for p in people]
    new: dict[tuple[str, ...], PersonData] = {}
    for key, p in zip(keys, people, strict=True):
        if key not in known:
            new.setdefault(key, p)
    if new:
        ids = insert_ids(
            session,
            PersonRow,
            [
                {
                    "full_name": p.full_name.strip(),
                    "sex": p.sex,
                    "birth_date": p.birth_date,
                    "iin": p.iin,
                }
                for p in new.values()
            ],
        )
        known.update(zip(new, ids, strict=True))
        audit.record_many(
            session=session,
            actor=actor,
            action="person.create",
            object_type="person",
            object_ids=ids,
        )
    return [known[key] for key in keys]


def _check_one_post(
    session: Session,
    requests: Sequence[NominationRequest],
    contests: Mapping[int, tuple[Row[Any], ElectionEventRow]],
    person_ids: Sequence[int],
) -> list[Problem]:
    """One person, one post per event: against stored nominations and within the batch."""
    stmt = select(NominationRow.event_id, NominationRow.person_id, NominationRow.contest_id)
    rows = select_in(
        session, stmt.where(NominationRow.status.in_(ACTIVE)), NominationRow.person_id, person_ids
    )
    standing: dict[tuple[int, int], int] = {(e, p): c for e, p, c in rows}
    problems: list[Problem] = []
    for n, (r, pid) in enumerate(zip(requests, person_ids, strict=True)):
        key = (contests[r.contest_id][0].event_id, pid)
        if key in standing:
            problems.append(
                Problem(
                    "already_standing",
                    f"{r.person.full_name} already stands in contest {standing[key]} of this event",
                    f"nominations[{n}]",
                    {"contest": standing[key]},
                )
            )
        else:
            standing[key] = r.contest_id
    return problems


# --- registration, refusal, withdrawal -----------------------------------------------------


def register(
    *,
    session: Session,
    principal: Principal,
    nomination_id: NominationId,
    on: date,
    documents: Sequence[str] = (),
) -> None:
    register_many(
        session=session,
        principal=principal,
        nomination_ids=[nomination_id],
        on=on,
        documents={nomination_id: documents},
    )


def _loaded_and_authorized(
    session: Session, principal: Principal, ids: Sequence[NominationId], action: Action
) -> tuple[dict[int, Row[Any]], dict[int, tuple[Row[Any], ElectionEventRow]], str]:
    """The nominations, their contests (with events) and the audit actor, once the principal
    may take `action` on every contest concerned."""
    noms = _nominations(session, ids)
    contests = _contests(session, [n.contest_id for n in noms.values()])
    actor = authorize(
        session=session,
        principal=principal,
        action=action,
        territories=lambda: contest_territories(
            session=session, contest_ids=map(ContestId, contests)
        ),
    )
    return noms, contests, actor


def register_many(
    *,
    session: Session,
    principal: Principal,
    nomination_ids: Sequence[NominationId],
    on: date,
    documents: Mapping[NominationId, Sequence[str]] | None = None,
) -> None:
    """Register nominated candidates who meet every eligibility rule (all or none).

    `documents` adds documents received at registration before the check.
    """
    with transaction(session=session):
        noms, contests, actor = _loaded_and_authorized(
            session, principal, nomination_ids, Action.CANDIDATE_DECIDE
        )
        days = voting_days_of(session=session, contest_ids=[ContestId(c) for c in sorted(contests)])
        persons = _persons(session, [n.person_id for n in noms.values()])
        added = documents or {}
        late = _registration_late(contests, on)
        eligibility = {event.id: eligibility_of(event) for _c, event in contests.values()}
        problems: list[Problem] = []
        updates = []
        for nid in nomination_ids:
            nom = noms[nid]
            where = f"nomination {nid}"
            contest, event = contests[nom.contest_id]
            docs = list(dict.fromkeys([*nom.documents, *added.get(nid, ())]))
            problems += _decision_problems(nom, late[event.id], where)
            unknown = check_document_names(eligibility[event.id], added.get(nid, ()))
            if unknown is not None:
                problems.append(_problem(unknown, where))
            person = persons[nom.person_id]
            found = check_eligibility(
                eligibility[event.id],
                birth_date=person.birth_date,
                documents=docs,
                voting_day=days[contest.id],
            )
            problems += [_problem(v, where) for v in found]
            updates.append(
                {
                    "b_id": nid,
                    "status": CandidateStatus.REGISTERED,
                    "documents": docs,
                    "decided_on": on,
                }
            )
        if problems:
            raise Refused(f"{len(problems)} problem(s): nobody registered", problems=problems)
        _update_nominations(session, updates)
        audit.record_many(
            session=session,
            actor=actor,
            action="candidate.register",
            object_type="nomination",
            object_ids=list(nomination_ids),
        )


def refuse(
    *, session: Session, principal: Principal, nomination_id: NominationId, reason: str, on: date
) -> None:
    refuse_many(session=session, principal=principal, refusals={nomination_id: reason}, on=on)


def refuse_many(
    *, session: Session, principal: Principal, refusals: Mapping[NominationId, str], on: date
) -> None:
    """Refuse registration, each with its reason (all or none)."""
    with transaction(session=session):
        noms, contests, actor = _loaded_and_authorized(
            session, principal, list(refusals), Action.CANDIDATE_DECIDE
        )
        late = _registration_late(contests, on)
        problems: list[Problem] = []
        for nid, reason in refusals.items():
            where = f"nomination {nid}"
            event = contests[noms[nid].contest_id][1]
            problems += _decision_problems(noms[nid], late[event.id], where)
            if not reason.strip():
                problems.append(Problem("no_reason", "a refusal needs its reason", where))
            elif bad_text := text_problem(reason.strip(), limits.REFUSAL_REASON):
                problems.append(Problem("bad_text", bad_text, f"{where}, reason"))
        if problems:
            raise Refused(f"{len(problems)} problem(s): nobody refused", problems=problems)
        _update_nominations(
            session,
            [
                {
                    "b_id": nid,
                    "status": CandidateStatus.REFUSED,
                    "refusal_reason": reason.strip(),
                    "decided_on": on,
                }
                for nid, reason in refusals.items()
            ],
        )
        audit.record_many(
            session=session,
            actor=actor,
            action="candidate.refuse",
            object_type="nomination",
            object_ids=list(refusals),
        )


def withdraw(
    *, session: Session, principal: Principal, nomination_id: NominationId, on: date
) -> None:
    withdraw_many(session=session, principal=principal, nomination_ids=[nomination_id], on=on)


def withdraw_many(
    *, session: Session, principal: Principal, nomination_ids: Sequence[NominationId], on: date
) -> None:
    """A nominee or candidate withdraws, up to the day before voting day (all or none)."""
    with transaction(session=session):
        noms, contests, actor = _loaded_and_authorized(
            session, principal, nomination_ids, Action.CANDIDATE_WITHDRAW
        )
        days = voting_days_of(session=session, contest_ids=[ContestId(c) for c in sorted(contests)])
        problems: list[Problem] = []
        for nid in nomination_ids:
            nom, where = noms[nid], f"nomination {nid}"
            if nom.status not in ACTIVE:
                problems.append(Problem("not_standing", f"candidate is {nom.status}", where))
            if contests[nom.contest_id][0].status != ContestStatus.PENDING:
                problems.append(Problem("voting_started", "voting has started", where))
            late = check_withdrawal_allowed(days[nom.contest_id], on)
            if late is not None:
                problems.append(_problem(late, where))
        if problems:
            raise Refused(f"{len(problems)} problem(s): nobody withdrawn", problems=problems)
        _update_nominations(
            session,
            [
                {"b_id": n, "status": CandidateStatus.WITHDRAWN, "withdrawn_on": on}
                for n in nomination_ids
            ],
        )
        audit.record_many(
            session=session,
            actor=actor,
            action="candidate.withdraw",
            object_type="nomination",
            object_ids=list(nomination_ids),
        )


def _registration_late(
    contests: Mapping[int, tuple[Row[Any], ElectionEventRow]], on: date
) -> dict[int, Violation | None]:
    """Each event's answer to a registration decision taken `on` (once per event)."""
    return {
        event.id: check_registration_open(calendar_of(event), on) for _c, event in contests.values()
    }


def _decision_problems(nom: Row[Any], late: Violation | None, where: str) -> list[Problem]:
    problems: list[Problem] = []
    if nom.status != CandidateStatus.NOMINATED:
        problems.append(Problem("already_decided", f"candidate is already {nom.status}", where))
    if late is not None:
        problems.append(_problem(late, where))
    return problems


def _update_nominations(session: Session, rows: list[dict[str, object]]) -> None:
    """One executemany per set of columns (rows of one call share their keys)."""
    update_rows(session, table_of(NominationRow), rows)
    session.expire_all()


def _persons(session: Session, ids: Sequence[int]) -> dict[int, Row[Any]]:
    stmt = select(_person.c.id, _person.c.birth_date)
    return {p.id: p for p in select_in(session, stmt, _person.c.id, ids)}


# --- reading -------------------------------------------------------------------------------


def list_candidates(
    *,
    session: Session,
    event_id: EventId | None = None,
    contest_id: ContestId | None = None,
    status: CandidateStatus | None = None,
) -> list[CandidateView]:
    query = (
        select(
            NominationRow, PersonRow, TerritoryRow.kato, TerritoryRow.name_en, TerritoryRow.name_ru
        )
        .join(PersonRow, PersonRow.id == NominationRow.person_id)
        .join(ContestRow, ContestRow.id == NominationRow.contest_id)
        .join(PostRow, PostRow.id == ContestRow.post_id)
        .join(TerritoryRow, TerritoryRow.id == PostRow.territory_id)
        .order_by(NominationRow.contest_id, NominationRow.id)
    )
    if event_id is not None:
        query = query.where(NominationRow.event_id == event_id)
    if contest_id is not None:
        query = query.where(NominationRow.contest_id == contest_id)
    if status is not None:
        query = query.where(NominationRow.status == status)
    return [
        CandidateView(
            nomination_id=NominationId(n.id),
            contest_id=ContestId(n.contest_id),
            post_kato=kato,
            post_name=name_en or name_ru,
            full_name=p.full_name,
            sex=p.sex,
            birth_date=p.birth_date,
            nominated_by=n.nominated_by,
            nominator=n.nominator,
            is_incumbent=n.is_incumbent,
            documents=tuple(n.documents),
            status=CandidateStatus(n.status),
            refusal_reason=n.refusal_reason,
        )
        for n, p, kato, name_en, name_ru in session.execute(query)
    ]
