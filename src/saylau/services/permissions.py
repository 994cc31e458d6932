"""Who may do what, where: the one matrix of role x action x reach that every write service
checks with `authorize`, and the lookups that find the territory an act concerns.

docs/permissions.md is generated from `MATRIX` (tools/permissions_docs.py); a test compares.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import select_in
from saylau.db.tables.election import ContestRow, NominationRow, ProtocolRow, RoundRow, SittingRow
from saylau.db.tables.structure import CouncilRow, PostRow, TerritoryRow
from saylau.domain.accounts import Principal, Role
from saylau.domain.election import ContestId, ProtocolId, SittingId
from saylau.domain.structure import CouncilId, TerritoryId
from saylau.services.errors import Problem, Refused


class Action(StrEnum):
    """A kind of write; the values appear in docs/permissions.md and in refusals."""

    STRUCTURE_EDIT = "structure.edit"
    EVENT_CREATE = "event.create"
    USER_MANAGE = "user.manage"
    CANDIDATE_NOMINATE = "candidate.nominate"
    CANDIDATE_DECIDE = "candidate.decide"
    CANDIDATE_WITHDRAW = "candidate.withdraw"
    SITTING_SCHEDULE = "sitting.schedule"
    SITTING_ATTENDANCE = "sitting.attendance"
    SITTING_OPEN = "sitting.open"
    SITTING_CONDUCT = "sitting.conduct"
    PROTOCOL_SUBMIT = "protocol.submit"
    PROTOCOL_SIGN = "protocol.sign"
    PROTOCOL_PUBLISH = "protocol.publish"
    PROTOCOL_CORRECT = "protocol.correct"
    LOT_DRAW = "lot.draw"
    PUBLISHED_CORRECT = "protocol.correct-published"
    PAST_ACT = "act.enter-past"
    KEY_CREATE = "key.create"
    CHECKPOINT_SIGN = "checkpoint.sign"
    APPEAL_FILE = "appeal.file"
    APPEAL_DECIDE = "appeal.decide"
    REPEAT_CALL = "election.call-repeat"


class Reach(StrEnum):
    EVERYWHERE = "everywhere"
    IN_SCOPE = "in scope"  # the target's territory is the user's scope or lies within it


DESCRIPTIONS: Mapping[Action, str] = MappingProxyType(
    {
        Action.STRUCTURE_EDIT: "territories, councils, deputies, posts, commissions, imports",
        Action.EVENT_CREATE: "create an election event with its calendar and contests",
        Action.USER_MANAGE: "add, disable users and set their passwords (`saylau user`)",
        Action.CANDIDATE_NOMINATE: "nominate candidates",
        Action.CANDIDATE_DECIDE: "register or refuse nominees",
        Action.CANDIDATE_WITHDRAW: "record a withdrawal",
        Action.SITTING_SCHEDULE: "schedule a meeting of electors",
        Action.SITTING_ATTENDANCE: "record attendance",
        Action.SITTING_OPEN: "open a meeting of electors",
        Action.SITTING_CONDUCT: "adjourn (with a reason), resume and close a meeting of electors",
        Action.PROTOCOL_SUBMIT: "submit a round protocol",
        Action.PROTOCOL_SIGN: "sign a protocol (the user's own signature as commission member)",
        Action.PROTOCOL_PUBLISH: "publish signed protocols",
        Action.PROTOCOL_CORRECT: "correct an accepted, unpublished protocol (with a reason)",
        Action.LOT_DRAW: "draw lots between tied candidates (`saylau lot draw`)",
        Action.PUBLISHED_CORRECT: "correct a published protocol (with a reason)",
        Action.PAST_ACT: "enter an act dated before the real time (`--on` in the past)",
        Action.KEY_CREATE: "create a commission's checkpoint key pair (`saylau key create`)",
        Action.CHECKPOINT_SIGN: "sign the audit log's head with a commission's key (`--key`)",
        Action.APPEAL_FILE: "record an appeal or complaint received (`saylau appeal file`)",
        Action.APPEAL_DECIDE: "record an appeal's decision and carry out its effect",
        Action.REPEAT_CALL: "call the repeat election of a failed contest",
    }
)

_E, _S = Reach.EVERYWHERE, Reach.IN_SCOPE
_COMMISSION_WORK = {
    Action.CANDIDATE_NOMINATE: _S,
    Action.CANDIDATE_DECIDE: _S,
    Action.CANDIDATE_WITHDRAW: _S,
    Action.SITTING_SCHEDULE: _S,
    Action.SITTING_ATTENDANCE: _S,
    Action.SITTING_OPEN: _S,
    Action.SITTING_CONDUCT: _S,
    Action.PROTOCOL_SUBMIT: _S,
    Action.PROTOCOL_CORRECT: _S,
    Action.LOT_DRAW: _S,
    Action.APPEAL_FILE: _S,
}

MATRIX: Mapping[Role, Mapping[Action, Reach]] = MappingProxyType(
    {
        # Everything everywhere, except a signature: only a commission's own chair or
        # secretary signs its protocols, and the CEC administrator is no such member.
        Role.CEC_ADMIN: MappingProxyType({a: _E for a in Action if a != Action.PROTOCOL_SIGN}),
        Role.REGIONAL: MappingProxyType(
            {
                **_COMMISSION_WORK,
                Action.PROTOCOL_PUBLISH: _S,
                Action.PUBLISHED_CORRECT: _S,
                Action.PAST_ACT: _S,
                # A regional user publishes with the commissions' keys (`--key`).
                Action.CHECKPOINT_SIGN: _S,
                # The higher commission decides appeals against district commissions' acts
                # and calls the repeat elections of its districts.
                Action.APPEAL_DECIDE: _S,
                Action.REPEAT_CALL: _S,
            }
        ),
        Role.CHAIR: MappingProxyType(
            {
                **_COMMISSION_WORK,
                Action.PROTOCOL_SIGN: _S,
                Action.PROTOCOL_PUBLISH: _S,
                Action.PAST_ACT: _S,
                Action.KEY_CREATE: _S,
                Action.CHECKPOINT_SIGN: _S,
            }
        ),
        Role.SECRETARY: MappingProxyType(
            {
                **_COMMISSION_WORK,
                Action.PROTOCOL_SIGN: _S,
                Action.KEY_CREATE: _S,
                Action.CHECKPOINT_SIGN: _S,
            }
        ),
        Role.MEMBER: MappingProxyType({Action.SITTING_ATTENDANCE: _S, Action.PROTOCOL_SUBMIT: _S}),
        Role.OBSERVER: MappingProxyType({}),
    }
)


def reach(role: Role, action: Action) -> Reach | None:
    return MATRIX[role].get(action)


def authorize(
    *,
    session: Session,
    principal: Principal,
    action: Action,
    territories: Callable[[], Iterable[TerritoryId]] | None = None,
) -> str:
    """Refuse unless `principal` may do `action` on every territory `territories()` gives (the
    territories the act concerns: a council's, a post's); a past act needs PAST_ACT as well.
    `territories` is called only when the role's reach is its scope: a CEC administrator's
    national batch looks nothing up. Returns the actor the audit log records."""
    targets = territories() if territories is not None and _needs_scope(principal) else ()
    return authorize_each(session=session, requests={principal: targets}, action=action)[principal]


def authorize_each(
    *, session: Session, requests: Mapping[Principal, Iterable[TerritoryId]], action: Action
) -> dict[Principal, str]:
    """`authorize` for several principals at once (one batch of acts by several users), with
    the territories' ancestry read once for all of them; refuses naming every problem."""
    wanted = {p: set(ids) for p, ids in requests.items()}
    scoped = {t for p, ids in wanted.items() if _needs_scope(p) for t in ids}
    ancestry = _ancestry(session, scoped) if scoped else {}
    problems: list[Problem] = []
    headline = ""
    for principal, targets in wanted.items():
        for act in (action, Action.PAST_ACT) if principal.entered_at else (action,):
            found = _problems(principal, act, targets, ancestry)
            if found and not headline:
                headline = _headline(principal, act, found[0])
            problems += found
    if problems:
        raise Refused(headline, problems=problems)
    return {p: p.actor for p in wanted}


