"""The count contract (docs/count.md): a contest's record of rounds in, each round's decision
and the outcome out. Parses with path-naming errors, then runs decide() round by round."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import partial
from types import MappingProxyType

from saylau.domain import limits
from saylau.rules.decide import Decision, DecisionKind, RoundCounts, decide
from saylau.rules.decisions import count_round_json
from saylau.rules.errors import CountInputError, InputError, json_kind
from saylau.rules.input import text_problem
from saylau.rules.model import RuleSet
from saylau.rules.presets import load_rule_set
from saylau.rules.protocol import check_round_counts

__all__ = ["ContestRecord", "count", "decision_to_json", "parse_record"]

_TOP_KEYS = ("rules", "members", "candidates", "rounds", "lots")
_ROUND_KEYS = (
    "round",
    "members",
    "present",
    "ballots_cast",
    "invalid",
    "blank",
    "against_all",
    "scattered",
    "abstain",
    "votes",
)
_PARTS = ("invalid", "blank", "against_all", "scattered")
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


@dataclass(frozen=True)
class ContestRecord:
    """A parsed count input: the rule set, the candidates and the rounds as recorded."""

    rule_set: RuleSet
    candidates: tuple[str, ...]  # empty: no list given, anyone may receive votes
    birth_dates: Mapping[str, date]
    rounds: tuple[RoundCounts, ...]
    lots: Mapping[int, tuple[int, str]]  # round -> (index in "lots", winner)
    first_round: int = 1  # the real number of rounds[0]: a record may begin at a later ballot


def _object(value: object, path: str, keys: Sequence[str]) -> Mapping[str, object]:
    if not isinstance(value, Mapping):
        raise CountInputError(path, f"expected an object, got {json_kind(value)}")
    for key in value:
        if key not in keys:
            raise CountInputError(
                f"{path}.{key}" if path else key,
                f"unknown field; expected one of: {', '.join(keys)}",
            )
    return value


def _list(value: object, path: str) -> list[object]:
    if not isinstance(value, list):
        raise CountInputError(path, f"expected a list, got {json_kind(value)}")
    return value


def _int(value: object, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CountInputError(path, f"expected a whole number, got {json.dumps(value)}")
    return value


def _text(value: object, path: str) -> str:
    if not isinstance(value, str) or not value:
        raise CountInputError(path, f"expected a non-empty string, got {json.dumps(value)}")
    problem = text_problem(value, limits.NAME)
    if problem:
        raise CountInputError(path, problem)
    return value


def _parse_candidates(value: object) -> tuple[tuple[str, ...], dict[str, date]]:
    ids: list[str] = []
    seen: set[str] = set()
    birth_dates: dict[str, date] = {}
    items = _list(value, "candidates")
    if not items:
        # A given list bounds who may receive votes: an empty one would silently bound nothing.
        raise CountInputError(
            "candidates", "an empty list; leave the field out when there is no list"
        )
    for i, item in enumerate(items):
        path = f"candidates[{i}]"
        data = _object(item, path, ("id", "name", "birth_date"))
        if "id" not in data:
            raise CountInputError(f"{path}.id", "missing")
        candidate = _text(data["id"], f"{path}.id")
        if candidate in seen:
            raise CountInputError(f"{path}.id", f"{candidate!r} is listed twice")
        seen.add(candidate)
        ids.append(candidate)
        if "name" in data:
            _text(data["name"], f"{path}.name")
        if data.get("birth_date") is not None:
            raw = _text(data["birth_date"], f"{path}.birth_date")
            try:
                # fromisoformat alone would also take 19500131 and week dates.
                if not _DATE.fullmatch(raw):
                    raise ValueError(raw)
                birth_dates[candidate] = date.fromisoformat(raw)
            except ValueError:
                raise CountInputError(
                    f"{path}.birth_date", f"{raw!r} is not a date (YYYY-MM-DD)"
                ) from None
    return tuple(ids), birth_dates


def _parse_votes(
    value: object, path: str, candidates: Sequence[str], listed: frozenset[str]
) -> dict[str, int]:
    if not isinstance(value, Mapping):
        raise CountInputError(
            path, f"expected an object of candidate: votes, got {json_kind(value)}"
        )
    votes: dict[str, int] = {}
    for key, num in value.items():
        if not key:
            raise CountInputError(path, "a candidate id is empty")
        if listed and key not in listed:
            raise CountInputError(
                f"{path}.{key}", f"{key!r} is not a candidate; candidates: {', '.join(candidates)}"
            )
        problem = text_problem(key, limits.NAME)
        if problem:
            raise CountInputError(f"{path}.{key}", problem)
        votes[key] = _int(num, f"{path}.{key}")
    return votes


def _first_round(items: Sequence[object]) -> int:
    """The real number of the first recorded round: its `round` when given (≥ 1), else 1."""
    if not items or not isinstance(items[0], Mapping) or "round" not in items[0]:
        return 1
    first = _int(items[0]["round"], "rounds[0].round")
    if first < 1:
        raise CountInputError("rounds[0].round", f"{first}; expected at least 1")
    return first


def _parse_round(
    value: object,
    index: int,
    first: int,
    members: int,
    candidates: Sequence[str],
    listed: frozenset[str],
) -> RoundCounts:
    path = f"rounds[{index}]"
    data = _object(value, path, _ROUND_KEYS)
    if "round" in data and _int(data["round"], f"{path}.round") != first + index:
        raise CountInputError(
            f"{path}.round",
            f"{data['round']}; expected {first + index} (rounds consecutive from {first})",
        )
    parts = {k: _int(data.get(k, 0), f"{path}.{k}") for k in (*_PARTS, "abstain")}
    votes = _parse_votes(data.get("votes", {}), f"{path}.votes", candidates, listed)
    summed = sum(parts[k] for k in _PARTS) + sum(votes.values())
    ballots_cast = (
        _int(data["ballots_cast"], f"{path}.ballots_cast") if "ballots_cast" in data else summed
    )
    present = (
        _int(data["present"], f"{path}.present")
        if "present" in data
        else ballots_cast + parts["abstain"]
    )
    round_members = _int(data.get("members", members), f"{path}.members")
    if round_members < 1:
        raise CountInputError(f"{path}.members", f"{round_members}; expected at least 1")
    counts = RoundCounts(
        members=round_members,
        present=present,
        ballots_cast=ballots_cast,
        votes=MappingProxyType(votes),
        **parts,
    )
    violations = check_round_counts(counts)
    if violations:
        raise CountInputError(f"{path}.{violations[0].field}", violations[0].message)
    return counts


def _parse_lots(value: object) -> dict[int, tuple[int, str]]:
    lots: dict[int, tuple[int, str]] = {}
    for i, item in enumerate(_list(value, "lots")):
        path = f"lots[{i}]"
        data = _object(item, path, ("round", "winner"))
        for key in ("round", "winner"):
            if key not in data:
                raise CountInputError(f"{path}.{key}", "missing")
        round_no = _int(data["round"], f"{path}.round")
        if round_no in lots:
            raise CountInputError(f"{path}.round", f"a lot for round {round_no} is already given")
        lots[round_no] = (i, _text(data["winner"], f"{path}.winner"))
    return lots


def parse_record(data: object) -> ContestRecord:
    """Validate a count input (already decoded from JSON); errors name the JSON path."""
    top = _object(data, "", _TOP_KEYS)
    for key in ("rules", "members"):
        if key not in top:
            raise CountInputError(key, "missing")
    rule_spec = top["rules"]
    if not isinstance(rule_spec, str | Mapping):
        raise CountInputError(
            "rules", f"expected a preset name or an object, got {json_kind(rule_spec)}"
        )
    rule_set = load_rule_set(rule_spec, path="rules")
    members = _int(top["members"], "members")
    if members < 1:
        raise CountInputError("members", f"{members}; expected at least 1")
    candidates, birth_dates = (
        _parse_candidates(top["candidates"]) if "candidates" in top else ((), {})
    )
    listed = frozenset(candidates)  # membership per vote: a tuple made the count quadratic
    items = _list(top.get("rounds", []), "rounds")
    first = _first_round(items)
    rounds = tuple(
        _parse_round(item, i, first, members, candidates, listed) for i, item in enumerate(items)
    )
    lots = _parse_lots(top.get("lots", []))
    for round_no, (i, _) in lots.items():
        if not first <= round_no < first + len(rounds):
            raise CountInputError(f"lots[{i}].round", f"{round_no} is not a recorded round")
    return ContestRecord(
        rule_set, candidates, MappingProxyType(birth_dates), rounds, lots, first_round=first
    )


def _relocate(error: InputError, record: ContestRecord, index: int) -> CountInputError:
    """Place an error from decide() at its JSON path in the count input."""
    if error.path.startswith("candidates."):
        candidate = error.path.split(".")[1]
        return CountInputError(
            f"candidates[{record.candidates.index(candidate)}].birth_date"
            if candidate in record.candidates
            else "candidates",
            error.message,
        )
    if error.path == "lot":
        lot_index = record.lots[record.first_round + index][0]
        return CountInputError(f"lots[{lot_index}].winner", error.message)
    return CountInputError(f"rounds[{index}].{error.path}", error.message)


def decide_record(record: ContestRecord) -> list[Decision]:
    """Each recorded round's decision, carrying standing and lots forward. The first recorded
    round stands `candidates` (anyone without a list), whatever its number."""
    decisions: list[Decision] = []
    standing: tuple[str, ...] = record.candidates
    for index, counts in enumerate(record.rounds):
        round_no = record.first_round + index
        if decisions and decisions[-1].is_final:
            last = decisions[-1]
            raise CountInputError(
                f"rounds[{index}]",
                f"round {round_no} is given after round {last.round} decided ({last.kind.value})",
            )
        lot = record.lots.get(round_no)
        decide_round = partial(
            decide,
            record.rule_set,
            round_no,
            counts,
            standing=standing,
            birth_dates=record.birth_dates,
        )
        try:
            decision = decide_round()
            if lot is not None:
                if decision.kind is not DecisionKind.LOT_REQUIRED:
                    raise CountInputError(
                        f"lots[{lot[0]}]",
                        f"round {round_no} needed no lot (decision: {decision.kind.value})",
                    )
                decision = decide_round(lot_winner=lot[1])
        except CountInputError as e:
            if e.path.startswith(("rounds[", "lots[")):
                raise
            raise _relocate(e, record, index) from None
        decisions.append(decision)
        standing = decision.standing if decision.standing is not None else record.candidates
    return decisions


def decision_to_json(decision: Decision) -> dict[str, object]:
    """One round of the contract's output (the one encoding, saylau.rules.decisions)."""
    return count_round_json(decision)


def count(data: object) -> dict[str, object]:
    """The count contract: a decoded JSON input in, the output object out.
    Raises InputError (a ValueError; RuleSetError or CountInputError) for any input error."""
    record = parse_record(data)
    decisions = decide_record(record)
    last = decisions[-1] if decisions else None
    final = last is not None and last.is_final
    return {
        "rounds": [decision_to_json(d) for d in decisions],
        "outcome": last.kind.value if last is not None and final else "undecided",
        "elected": last.elected if last is not None else None,
        "round": last.round if last is not None else None,
        "reason": last.reason.value if last is not None and final and last.reason else None,
    }
