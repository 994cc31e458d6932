"""The count contract: defaults, numbering, lots and path-naming input errors."""

from __future__ import annotations

from typing import Any

import pytest

from saylau.rules.count import count
from saylau.rules.errors import InputError


def record(*rounds: dict[str, Any], **top: Any) -> dict[str, Any]:
    return {"rules": "kz-akim-2013", "members": 19, "rounds": list(rounds), **top}


def error(data: object) -> str:
    with pytest.raises(InputError) as e:
        count(data)
    return str(e.value)


def test_defaults_ballots_cast_and_present_from_the_parts() -> None:
    # 1 invalid + 2 blank + 10 + 4 = 17 cast; present 17; more than 8.5 needed.
    out = count(record({"invalid": 1, "blank": 2, "votes": {"a": 10, "b": 4}}))
    assert out["rounds"] == [
        {
            "round": 1,
            "votes_needed": 9,
            "decision": "elected",
            "elected": "a",
            "standing": None,
            "tied": None,
            "reason": None,
        }
    ]
    assert (out["outcome"], out["elected"], out["round"], out["reason"]) == (
        "elected",
        "a",
        1,
        None,
    )


def test_abstain_adds_to_present_not_to_ballots() -> None:
    # 8 cast + 1 abstain = 9 present of 19: no quorum (needs 10 > 9.5); 2 abstaining make it.
    assert count(record({"abstain": 1, "votes": {"a": 8}}))["reason"] == "no_quorum"
    made = count(record({"abstain": 2, "votes": {"a": 8}}))
    assert (made["outcome"], made["rounds"][0]["votes_needed"]) == ("elected", 5)


def test_undecided_and_failed_outcomes() -> None:
    first = {"votes": {"a": 8, "b": 6, "c": 3}}
    out = count(record(first))
    assert (out["outcome"], out["round"], out["elected"], out["reason"]) == (
        "undecided",
        1,
        None,
        None,
    )
    out = count(record(first, {"votes": {"a": 8, "b": 8}}))
    assert (out["outcome"], out["round"], out["reason"]) == ("failed", 2, "tie")


def test_round_numbers_must_follow_in_order() -> None:
    ok = count(
        record(
            {"round": 1, "votes": {"a": 7, "b": 6, "c": 1}}, {"round": 2, "votes": {"a": 9, "b": 5}}
        )
    )
    assert ok["elected"] == "a"
    assert error(record({"round": 1, "votes": {"a": 7, "b": 6, "c": 1}}, {"round": 3})) == (
        "rounds[1].round: 3; expected 2 (rounds consecutive from 1)"
    )
    assert (
        error(record({"round": 0, "votes": {"a": 8}})) == "rounds[0].round: 0; expected at least 1"
    )
    assert error(record({"votes": {"a": 8}}, {"round": 1})) == (
        "rounds[1].round: 1; expected 2 (rounds consecutive from 1)"
    )


def test_a_record_may_begin_at_a_later_round_whose_rule_applies() -> None:
    # Round 2 of kz-akim-2013 is decided by most votes: 9 of 17 would not be a majority in
    # round 1 (needs 9: more than 8.5), so take 8 of 17 — elected in round 2, not in round 1.
    later = count(record({"round": 2, "present": 17, "invalid": 2, "votes": {"a": 8, "b": 7}}))
    assert later["rounds"][0]["votes_needed"] is None  # type: ignore[index]
    assert (later["outcome"], later["elected"], later["round"]) == ("elected", "a", 2)
    first = count(record({"present": 17, "invalid": 2, "votes": {"a": 8, "b": 7}}))
    assert (first["outcome"], first["rounds"][0]["votes_needed"]) == ("undecided", 9)  # type: ignore[index]
    # Round numbers without `round` follow the first one: a tie at round 22 goes to round 23.
    resumed = count(
        {
            "rules": "de-bundesversammlung",
            "members": 10,
            "rounds": [{"round": 22, "votes": {"a": 5, "b": 5}}, {"votes": {"a": 6, "b": 4}}],
        }
    )
    assert [(r["round"], r["decision"]) for r in resumed["rounds"]] == [  # type: ignore[index, union-attr]
        (22, "next_round"),
        (23, "elected"),
    ]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], ": expected an object, got a list"),
        ({"members": 3, "rounds": []}, "rules: missing"),
        ({"rules": "kz-akim-2013", "rounds": []}, "members: missing"),
        (record(members=0), "members: 0; expected at least 1"),
        # Python 3.11's fromisoformat also takes 19500131 and 1950-W05-2: the contract says
        # YYYY-MM-DD.
        (
            record(candidates=[{"id": "a", "birth_date": "19500131"}]),
            "candidates[0].birth_date: '19500131' is not a date (YYYY-MM-DD)",
        ),
        (
            record(candidates=[{"id": "a", "birth_date": "1950-W05-2"}]),
            "candidates[0].birth_date: '1950-W05-2' is not a date (YYYY-MM-DD)",
        ),
        (record(members=2.5), "members: expected a whole number, got 2.5"),
        (record(colour="red"), "colour: unknown field; expected one of: rules, members,"),
        (record({"votes": {"a": True}}), "rounds[0].votes.a: expected a whole number, got true"),
        (record({"votes": {"a": -2, "b": 12}}), "rounds[0].votes.a: votes.a -2 is negative"),
        (
            record({"quorum": 3}),
            "rounds[0].quorum: unknown field; expected one of: round, members,",
        ),
        (
            record({"votes": ["a"]}),
            "rounds[0].votes: expected an object of candidate: votes, got a list",
        ),
        (record(candidates=[{"id": "a"}, {"id": "a"}]), "candidates[1].id: 'a' is listed twice"),
        (record(candidates=[{"name": "A"}]), "candidates[0].id: missing"),
        (
            record(candidates=[{"id": "a", "birth_date": "31.01.1950"}]),
            "candidates[0].birth_date: '31.01.1950' is not a date (YYYY-MM-DD)",
        ),
        (record(rounds=3), "rounds: expected a list, got a number"),
        (
            record({"votes": {"a": 11}}, lots=[{"round": 2, "winner": "a"}]),
            "lots[0].round: 2 is not a recorded round",
        ),
        (record({"votes": {"a": 11}}, lots=[{"round": 1}]), "lots[0].winner: missing"),
        (
            record({"present": 12, "votes": {"a": 11}, "ballots_cast": 12}),
            "rounds[0].ballots_cast: ballots cast 12 ≠ invalid 0 + blank 0 + against all 0"
            " + scattered 0 + votes 11 = 11",
        ),
        (
            record({"present": 10, "votes": {"a": 11}}),
            "rounds[0].present: ballots cast 11 + abstain 0 = 11 > present 10",
        ),
        ({"rules": 7, "members": 3}, "rules: expected a preset name or an object, got a number"),
        ({"rules": {"tie": "lot"}, "members": 3}, "rules.rounds: missing"),
        # A given list bounds the votes, so an empty one is refused rather than read as none.
        (
            record({"votes": {"a": 11}}, candidates=[]),
            "candidates: an empty list; leave the field out when there is no list",
        ),
        (record({"members": 0}), "rounds[0].members: 0; expected at least 1"),
        (record({"votes": {"": 11}}), "rounds[0].votes: a candidate id is empty"),
    ],
)
def test_input_errors_name_the_path(data: object, message: str) -> None:
    assert error(data).startswith(message)


