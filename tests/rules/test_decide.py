"""decide(), votes_needed() and quorum_needed() on hand-checked numbers."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from saylau.rules.decide import (
    DecisionKind,
    FailureReason,
    RoundCounts,
    decide,
    quorum_needed,
    votes_needed,
)
from saylau.rules.errors import CountInputError
from saylau.rules.model import Advance, Base, Quorum, RoundRule, RuleSet, Tie, Win, WinKind
from saylau.rules.presets import load_rule_set

KZ = load_rule_set("kz-akim-2013")


def counts(members: int, votes: dict[str, int], **parts: int) -> RoundCounts:
    cast = sum(votes.values()) + sum(
        parts.get(k, 0) for k in ("invalid", "blank", "against_all", "scattered")
    )
    parts.setdefault("ballots_cast", cast)
    parts.setdefault("present", parts["ballots_cast"] + parts.get("abstain", 0))
    return RoundCounts(members=members, votes=votes, **parts)  # type: ignore[arg-type]


def one_round(
    win: Win, advance: Advance = Advance.ALL, tie: Tie = Tie.LOT, **kw: object
) -> RuleSet:
    return RuleSet(
        quorum=None,
        rounds=(RoundRule(1, None, win, advance),),
        max_rounds=kw.get("max_rounds", 3),  # type: ignore[arg-type]
        tie=tie,
        against_all=bool(kw.get("against_all", False)),
    )


PLURALITY = Win(WinKind.PLURALITY)


@pytest.mark.parametrize(
    ("fraction", "of", "strict", "expected"),
    [
        ("1/2", Base.BALLOTS_CAST, True, 10),  # 19 cast: more than 9.5
        ("1/2", Base.MEMBERS, True, 12),  # 22 members: more than 11
        ("1/2", Base.MEMBERS, False, 11),  # at least 11
        ("2/3", Base.MEMBERS, False, 15),  # at least 14.67
        ("2/3", Base.MEMBERS, True, 15),  # more than 14.67
        ("1/2", Base.VALID_BALLOTS, True, 9),  # 19 - 2 invalid = 17: more than 8.5
        ("1/2", Base.CANDIDATE_VOTES, True, 8),  # 19 - 2 invalid - 3 blank = 14: more than 7
        ("1/2", Base.PRESENT, True, 11),  # 20 present (1 abstains): more than 10
    ],
)
def test_votes_needed(fraction: str, of: Base, strict: bool, expected: int) -> None:
    c = counts(22, {"a": 8, "b": 6}, invalid=2, blank=3, abstain=1)
    assert (c.ballots_cast, c.present, c.valid_ballots, c.candidate_votes) == (19, 20, 17, 14)
    assert votes_needed(Win(WinKind.MAJORITY, Fraction(fraction), of, strict), c) == expected


def test_votes_needed_is_none_under_plurality_and_never_zero() -> None:
    assert votes_needed(PLURALITY, counts(5, {"a": 1})) is None
    empty = counts(5, {}, blank=2)
    assert (
        votes_needed(Win(WinKind.MAJORITY, Fraction(1, 2), Base.CANDIDATE_VOTES, False), empty) == 1
    )


def test_quorum_needed_strict_and_at_least() -> None:
    c = counts(20, {"a": 1})
    assert quorum_needed(Quorum(Fraction(1, 2), Base.MEMBERS, True), c) == 11
    assert quorum_needed(Quorum(Fraction(1, 2), Base.MEMBERS, False), c) == 10
    assert quorum_needed(Quorum(Fraction(2, 3), Base.MEMBERS, False), c) == 14


def test_kz_round_one_majority_of_ballots_cast_counts_blank_and_invalid() -> None:
    # 17 ballots: 8 for a is not more than half (8.5) though it is most of the valid votes.
    d = decide(KZ, 1, counts(19, {"a": 8, "b": 6}, invalid=2, blank=1), standing=["a", "b"])
    assert (d.kind, d.votes_needed, d.standing, d.reason) == (
        DecisionKind.NEXT_ROUND,
        9,
        ("a", "b"),
        FailureReason.NO_MAJORITY,
    )


def test_kz_no_quorum_when_exactly_half_present() -> None:
    d = decide(KZ, 1, counts(20, {"a": 10}), standing=[])
    assert (d.kind, d.reason, d.elected) == (DecisionKind.FAILED, FailureReason.NO_QUORUM, None)
    assert decide(KZ, 1, counts(20, {"a": 11}), standing=[]).elected == "a"


def test_kz_round_two_tie_fails_and_plurality_elects() -> None:
    tie = decide(KZ, 2, counts(10, {"a": 5, "b": 5}), standing=["a", "b"])
    assert (tie.kind, tie.reason, tie.tied) == (DecisionKind.FAILED, FailureReason.TIE, ("a", "b"))
    win = decide(KZ, 2, counts(10, {"a": 4, "b": 3}, blank=3), standing=["a", "b"])
    assert (win.kind, win.elected, win.votes_needed) == (DecisionKind.ELECTED, "a", None)


def test_round_beyond_max_rounds_is_refused() -> None:
    with pytest.raises(CountInputError, match="round 3 > max_rounds 2"):
        decide(KZ, 3, counts(10, {"a": 9}), standing=[])


def test_top_two_keeps_everyone_tied_at_the_cut_off() -> None:
    d = decide(KZ, 1, counts(19, {"a": 8, "b": 4, "c": 4, "d": 2}), standing=[])
    assert d.standing == ("a", "b", "c")
    d = decide(KZ, 1, counts(19, {"a": 5, "b": 5, "c": 5, "d": 2}), standing=[])
    assert d.standing == ("a", "b", "c")


@pytest.mark.parametrize(
    ("votes", "standing"),
    [
        ({"a": 5, "b": 4, "c": 3, "d": 2}, ("a", "b", "c")),
        ({"a": 5, "b": 4, "c": 2, "d": 2}, ("a", "b")),  # both tied at the bottom leave
        ({"a": 5, "b": 2, "c": 2}, ("a", "b", "c")),  # fewer than two would remain: none leave
        ({"a": 5, "b": 4}, ("a", "b")),
    ],
)
def test_drop_last(votes: dict[str, int], standing: tuple[str, ...]) -> None:
    rules = one_round(
        Win(WinKind.MAJORITY, Fraction(2, 3), Base.BALLOTS_CAST, False), Advance.DROP_LAST
    )
    assert decide(rules, 1, counts(30, votes), standing=[]).standing == standing


def test_open_advance_has_no_standing_and_lets_new_names_in() -> None:
    rules = one_round(Win(WinKind.MAJORITY, Fraction(1, 2), Base.MEMBERS, True), Advance.OPEN)
    first = decide(rules, 1, counts(30, {"a": 10, "b": 9}), standing=["a", "b"])
    assert (first.kind, first.standing) == (DecisionKind.NEXT_ROUND, None)
    second = decide(rules, 2, counts(30, {"c": 16, "a": 10}), standing=["a", "b"])
    assert second.elected == "c"


def test_vote_for_someone_not_standing_is_refused() -> None:
    with pytest.raises(CountInputError) as e:
        decide(KZ, 2, counts(19, {"a": 9, "c": 1}), standing=["a", "b"])
    assert str(e.value) == "votes.c: 'c' does not stand in round 2; standing: a, b"


def test_tie_by_lot_oldest_youngest_and_next_round() -> None:
    c = counts(9, {"a": 4, "b": 4, "c": 1})
    lot = one_round(PLURALITY, tie=Tie.LOT)
    required = decide(lot, 1, c, standing=[])
    assert (required.kind, required.tied, required.reason) == (
        DecisionKind.LOT_REQUIRED,
        ("a", "b"),
        FailureReason.TIE,
    )
    assert decide(lot, 1, c, standing=[], lot_winner="b").elected == "b"
    with pytest.raises(CountInputError, match="not among the tied"):
        decide(lot, 1, c, standing=[], lot_winner="c")
    born = {"a": date(1960, 1, 1), "b": date(1970, 1, 1), "c": date(1950, 1, 1)}
    assert (
        decide(one_round(PLURALITY, tie=Tie.OLDEST), 1, c, standing=[], birth_dates=born).elected
        == "a"
    )
    assert (
        decide(one_round(PLURALITY, tie=Tie.YOUNGEST), 1, c, standing=[], birth_dates=born).elected
        == "b"
    )
    nxt = decide(one_round(PLURALITY, tie=Tie.NEXT_ROUND), 1, c, standing=[])
    assert (nxt.kind, nxt.reason, nxt.standing) == (
        DecisionKind.NEXT_ROUND,
        FailureReason.TIE,
        ("a", "b", "c"),
    )
    # The count contract: max_rounds reached without a winner fails with no_majority; the tie
    # that would have led to another round still shows in `tied`.
    last = decide(one_round(PLURALITY, tie=Tie.NEXT_ROUND), 3, c, standing=[])
    assert (last.kind, last.reason, last.tied) == (
        DecisionKind.FAILED,
        FailureReason.NO_MAJORITY,
        ("a", "b"),
    )


def test_oldest_needs_birth_dates_and_same_dates_go_to_a_lot() -> None:
    c = counts(12, {"a": 4, "b": 4, "c": 4})
    oldest = one_round(PLURALITY, tie=Tie.OLDEST)
    with pytest.raises(CountInputError, match="needs the birth date of b, c"):
        decide(oldest, 1, c, standing=[], birth_dates={"a": date(1960, 1, 1)})
    born = {"a": date(1960, 1, 1), "b": date(1960, 1, 1), "c": date(1990, 1, 1)}
    d = decide(oldest, 1, c, standing=[], birth_dates=born)
    assert (d.kind, d.tied) == (DecisionKind.LOT_REQUIRED, ("a", "b"))


def test_against_all_fails_the_round_only_when_above_every_candidate() -> None:
    rules = one_round(PLURALITY, against_all=True)
    above = decide(rules, 1, counts(20, {"a": 7, "b": 4}, against_all=8), standing=[])
    assert (above.kind, above.reason) == (DecisionKind.FAILED, FailureReason.AGAINST_ALL)
    equal = decide(rules, 1, counts(20, {"a": 7, "b": 4}, against_all=7), standing=[])
    assert equal.elected == "a"
    with pytest.raises(CountInputError, match="no 'against all' line"):
        decide(one_round(PLURALITY), 1, counts(20, {"a": 7}, against_all=1), standing=[])


def test_nobody_is_elected_with_zero_votes() -> None:
    d = decide(one_round(PLURALITY), 1, counts(5, {"a": 0, "b": 0}, blank=3), standing=[])
    assert (d.kind, d.elected, d.reason) == (
        DecisionKind.NEXT_ROUND,
        None,
        FailureReason.NO_MAJORITY,
    )


def test_counts_breaking_a_control_relation_are_refused() -> None:
    bad = RoundCounts(members=10, present=9, ballots_cast=9, blank=1, votes={"a": 7})
    with pytest.raises(CountInputError) as e:
        decide(KZ, 1, bad, standing=[])
    assert e.value.path == "ballots_cast"
    assert e.value.message.endswith("votes 7 = 8")
