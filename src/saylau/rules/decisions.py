"""The one encoding of a round's `Decision`: JSON for storage, services, views and the CLI's
--json, decoded back to the typed value, and the one short text a table prints.

Keys: `round`, `kind` (a `DecisionKind` value), `votes_needed`, `elected`, `standing`, `tied`
and `reason` (a `FailureReason` value, or null); candidates are given by their ids as strings.
A round decided by lot also has `lot` (rules/lots.py's `lot_json`: method, tied, winner, seed,
drawn_by, witnesses); without a lot the key is absent, so older encodings are unchanged.
The count contract (docs/count.md) predates this encoding and names `kind` `decision`; it is
derived from this one by `count_round_json`, and that is its only difference.
"""

from __future__ import annotations

from collections.abc import Mapping

from saylau.rules.decide import Decision, DecisionKind, FailureReason
from saylau.rules.lots import lot_from_json, lot_json

__all__ = ["count_round_json", "decision_from_json", "decision_json", "decision_text"]


def decision_json(decision: Decision) -> dict[str, object]:
    """The decision as a JSON object (what is stored in a round and a protocol)."""
    encoded: dict[str, object] = {
        "round": decision.round,
        "kind": decision.kind.value,
        "votes_needed": decision.votes_needed,
        "elected": decision.elected,
        "standing": None if decision.standing is None else list(decision.standing),
        "tied": None if decision.tied is None else list(decision.tied),
        "reason": None if decision.reason is None else decision.reason.value,
    }
    if decision.lot is not None:
        encoded["lot"] = lot_json(decision.lot)
    return encoded


def decision_from_json(data: Mapping[str, object]) -> Decision:
    """The typed decision back from `decision_json`'s form (as stored: trusted input)."""

    def names(key: str) -> tuple[str, ...] | None:
        value = data.get(key)
        return None if value is None else tuple(str(v) for v in value)  # type: ignore[attr-defined]

    needed = data.get("votes_needed")
    elected = data.get("elected")
    reason = data.get("reason")
    lot = data.get("lot")
    return Decision(
        round=int(str(data["round"])),
        kind=DecisionKind(str(data["kind"])),
        votes_needed=None if needed is None else int(str(needed)),
        elected=None if elected is None else str(elected),
        standing=names("standing"),
        tied=names("tied"),
        reason=None if reason is None else FailureReason(str(reason)),
        lot=lot_from_json(lot) if isinstance(lot, Mapping) else None,
    )


def count_round_json(decision: Decision) -> dict[str, object]:
    """One round of the count contract's output: `decision_json` with `kind` named
    `decision`, in the contract's key order (docs/count.md)."""
    encoded = decision_json(decision)
    return {
        "round": encoded["round"],
        "votes_needed": encoded["votes_needed"],
        "decision": encoded["kind"],
        "elected": encoded["elected"],
        "standing": encoded["standing"],
        "tied": encoded["tied"],
        "reason": encoded["reason"],
    }


def decision_text(decision: Decision) -> str:
    """The decision in one short line for a table: its kind, then why (`failed (tie)`,
    `elected (by lot: seed 0123…; tied 4, 7)`)."""
    kind = decision.kind.value
    if (lot := decision.lot) is not None:
        seed = f" {lot.seed}" if lot.seed else ""
        return f"{kind} (by lot: {lot.method.value}{seed}; tied {', '.join(lot.tied)})"
    return f"{kind} ({decision.reason.value})" if decision.reason is not None else kind