def test_lots_carry_to_their_round_and_must_be_needed() -> None:
    rules = {
        "quorum": None,
        "rounds": [{"from": 1, "to": None, "win": {"kind": "plurality"}, "advance": "all"}],
        "max_rounds": None,
        "tie": "lot",
    }
    data = {"rules": rules, "members": 9, "rounds": [{"votes": {"a": 3, "b": 3, "c": 3}}]}
    required = count(data)
    assert (required["outcome"], required["rounds"][0]["tied"]) == ("lot_required", ["a", "b", "c"])
    drawn = count({**data, "lots": [{"round": 1, "winner": "c"}]})
    assert (drawn["outcome"], drawn["elected"], drawn["rounds"][0]["tied"]) == (
        "elected",
        "c",
        ["a", "b", "c"],
    )
    assert error({**data, "lots": [{"round": 1, "winner": "c"}, {"round": 1, "winner": "a"}]}) == (
        "lots[1].round: a lot for round 1 is already given"
    )
    after = {**data, "rounds": [*data["rounds"], {"votes": {"a": 5}}]}
    assert error(after) == "rounds[1]: round 2 is given after round 1 decided (lot_required)"


def test_a_lot_names_the_real_round_of_a_later_record() -> None:
    rules = {
        "quorum": None,
        "rounds": [{"from": 1, "to": None, "win": {"kind": "plurality"}, "advance": "all"}],
        "max_rounds": None,
        "tie": "lot",
    }
    data = {"rules": rules, "members": 9, "rounds": [{"round": 5, "votes": {"a": 4, "b": 4}}]}
    drawn = count({**data, "lots": [{"round": 5, "winner": "b"}]})
    assert (drawn["outcome"], drawn["elected"], drawn["round"]) == ("elected", "b", 5)
    assert error({**data, "lots": [{"round": 1, "winner": "b"}]}) == (
        "lots[0].round: 1 is not a recorded round"
    )
    assert error({**data, "lots": [{"round": 5, "winner": "c"}]}).startswith("lots[0].winner:")


def test_standing_carries_forward_and_candidates_bound_open_rounds() -> None:
    data = record(
        {"votes": {"a": 8, "b": 5, "c": 5}},
        {"votes": {"a": 8, "b": 6, "c": 4}},
        candidates=[{"id": "a"}, {"id": "b"}, {"id": "c"}],
    )
    out = count(data)
    assert out["rounds"][0]["standing"] == ["a", "b", "c"]
    assert out["elected"] == "a"
    fr = {"rules": "fr-maire", "members": 9, "candidates": [{"id": "a"}, {"id": "b"}]}
    bad = {**fr, "rounds": [{"votes": {"a": 4, "b": 4}}, {"votes": {"a": 4, "x": 4}}]}
    assert error(bad) == "rounds[1].votes.x: 'x' is not a candidate; candidates: a, b"
    free = {
        "rules": "fr-maire",
        "members": 9,
        "rounds": [{"votes": {"a": 4, "b": 4}}, {"votes": {"x": 5, "a": 3}}],
    }
    assert count(free)["elected"] == "x"
