"""Meetings of electors: scheduling, and opening (the roll complete, the quorum met) with
round 1 of each contest. The roll is services/attendance.py's; adjourning, resuming and closing
services/sitting_life.py's; the read model services/sitting_view.py's.

A sitting is one council on one day voting in one or more contests; each present deputy gets
one ballot per contest and round (Uralsk, 9 August 2013: 19 deputies, 3 ballots each).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import in_list, insert_ids, insert_rows, update_rows
from saylau.db.tables.election import (
    ContestRow,
    ElectionEventRow,
    NominationRow,
    RoundRow,
    SittingContestRow,
    SittingRow,
)
from saylau.db.tables.structure import CouncilRow, PostRow
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
from saylau.domain.structure import CouncilId
from saylau.rules.decide import RoundCounts, quorum_needed
from saylau.rules.model import RuleSet
from saylau.services import audit, sitting_rows
from saylau.services.errors import Problem, Refused
from saylau.services.events import rule_set_of, voting_days_of
from saylau.services.permissions import (
    Action,
    authorize,
    contest_territories,
    council_territories,
    sitting_territories,
)
from saylau.services.sitting_rows import RollEntry, load_sittings
from saylau.services.transaction import transaction


@dataclass(frozen=True)
class SittingRequest:
    event_id: EventId
    council_id: CouncilId
    day: date
    contest_ids: tuple[ContestId, ...]


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
        sittings = load_sittings(session=session, ids=sitting_ids)
        problems: list[Problem] = []
        tallies: dict[int, tuple[int, int]] = {}
        rolls = sitting_rows.rolls(session=session, sittings=sittings)
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


def _roll_problems(
    s: SittingRow, rows: Sequence[RollEntry], rule_set: RuleSet
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
