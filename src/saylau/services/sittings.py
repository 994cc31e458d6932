"""Meetings of electors: scheduling, attendance, quorum, and opening round 1 of each contest.

A sitting is one council on one day voting in one or more contests; each present deputy gets
one ballot per contest and round (Uralsk, 9 August 2013: 19 deputies, 3 ballots each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import in_list, insert_ids, insert_rows, update_rows
from saylau.db.tables.election import (
    AttendanceRow,
    ContestRow,
    ElectionEventRow,
    NominationRow,
    RoundRow,
    SittingContestRow,
    SittingRow,
)
from saylau.db.tables.structure import CouncilRow, DeputyRow, PostRow
from saylau.domain.accounts import Principal
from saylau.domain.election import (
    CandidateStatus,
    ContestId,
    ContestStatus,
    EventId,
    RoundStatus,
    SittingId,
    SittingStatus,
)
from saylau.domain.structure import CouncilId, DeputyId
from saylau.rules.decide import RoundCounts, quorum_needed
from saylau.rules.model import RuleSet
from saylau.services import audit
from saylau.services.errors import Problem, Refused, unknown_ids
from saylau.services.events import rule_set_of, voting_days_of
from saylau.services.permissions import (
    Action,
    authorize,
    contest_territories,
    council_territories,
    sitting_territories,
)
from saylau.services.transaction import transaction

_CHUNK = 500  # sittings per roll query


@dataclass(frozen=True)
class SittingRequest:
    event_id: EventId
    council_id: CouncilId
    day: date
    contest_ids: tuple[ContestId, ...]


@dataclass(frozen=True)
class SittingView:
    id: SittingId
    event_id: EventId
    council_id: CouncilId
    day: date
    status: SittingStatus
    members: int  # deputies in office on the day (fixed when the sitting opens)
    present: int
    absent: int
    unrecorded: int  # deputies in office with no attendance recorded yet
    quorum_needed: int | None
    contests: tuple[tuple[int, int | None], ...]  # (contest id, ballots issued per round)


def _in_office(day: date):  # type: ignore[no-untyped-def]
    return (DeputyRow.mandate_start <= day) & (
        DeputyRow.mandate_end.is_(None) | (DeputyRow.mandate_end >= day)
    )


def _sittings(session: Session, ids: Sequence[SittingId]) -> dict[SittingId, SittingRow]:
    found = {
        SittingId(s.id): s
        for s in session.scalars(select(SittingRow).where(SittingRow.id.in_(ids)))
    }
    missing = [i for i in ids if i not in found]
    if missing:
        raise unknown_ids("sitting", missing, where="sitting_ids")
    return found


# --- scheduling ----------------------------------------------------------------------------


def schedule_sitting(
    *, session: Session, principal: Principal, request: SittingRequest
) -> SittingId:
    return schedule_sittings(session=session, principal=principal, requests=[request])[0]


def schedule_sittings(
    *, session: Session, principal: Principal, requests: Sequence[SittingRequest]
) -> list[SittingId]:
    """Schedule meetings of electors (all or none). Each contest must be pending, belong to
    the council's posts, have its voting day on the sitting's day, and be on no other sitting."""
    with transaction(session=session):
        contest_ids = [c for r in requests for c in r.contest_ids]
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.SITTING_SCHEDULE,
            territories=lambda: (
                council_territories(session=session, council_ids={r.council_id for r in requests})
                | contest_territories(session=session, contest_ids=contest_ids)
            ),
        )
        rows = session.execute(
            select(ContestRow.id, ContestRow.event_id, ContestRow.status, PostRow.council_id)
            .join(PostRow, PostRow.id == ContestRow.post_id)
            .where(ContestRow.id.in_(contest_ids))
        )
        contests = {cid: (event, status, council) for cid, event, status, council in rows}
        taken = set(
            session.scalars(
                select(SittingContestRow.contest_id).where(
                    SittingContestRow.contest_id.in_(contest_ids)
                )
            )
        )
        days = voting_days_of(session=session, contest_ids=contest_ids)
        councils = set(
            session.scalars(
                select(CouncilRow.id).where(CouncilRow.id.in_({r.council_id for r in requests}))
            )
        )
        problems: list[Problem] = []
        seen: set[int] = set()
        for n, r in enumerate(requests):
            problems += _request_problems(n, r, contests, taken | seen, days, councils)
            seen |= set(r.contest_ids)
        if problems:
            raise Refused(f"{len(problems)} problem(s): nothing scheduled", problems=problems)
        ids = insert_ids(
            session,
            SittingRow,
            [
                {
                    "event_id": r.event_id,
                    "council_id": r.council_id,
                    "day": r.day,
                    "status": SittingStatus.SCHEDULED,
                }
                for r in requests
            ],
        )
        insert_rows(
            session,
            SittingContestRow,
            [
                {"sitting_id": sid, "contest_id": c}
                for sid, r in zip(ids, requests, strict=True)
                for c in r.contest_ids
            ],
        )
        audit.record_many(
            session=session,
            actor=actor,
            action="sitting.schedule",
            object_type="sitting",
            object_ids=ids,
        )
        return [SittingId(i) for i in ids]


def _request_problems(
    n: int,
    r: SittingRequest,
    contests: Mapping[int, tuple[int, str, int]],
    taken: set[int],
    days: Mapping[ContestId, date],
    councils: set[int],
) -> list[Problem]:
    where = f"sittings[{n}]"
    if r.council_id not in councils:
        return [Problem("unknown_council", f"no council {r.council_id}", where)]
    if not r.contest_ids:
        return [Problem("no_contests", "a sitting votes in at least one contest", where)]
    problems: list[Problem] = []
    for cid in r.contest_ids:
        at = f"{where}.contests.{cid}"
        if cid not in contests:
            problems.append(Problem("unknown_contest", f"no contest {cid}", at))
            continue
        event, status, council = contests[cid]
        if event != r.event_id:
            problems.append(Problem("other_event", f"contest {cid} is of event {event}", at))
        if council != r.council_id:
            problems.append(
                Problem(
                    "other_council",
                    f"contest {cid} is voted by council {council}, not {r.council_id}",
                    at,
                )
            )
        if status != ContestStatus.PENDING:
            problems.append(Problem("contest_not_pending", f"contest {cid} is {status}", at))
        if cid in taken:
            problems.append(Problem("already_scheduled", f"contest {cid} is on a sitting", at))
        if days.get(cid) != r.day:
            voting_day = days.get(cid)
            problems.append(
                Problem(
                    "not_voting_day",
                    f"sitting on {r.day.isoformat()} but contest {cid} votes on"
                    f" {voting_day.isoformat() if voting_day else 'no day'}",
                    at,
                )
            )
    return problems


# --- attendance ----------------------------------------------------------------------------


def record_attendance(
    *, session: Session, principal: Principal, sitting_id: SittingId, roll: Mapping[DeputyId, bool]
) -> None:
    record_attendance_many(session=session, principal=principal, rolls={sitting_id: roll})


def record_attendance_many(
    *, session: Session, principal: Principal, rolls: Mapping[SittingId, Mapping[DeputyId, bool]]
) -> None:
    """Record deputies present (True) or absent (False) before a sitting opens; a later record
    for the same deputy replaces the earlier one. Every deputy must be in office that day."""
    with transaction(session=session):
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.SITTING_ATTENDANCE,
            territories=lambda: sitting_territories(session=session, sitting_ids=rolls),
        )
        sittings = _sittings(session, list(rolls))
        electors = _rolls(session, sittings)
        problems: list[Problem] = []
        for sid, sitting in sittings.items():
            if sitting.status != SittingStatus.SCHEDULED:
                problems.append(
                    Problem(
                        "sitting_open",
                        "attendance is fixed once the sitting opens",
                        f"sitting {sid}",
                    )
                )
            eligible = {deputy_id for deputy_id, _name, _present in electors[sid]}
            for deputy in rolls[sid]:
                if deputy not in eligible:
                    problems.append(
                        Problem(
                            "not_elector",
                            f"deputy {deputy} is not a deputy of council {sitting.council_id}"
                            f" in office on {sitting.day.isoformat()}",
                            f"sitting {sid}",
                        )
                    )
        if problems:
            raise Refused(f"{len(problems)} problem(s): no attendance recorded", problems=problems)
        existing = set(
            session.execute(
                select(AttendanceRow.sitting_id, AttendanceRow.deputy_id).where(
                    AttendanceRow.sitting_id.in_(list(rolls))
                )
            )
        )
        new: list[dict[str, object]] = []
        changed: list[dict[str, object]] = []
        for sid, roll in rolls.items():
            for deputy, is_present in roll.items():
                row: dict[str, object] = {
                    "b_sitting": sid,
                    "b_deputy": deputy,
                    "is_present": is_present,
                }
                (changed if (sid, deputy) in existing else new).append(row)
        if new:
            insert_rows(
                session,
                AttendanceRow,
                [
                    {
                        "sitting_id": r["b_sitting"],
                        "deputy_id": r["b_deputy"],
                        "is_present": r["is_present"],
                    }
                    for r in new
                ],
            )
        if changed:
            t = table_of(AttendanceRow)
            session.execute(
                update(t).where(
                    (t.c.sitting_id == bindparam("b_sitting"))
                    & (t.c.deputy_id == bindparam("b_deputy"))
                ),
                changed,
            )
        audit.record_many(
            session=session,
            actor=actor,
            action="sitting.attendance",
            object_type="sitting",
            object_ids=list(rolls),
        )


# --- opening -------------------------------------------------------------------------------


def open_sitting(
    *, session: Session, principal: Principal, sitting_id: SittingId, now: datetime
) -> None:
    open_sittings(session=session, principal=principal, sitting_ids=[sitting_id], now=now)


def open_sittings(
    *, session: Session, principal: Principal, sitting_ids: Sequence[SittingId], now: datetime
) -> None:
    """Open sittings (all or none): the roll is complete, the quorum is met, every contest has
    its minimum of registered candidates. Opens round 1 of each contest; ballots issued per
    contest = deputies present."""
    with transaction(session=session):
        actor = authorize(
            session=session,
            principal=principal,
            action=Action.SITTING_OPEN,
            territories=lambda: sitting_territories(session=session, sitting_ids=sitting_ids),
        )
        sittings = _sittings(session, sitting_ids)
        problems: list[Problem] = []
        tallies: dict[int, tuple[int, int]] = {}
        rolls = _rolls(session, sittings)
        rule_sets: dict[int, RuleSet] = {}
        for sid, s in sittings.items():
            if s.event_id not in rule_sets:
                rule_sets[s.event_id] = rule_set_of(session.get_one(ElectionEventRow, s.event_id))
            members, present, found = _roll_problems(s, rolls[sid], rule_sets[s.event_id])
            tallies[sid] = (members, present)
            problems += found
        contests = _sitting_contests(session, sitting_ids)
        candidates = _registered(session, [c for cs in contests.values() for c in cs])
        for sid, s in sittings.items():
            event = session.get_one(ElectionEventRow, s.event_id)
            for cid in contests[sid]:
                num = len(candidates.get(cid, []))
                if num < event.min_candidates:
                    problems.append(
                        Problem(
                            "too_few_candidates",
                            f"contest {cid} has {num} registered candidate(s);"
                            f" at least {event.min_candidates} are needed to vote",
                            f"sitting {sid}",
                            {"registered": num, "min_candidates": event.min_candidates},
                        )
                    )
        if problems:
            raise Refused(f"{len(problems)} problem(s): no sitting opened", problems=problems)
        _mark_open(session, sittings, tallies, contests, now)
        round_ids = insert_ids(
            session,
            RoundRow,
            [
                {
                    "contest_id": cid,
                    "sitting_id": sid,
                    "round_no": 1,
                    "status": RoundStatus.OPEN,
                    "standing": candidates[cid],
                    "lock_version": 0,
                }
                for sid in sitting_ids
                for cid in contests[sid]
            ],
        )
        all_contests = [c for sid in sitting_ids for c in contests[sid]]
        audit.record_many(
            session=session,
            actor=actor,
            action="sitting.open",
            object_type="sitting",
            object_ids=list(sitting_ids),
        )
        audit.record_many(
            session=session,
            actor=actor,
            action="contest.voting",
            object_type="contest",
            object_ids=all_contests,
        )
        audit.record_many(
            session=session,
            actor=actor,
            action="round.open",
            object_type="round",
            object_ids=round_ids,
        )


def _rolls(
    session: Session, sittings: Mapping[SittingId, SittingRow]
) -> dict[int, list[tuple[int, str, bool | None]]]:
    """For each sitting, its council's deputies in office on its day with their recorded
    attendance (None: not recorded), read for all the sittings at once."""
    st = table_of(SittingRow)
    found: dict[int, list[tuple[int, str, bool | None]]] = {sid: [] for sid in sittings}
    ids = sorted(sittings)
    for start in range(0, len(ids), _CHUNK):
        rows = session.execute(
            select(st.c.id, DeputyRow.id, DeputyRow.full_name, AttendanceRow.is_present)
            .select_from(st)
            .join(
                DeputyRow,
                (DeputyRow.council_id == st.c.council_id)
                & (DeputyRow.mandate_start <= st.c.day)
                & (DeputyRow.mandate_end.is_(None) | (DeputyRow.mandate_end >= st.c.day)),
            )
            .outerjoin(
                AttendanceRow,
                (AttendanceRow.deputy_id == DeputyRow.id) & (AttendanceRow.sitting_id == st.c.id),
            )
            .where(st.c.id.in_(ids[start : start + _CHUNK]))
        )
        for sid, deputy_id, name, is_present in rows:
            found[sid].append((deputy_id, name, is_present))
    return found


def _roll_problems(
    s: SittingRow, rows: Sequence[tuple[int, str, bool | None]], rule_set: RuleSet
) -> tuple[int, int, list[Problem]]:
    where = f"sitting {s.id}"
    if s.status != SittingStatus.SCHEDULED:
        return 0, 0, [Problem("already_open", f"sitting {s.id} is already open", where)]
    members = len(rows)
    present = sum(1 for _i, _n, p in rows if p)
    unrecorded = [name for _i, name, p in rows if p is None]
    problems: list[Problem] = []
    if unrecorded:
        problems.append(
            Problem(
                "roll_incomplete",
                f"no attendance recorded for {len(unrecorded)} deputies: "
                + ", ".join(sorted(unrecorded)[:10]),
                where,
                {"unrecorded": len(unrecorded)},
            )
        )
    quorum = rule_set.quorum
    if quorum is not None:
        needed = quorum_needed(
            quorum, RoundCounts(members=members, present=present, ballots_cast=0)
        )
        if present < needed:
            problems.append(
                Problem(
                    "no_quorum",
                    f"{present} of {members} deputies present; the quorum is {needed}",
                    where,
                    {"present": present, "members": members, "quorum": needed},
                )
            )
    return members, present, problems


def _sitting_contests(session: Session, sitting_ids: Sequence[SittingId]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {sid: [] for sid in sitting_ids}
    rows = session.execute(
        select(SittingContestRow.sitting_id, SittingContestRow.contest_id)
        .where(SittingContestRow.sitting_id.in_(sitting_ids))
        .order_by(SittingContestRow.contest_id)
    )
    for sid, cid in rows:
        found[sid].append(cid)
    return found


def _registered(session: Session, contest_ids: Sequence[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    rows = session.execute(
        select(NominationRow.contest_id, NominationRow.id)
        .where(
            in_list(session, NominationRow.contest_id, contest_ids),
            NominationRow.status == CandidateStatus.REGISTERED,
        )
        .order_by(NominationRow.id)
    )
    for cid, nid in rows:
        found.setdefault(cid, []).append(nid)
    return found


def _mark_open(
    session: Session,
    sittings: Mapping[SittingId, SittingRow],
    tallies: Mapping[int, tuple[int, int]],
    contests: Mapping[int, list[int]],
    now: datetime,
) -> None:
    st = table_of(SittingRow)
    update_rows(
        session,
        st,
        [
            {
                "b_id": sid,
                "status": SittingStatus.OPEN,
                "members": tallies[sid][0],
                "present": tallies[sid][1],
                "opened_at": now,
            }
            for sid in sittings
        ],
    )
    sc = table_of(SittingContestRow)
    update_rows(
        session,
        sc,
        [{"b_id": sid, "ballots_issued": tallies[sid][1]} for sid in sittings],
        key="sitting_id",
    )
    ct = table_of(ContestRow)
    update_rows(
        session,
        ct,
        [{"b_id": c, "status": ContestStatus.VOTING} for cs in contests.values() for c in cs],
    )
    session.expire_all()


# --- reading -------------------------------------------------------------------------------


def show_sitting(*, session: Session, sitting_id: SittingId) -> SittingView:
    s = _sittings(session, [sitting_id])[sitting_id]
    rows = session.execute(
        select(AttendanceRow.is_present, func.count())
        .join(DeputyRow, DeputyRow.id == AttendanceRow.deputy_id)
        .where(AttendanceRow.sitting_id == sitting_id)
        .group_by(AttendanceRow.is_present)
    ).all()
    counts = {bool(p): int(n) for p, n in rows}
    in_office = (
        session.scalar(
            select(func.count())
            .select_from(DeputyRow)
            .where(DeputyRow.council_id == s.council_id, _in_office(s.day))
        )
        or 0
    )
    members = s.members if s.members is not None else int(in_office)
    present = counts.get(True, 0)
    event = session.get_one(ElectionEventRow, s.event_id)
    quorum = rule_set_of(event).quorum
    needed = (
        quorum_needed(quorum, RoundCounts(members=members, present=present, ballots_cast=0))
        if quorum is not None
        else None
    )
    contests = session.execute(
        select(SittingContestRow.contest_id, SittingContestRow.ballots_issued)
        .where(SittingContestRow.sitting_id == sitting_id)
        .order_by(SittingContestRow.contest_id)
    )
    return SittingView(
        id=SittingId(s.id),
        event_id=EventId(s.event_id),
        council_id=CouncilId(s.council_id),
        day=s.day,
        status=SittingStatus(s.status),
        members=members,
        present=present,
        absent=counts.get(False, 0),
        unrecorded=int(in_office) - present - counts.get(False, 0),
        quorum_needed=needed,
        contests=tuple((int(c), issued) for c, issued in contests),
    )


def list_electors(
    *, session: Session, sitting_id: SittingId
) -> list[tuple[DeputyId, str, bool | None]]:
    """(deputy id, full name, present?) of every deputy in office on the sitting's day."""
    s = _sittings(session, [sitting_id])[sitting_id]
    rows = session.execute(
        select(DeputyRow.id, DeputyRow.full_name, AttendanceRow.is_present)
        .outerjoin(
            AttendanceRow,
            (AttendanceRow.deputy_id == DeputyRow.id) & (AttendanceRow.sitting_id == s.id),
        )
        .where(DeputyRow.council_id == s.council_id, _in_office(s.day))
        .order_by(DeputyRow.full_name, DeputyRow.id)
    )
    return [(DeputyId(i), n, p) for i, n, p in rows]