def _headline(principal: Principal, action: Action, first: Problem) -> str:
    if first.code == "forbidden":
        return f"user {principal.user_id} ({principal.role}) may not {action}"
    return (
        f"user {principal.user_id} ({principal.role} of {principal.scope}) may not {action}"
        " outside its scope"
    )


def _needs_scope(principal: Principal) -> bool:
    return any(r is Reach.IN_SCOPE for r in MATRIX[principal.role].values())


def _problems(
    principal: Principal,
    action: Action,
    targets: set[TerritoryId],
    ancestry: Mapping[TerritoryId, _Line],
) -> list[Problem]:
    allowed = reach(principal.role, action)
    if allowed is None:
        return [Problem("forbidden", f"{principal.role} lacks {action}", str(action))]
    if allowed is Reach.EVERYWHERE:
        return []
    return [
        Problem(
            "out_of_scope",
            f"territory {ancestry[t].kato} is outside {principal.scope}",
            ancestry[t].kato,
        )
        for t in sorted(targets)
        if principal.scope not in ancestry[t].katos
    ]


_territory = table_of(TerritoryRow)


@dataclass(frozen=True)
class _Line:
    kato: str  # the territory's own
    katos: frozenset[str]  # its own and every one above it


def _ancestry(session: Session, ids: set[TerritoryId]) -> dict[TerritoryId, _Line]:
    """Each territory's KATO and those of every territory above it, one query per level."""
    parent: dict[int, int | None] = {}
    kato: dict[int, str] = {}
    frontier: set[int] = set(ids)
    while frontier:
        stmt = select(_territory.c.id, _territory.c.kato, _territory.c.parent_id)
        for i, k, p in select_in(session, stmt, _territory.c.id, frontier):
            kato[i], parent[i] = k, p
        frontier = {p for p in parent.values() if p is not None and p not in parent}
    lines: dict[TerritoryId, _Line] = {}
    for start in ids:
        line: set[str] = set()
        at: int | None = start if start in kato else None
        while at is not None:
            line.add(kato[at])
            at = parent.get(at)
        lines[start] = _Line(kato.get(start, f"#{start}"), frozenset(line))
    return lines


