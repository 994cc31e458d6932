"""The round and contest state machine as a table: what a round's decision makes of the next
round and of the contest, and what a protocol's state allows (docs/state-machine.md).

Pure: services/contest_state.py reads the rows, asks these functions and writes the answer.
Every step is a function of the state wanted, not of the step before, so a step repeated (the
same decision applied twice, a correction that keeps the decision) changes nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from saylau.domain.election import ContestStatus, ProtocolStatus, RoundStatus
from saylau.rules.decide import Decision, DecisionKind

__all__ = [
    "ContestOutcome",
    "NextRound",
    "NextRoundStep",
    "awaits_lot",
    "contest_outcome",
    "next_round_step",
    "publication_problems",
    "signing_problems",
]


@dataclass(frozen=True)
class ContestOutcome:
    """The contest columns that follow from its rounds."""

    status: ContestStatus
    elected: int | None = None
    failure_reason: str | None = None
    decided_round: int | None = None


VOTING = ContestOutcome(ContestStatus.VOTING)


def contest_outcome(last_status: RoundStatus, decision: Decision | None) -> ContestOutcome:
    """The contest's outcome from its last round that is not cancelled: voting while it is
    open (or decided `next_round`, whose round is about to open); else what it decided. A lot
    awaited leaves the contest undecided (`lot_required`) until the draw elects."""
    if last_status != RoundStatus.DECIDED or decision is None:
        return VOTING
    match decision.kind:
        case DecisionKind.ELECTED:
            assert decision.elected is not None
            return ContestOutcome(
                ContestStatus.ELECTED, int(decision.elected), None, decision.round
            )
        case DecisionKind.FAILED:
            reason = decision.reason.value if decision.reason else None
            return ContestOutcome(ContestStatus.REPEAT_ELECTION, None, reason, decision.round)
        case DecisionKind.LOT_REQUIRED:
            return ContestOutcome(ContestStatus.LOT_REQUIRED)
        case DecisionKind.NEXT_ROUND:
            return VOTING


@dataclass(frozen=True)
class NextRound:
    """The stored round after a decided one (not a cancelled one: that is `cancelled=True`)."""

    status: RoundStatus
    standing: tuple[int, ...]


class NextRoundStep(StrEnum):
    """What becomes of the round after a decided one."""

    NONE = "none"  # no repeat voting wanted, none stored: nothing to do
    KEEP = "keep"  # the repeat voting wanted is the one stored: nothing to do
    OPEN = "open"  # repeat voting wanted and none stored (or only a cancelled one): open it
    RESTAND = "restand"  # stored and unused, for other candidates: its ballot changes
    CANCEL = "cancel"  # stored and unused, no longer wanted: cancelled (kept, with its number)
    REFUSE = "refuse"  # stored and decided, and the decision no longer leads to it as it is


def next_round_step(wanted: Sequence[int] | None, stored: NextRound | None) -> NextRoundStep:
    """`wanted`: the candidates of the repeat voting the decision opens (None: it opens none);
    `stored`: the next round as stored, a cancelled one counting as none. A decided next round
    is kept when the decision still leads to it with the same ballot, else the change is
    refused: the later round is corrected (or annulled) first."""
    if stored is None:
        return NextRoundStep.NONE if wanted is None else NextRoundStep.OPEN
    same = wanted is not None and tuple(wanted) == stored.standing
    if stored.status == RoundStatus.DECIDED:
        return NextRoundStep.KEEP if same else NextRoundStep.REFUSE
    if same:
        return NextRoundStep.KEEP
    return NextRoundStep.CANCEL if wanted is None else NextRoundStep.RESTAND


def awaits_lot(status: str, decision: Decision | None) -> bool:
    """Whether a protocol version is one a lot can be drawn on: the accepted version of a
    round whose decision is `lot_required` between tied candidates."""
    return (
        status == ProtocolStatus.ACCEPTED
        and decision is not None
        and decision.kind is DecisionKind.LOT_REQUIRED
        and bool(decision.tied)
    )


def signing_problems(
    *, version: int, status: str, decision_kind: str | None, signed: str | None
) -> list[tuple[str, str]]:
    """Why a protocol version cannot be signed, as (code, message) pairs (none: it can): only
    the accepted version, not while its tie awaits a lot, and once (`signed` says by whom)."""
    found = []
    if status != ProtocolStatus.ACCEPTED:
        found.append(("not_accepted", f"version {version} is {status}"))
    if decision_kind == DecisionKind.LOT_REQUIRED:
        found.append(
            ("lot_awaited", "the round's tie awaits a drawing of lots: saylau lot draw first")
        )
    if signed is not None:
        found.append(("already_signed", f"already {signed}"))
    return found


def publication_problems(
    *, version: int, status: str, is_signed: bool, published: str | None
) -> list[tuple[str, str]]:
    """Why a protocol version cannot be published (none: it can): only the accepted version,
    signed, once (`published` says when)."""
    if status != ProtocolStatus.ACCEPTED:
        return [("not_accepted", f"version {version} is {status}")]
    if not is_signed:
        return [("not_signed", "a protocol is signed before publication")]
    if published is not None:
        return [("already_published", f"already {published}")]
    return []
