"""The counts a protocol takes from its sitting: members, present and ballots issued.

The rule (docs/lifecycle.md, "Who votes in a round"): a round's electors are the deputies present
when its vote is entered, that is when its protocol is first accepted: the roll at opening,
plus those who arrived since, less those who left (services/attendance.py). Each present elector
receives one ballot per contest and round, so ballots issued = present (the control relation
of rules/protocol.py). Once a version of the round is accepted its figures are fixed: a
correction, or a rejected draft of a later version, is checked against that version's numbers.
`members` is the deputies in office on the sitting's day, fixed when the sitting opens.

A protocol file may leave these counts out (`ProtocolInput.from_sitting`): they are filled in
here. Given, they must agree, else the protocol is kept as a rejected draft whose violation
names the field and both numbers. A new vote is entered only while the sitting is open.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from saylau.db.base import table_of
from saylau.db.bulk import select_in
from saylau.db.tables.election import ProtocolRow, RoundRow, SittingRow
from saylau.domain.election import (
    SITTING_FIELDS,
    ContestId,
    ProtocolInput,
    ProtocolStatus,
    SittingId,
    SittingStatus,
)
from saylau.rules.protocol import Violation
from saylau.services.attendance import present_now
from saylau.services.errors import Problem, Refused
from saylau.services.sitting_rows import refused_by_status


@dataclass(frozen=True)
class RoundFigures:
    """What the sitting knows of one round: members, and the electors present at its vote."""

    round_no: int
    members: int
    present: int
    is_fixed: bool  # by an accepted version of the round's protocol

    @property
    def ballots_issued(self) -> int:
        return self.present  # one ballot per present elector


def round_figures(*, session: Session, rounds: Sequence[Any]) -> dict[int, RoundFigures]:
    """Each round's figures for entering its vote, by round id (`rounds`: rows with id,
    round_no and sitting_id). Refuses a round not yet fixed whose sitting is not open: a vote
    is entered while its sitting sits."""
    fixed = _fixed(session, rounds)
    sittings = _sittings_of(session, rounds)
    refused = [
        _not_sitting(sittings[sid])
        for sid in sorted({r.sitting_id for r in rounds if r.id not in fixed})
        if sittings[sid].status != SittingStatus.OPEN
    ]
    if refused:
        raise Refused(f"{len(refused)} problem(s): no vote entered", problems=refused)
    return _figures(session, rounds, fixed, sittings)


def read_figures(*, session: Session, rounds: Sequence[Any]) -> dict[int, RoundFigures]:
    """Each round's figures as they stand (a read model's: nothing refused)."""
    return _figures(session, rounds, _fixed(session, rounds), _sittings_of(session, rounds))


def contest_round_figures(
    *, session: Session, contest_id: ContestId, round_no: int
) -> RoundFigures | None:
    """A contest's round's figures as they stand (None: no such round, or it has no sitting):
    what the protocol form shows pre-filled, as `protocol submit` would fill them in."""
    rounds = session.execute(
        select(RoundRow.id, RoundRow.round_no, RoundRow.sitting_id).where(
            RoundRow.contest_id == contest_id,
            RoundRow.round_no == round_no,
            RoundRow.sitting_id.is_not(None),
        )
    ).all()
    if not rounds:
        return None
    return read_figures(session=session, rounds=rounds)[rounds[0].id]


def _fixed(session: Session, rounds: Sequence[Any]) -> dict[int, tuple[int, int, int]]:
    """Round id -> (version, members, present) of its latest accepted (or since superseded)
    protocol version."""
    pt = table_of(ProtocolRow)
    fixed: dict[int, tuple[int, int, int]] = {}
    stmt = select(pt.c.round_id, pt.c.version, pt.c.members, pt.c.present).where(
        pt.c.status.in_([ProtocolStatus.ACCEPTED, ProtocolStatus.SUPERSEDED])
    )
    for round_id, version, members, present in select_in(
        session, stmt, pt.c.round_id, [r.id for r in rounds]
    ):
        if round_id not in fixed or version > fixed[round_id][0]:
            fixed[round_id] = (version, members, present)
    return fixed


def _sittings_of(session: Session, rounds: Sequence[Any]) -> dict[SittingId, SittingRow]:
    ids = sorted({SittingId(r.sitting_id) for r in rounds})
    return {
        SittingId(s.id): s
        for s in session.scalars(select(SittingRow).where(SittingRow.id.in_(ids)))
    }


def _figures(
    session: Session,
    rounds: Sequence[Any],
    fixed: Mapping[int, tuple[int, int, int]],
    sittings: Mapping[SittingId, SittingRow],
) -> dict[int, RoundFigures]:
    voting = {SittingId(r.sitting_id) for r in rounds if r.id not in fixed}
    now = present_now(session=session, sittings={sid: sittings[sid] for sid in voting})
    figures: dict[int, RoundFigures] = {}
    for r in rounds:
        if r.id in fixed:
            _v, members, present = fixed[r.id]
            figures[r.id] = RoundFigures(r.round_no, members, present, is_fixed=True)
        else:
            members = sittings[r.sitting_id].members or 0
            figures[r.id] = RoundFigures(r.round_no, members, now[r.sitting_id], is_fixed=False)
    return figures


def _not_sitting(s: SittingRow) -> Problem:
    why = {
        SittingStatus.SCHEDULED: "it has not opened",
        SittingStatus.ADJOURNED: "it is adjourned: saylau sitting resume first",
        SittingStatus.CLOSED: "it is closed",
    }[SittingStatus(s.status)]
    return refused_by_status(
        SittingId(s.id), s.status, f"no vote is entered at sitting {s.id}: {why}"
    )


def fill(figures: RoundFigures, counts: ProtocolInput) -> tuple[ProtocolInput, list[Violation]]:
    """`counts` with the sitting's numbers in the fields it left out, and a violation for each
    given field that disagrees with the sitting (ballots issued against present: the control
    relation of rules/protocol.py says so already)."""
    known = {
        "members": figures.members,
        "present": figures.present,
        "ballots_issued": figures.ballots_issued,
    }
    assert set(known) == set(SITTING_FIELDS)
    left_out = counts.from_sitting
    filled = (
        replace(
            counts,
            members=known["members"] if "members" in left_out else counts.members,
            present=known["present"] if "present" in left_out else counts.present,
            ballots_issued=(
                known["ballots_issued"] if "ballots_issued" in left_out else counts.ballots_issued
            ),
            from_sitting=frozenset(),
        )
        if left_out
        else counts  # a full protocol (the demo's thousands): nothing to copy
    )
    found: list[Violation] = []
    if "members" not in counts.from_sitting and counts.members != figures.members:
        found.append(
            Violation(
                "members_not_roll",
                f"members {counts.members} ≠ deputies in office {figures.members}",
                {"members": counts.members, "roll": figures.members},
                "members",
            )
        )
    if "present" not in counts.from_sitting and counts.present != figures.present:
        found.append(
            Violation(
                "present_not_roll",
                f"present {counts.present} ≠ deputies present at round {figures.round_no}"
                f" {figures.present}",
                {"present": counts.present, "roll": figures.present},
                "present",
            )
        )
    return filled, found
