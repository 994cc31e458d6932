"""The state machine's table (rules/contest_state.py, docs/state-machine.md): the contest
follows its last round; the next round follows the decision; signing and publishing wait."""

from __future__ import annotations

from typing import Any

import pytest

from saylau.domain.election import RoundStatus
from saylau.rules import contest_state as table
from saylau.rules.decide import Decision, DecisionKind, FailureReason


def _decision(kind: DecisionKind, **kw: Any) -> Decision:
    fields: dict[str, Any] = dict.fromkeys(("elected", "standing", "tied", "reason")) | kw
    return Decision(round=1, kind=kind, votes_needed=9, **fields)


def test_the_contest_follows_its_last_round() -> None:
    elected = _decision(DecisionKind.ELECTED, elected="7")
    assert table.contest_outcome(RoundStatus.DECIDED, elected) == table.ContestOutcome(
        "elected", 7, None, 1
    )
    assert table.contest_outcome(RoundStatus.OPEN, None).status == "voting"
    assert table.contest_outcome(RoundStatus.DECIDED, _decision(DecisionKind.NEXT_ROUND)) == (
        table.VOTING
    )
    tied = _decision(DecisionKind.LOT_REQUIRED, tied=("7", "8"))
    assert table.contest_outcome(RoundStatus.DECIDED, tied).status == "lot_required"


@pytest.mark.parametrize(
    ("wanted", "stored", "step"),
    [
        (None, None, "none"),
        ([7, 8], None, "open"),
        ([7, 8], table.NextRound(RoundStatus.OPEN, (7, 8)), "keep"),
        ([7, 8], table.NextRound(RoundStatus.DECIDED, (7, 8)), "keep"),
        ([7, 9], table.NextRound(RoundStatus.OPEN, (7, 8)), "restand"),
        (None, table.NextRound(RoundStatus.OPEN, (7, 8)), "cancel"),
        (None, table.NextRound(RoundStatus.DECIDED, (7, 8)), "refuse"),
        ([7, 9], table.NextRound(RoundStatus.DECIDED, (7, 8)), "refuse"),
    ],
)
def test_the_next_round_follows_the_decision(
    wanted: list[int] | None, stored: table.NextRound | None, step: str
) -> None:
    assert table.next_round_step(wanted, stored) == step


def test_a_failure_marks_the_contest_for_a_repeat_election() -> None:
    failed = _decision(DecisionKind.FAILED, reason=FailureReason.TIE)
    assert table.contest_outcome(RoundStatus.DECIDED, failed) == table.ContestOutcome(
        "repeat_election", None, "tie", 1
    )


def test_signing_waits_for_the_lot_and_publication_for_the_signature() -> None:
    assert table.signing_problems(
        version=2, status="accepted", decision_kind="lot_required", signed=None
    ) == [("lot_awaited", "the round's tie awaits a drawing of lots: saylau lot draw first")]
    assert [
        code
        for code, _m in table.signing_problems(
            version=1, status="superseded", decision_kind="elected", signed="signed by X"
        )
    ] == ["not_accepted", "already_signed"]
    assert table.publication_problems(
        version=1, status="accepted", is_signed=False, published=None
    ) == [("not_signed", "a protocol is signed before publication")]
    assert (
        table.publication_problems(version=1, status="accepted", is_signed=True, published=None)
        == []
    )