# --- the territory an act concerns ---------------------------------------------------------
# A district commission's work concerns its council's territory (the `--scope` of its users).

_council, _post, _contest = table_of(CouncilRow), table_of(PostRow), table_of(ContestRow)
_nomination, _sitting = table_of(NominationRow), table_of(SittingRow)
_round, _protocol = table_of(RoundRow), table_of(ProtocolRow)


def council_territories(*, session: Session, council_ids: Iterable[CouncilId]) -> set[TerritoryId]:
    stmt = select(_council.c.territory_id)
    return {t for (t,) in select_in(session, stmt, _council.c.id, council_ids)}


def contest_territories(*, session: Session, contest_ids: Iterable[ContestId]) -> set[TerritoryId]:
    stmt = (
        select(_council.c.territory_id)
        .select_from(_contest)
        .join(_post, _post.c.id == _contest.c.post_id)
        .join(_council, _council.c.id == _post.c.council_id)
    )
    return {t for (t,) in select_in(session, stmt, _contest.c.id, contest_ids)}


def sitting_territories(*, session: Session, sitting_ids: Iterable[SittingId]) -> set[TerritoryId]:
    stmt = select(_sitting.c.council_id)
    councils = {c for (c,) in select_in(session, stmt, _sitting.c.id, sitting_ids)}
    return council_territories(session=session, council_ids=councils)


def protocol_territories(
    *, session: Session, protocol_ids: Iterable[ProtocolId]
) -> set[TerritoryId]:
    return set(protocol_territory_map(session=session, protocol_ids=protocol_ids).values())


def protocol_territory_map(
    *, session: Session, protocol_ids: Iterable[ProtocolId]
) -> dict[ProtocolId, TerritoryId]:
    """{protocol id: the territory of the council that voted}, in one query."""
    stmt = (
        select(_protocol.c.id, _council.c.territory_id)
        .select_from(_protocol)
        .join(_round, _round.c.id == _protocol.c.round_id)
        .join(_contest, _contest.c.id == _round.c.contest_id)
        .join(_post, _post.c.id == _contest.c.post_id)
        .join(_council, _council.c.id == _post.c.council_id)
    )
    return dict(select_in(session, stmt, _protocol.c.id, protocol_ids))
