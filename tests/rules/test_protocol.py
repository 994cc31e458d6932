"""Control relations: each code fires on exactly the broken relation, with its numbers."""

from __future__ import annotations

from dataclasses import fields, replace

from saylau.domain.election import COUNT_FIELDS, ProtocolInput
from saylau.rules.protocol import (
    check_protocol,
    check_round_counts,
    to_round_counts,
)
from saylau.rules.round_counts import RoundCounts

GOOD = ProtocolInput(
    members=19,
    present=17,
    ballots_received=20,
    ballots_issued=17,
    ballots_cast=17,
    ballots_unused=3,
    ballots_spoiled=0,
    invalid=1,
    blank=0,
    against_all=0,
    scattered=0,
    votes={"a": 9, "b": 7},
)


def codes(counts: ProtocolInput) -> list[str]:
    return [v.code for v in check_protocol(counts)]


def test_a_consistent_protocol_has_no_violations() -> None:
    assert check_protocol(GOOD) == []


def test_each_relation() -> None:
    assert codes(replace(GOOD, members=16)) == ["present_exceeds_members"]
    assert codes(replace(GOOD, ballots_issued=16, ballots_unused=4)) == [
        "issued_not_present",
        "cast_exceeds_issued",
    ]
    assert codes(replace(GOOD, ballots_unused=2)) == ["ballots_unbalanced"]
    assert codes(replace(GOOD, blank=1)) == ["cast_not_sum"]
    assert codes(replace(GOOD, ballots_spoiled=-1, ballots_unused=4)) == ["negative_count"]


def test_cast_not_sum_message_and_numbers() -> None:
    counts = replace(GOOD, ballots_cast=1023, invalid=3, blank=5, votes={"a": 514, "b": 499})
    [v] = [v for v in check_protocol(counts) if v.code == "cast_not_sum"]
    assert v.message == (
        "ballots cast 1023 ≠ invalid 3 + blank 5 + against all 0 + scattered 0 + votes 1013 = 1021"
    )
    assert dict(v.numbers) == {
        "ballots_cast": 1023,
        "invalid": 3,
        "blank": 5,
        "against_all": 0,
        "scattered": 0,
        "votes": 1013,
    }
    assert v.field == "ballots_cast"


def test_ballots_unbalanced_message() -> None:
    [v] = check_protocol(replace(GOOD, ballots_received=21))
    assert v.message == "ballots received 21 ≠ issued 17 + unused 3 + spoiled 0 = 20"


def test_negative_vote_names_the_candidate() -> None:
    violations = check_protocol(replace(GOOD, votes={"a": 17, "b": -1}))
    assert [(v.code, v.field, dict(v.numbers)) for v in violations] == [
        ("negative_count", "votes.b", {"votes.b": -1})
    ]


def test_round_counts_relations() -> None:
    ok = RoundCounts(members=19, present=18, ballots_cast=17, abstain=1, votes={"a": 17})
    assert check_round_counts(ok) == []
    over = replace(ok, abstain=2)
    assert [(v.code, v.message) for v in check_round_counts(over)] == [
        ("cast_exceeds_present", "ballots cast 17 + abstain 2 = 19 > present 18")
    ]


def test_to_round_counts_keeps_the_numbers_decide_needs() -> None:
    c = to_round_counts(GOOD)
    assert (c.members, c.present, c.ballots_cast, c.invalid, c.abstain) == (19, 17, 17, 1, 0)
    assert dict(c.votes) == {"a": 9, "b": 7}
    assert c.valid_ballots == 16


def test_every_count_of_both_shapes_is_checked_for_negative() -> None:
    # Set all counts to -1 at once: each field must be named once, in field order.
    protocol_names = list(COUNT_FIELDS)
    broken = replace(GOOD, **dict.fromkeys(protocol_names, -1), votes={"a": -1})
    negatives = [v.field for v in check_protocol(broken) if v.code == "negative_count"]
    assert negatives == [*protocol_names, "votes.a"]
    round_names = [f.name for f in fields(RoundCounts) if f.name != "votes"]
    assert round_names[-1] == "abstain"
    round_broken = RoundCounts(**dict.fromkeys(round_names, -1), votes={"a": -1})
    found = [v.field for v in check_round_counts(round_broken) if v.code == "negative_count"]
    assert found == [*round_names, "votes.a"]


def test_counts_lists_every_count_field_in_order_with_its_value() -> None:
    # The protocol table's columns and the names in violations come from counts().
    named = [
        f.name
        for f in fields(ProtocolInput)
        if f.name not in ("votes", "lot_winner", "from_sitting")
    ]
    assert tuple(named) == COUNT_FIELDS == tuple(GOOD.counts())
    assert list(GOOD.counts().values()) == [19, 17, 20, 17, 17, 3, 0, 1, 0, 0, 0]
    round_names = [f.name for f in fields(RoundCounts) if f.name != "votes"]
    assert list(to_round_counts(GOOD).counts()) == round_names
