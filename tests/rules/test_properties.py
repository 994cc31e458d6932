"""Properties of the rules engine (Hypothesis) and the thresholds over every council size."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date, timedelta
from fractions import Fraction

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from saylau.domain.election import COUNT_FIELDS, ProtocolInput
from saylau.rules.count import count
from saylau.rules.decide import (
    Decision,
    DecisionKind,
    RoundCounts,
    decide,
    quorum_needed,
    votes_needed,
)
from saylau.rules.errors import CountInputError, InputError
from saylau.rules.model import Advance, Base, Quorum, RoundRule, RuleSet, Tie, Win, WinKind
from saylau.rules.presets import rule_set_to_json
from saylau.rules.protocol import check_protocol

FRACTIONS = [Fraction(1, 2), Fraction(2, 3), Fraction(3, 5), Fraction(1, 3)]
IDS = ["a", "b", "c", "d", "e"]

wins = st.one_of(
    st.just(Win(WinKind.PLURALITY)),
    st.builds(
        Win,
        kind=st.just(WinKind.MAJORITY),
        fraction=st.sampled_from(FRACTIONS),
        of=st.sampled_from(list(Base)),
        strict=st.booleans(),
    ),
)
quorums = st.one_of(
    st.none(),
    st.builds(
        Quorum, fraction=st.sampled_from(FRACTIONS), of=st.just(Base.MEMBERS), strict=st.booleans()
    ),
)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    return RuleSet(
        quorum=draw(quorums),
        rounds=(RoundRule(1, None, draw(wins), draw(st.sampled_from(list(Advance)))),),
        max_rounds=draw(st.sampled_from([None, 1, 3])),
        tie=draw(st.sampled_from(list(Tie))),
        against_all=draw(st.booleans()),
    )


@st.composite
def round_counts(draw: st.DrawFn, against_all: bool = True) -> RoundCounts:
    ids = draw(st.lists(st.sampled_from(IDS), min_size=1, max_size=5, unique=True))
    votes = {c: draw(st.integers(0, 40)) for c in ids}
    parts = {k: draw(st.integers(0, 8)) for k in ("invalid", "blank", "scattered", "abstain")}
    parts["against_all"] = draw(st.integers(0, 30)) if against_all else 0
    cast = sum(votes.values()) + sum(v for k, v in parts.items() if k != "abstain")
    present = cast + parts["abstain"] + draw(st.integers(0, 5))
    members = max(1, present + draw(st.integers(0, 60)))
    return RoundCounts(members=members, present=present, ballots_cast=cast, votes=votes, **parts)


# Distinct birth dates, so a tie under oldest/youngest always has one answer.
BORN = {c: date(1950, 1, 1) + timedelta(days=400 * i) for i, c in enumerate(IDS)}


@st.composite
def cases(draw: st.DrawFn) -> tuple[RuleSet, RoundCounts]:
    rule_set = draw(rule_sets())
    return rule_set, draw(round_counts(against_all=rule_set.against_all))


def _decide(rule_set: RuleSet, counts: RoundCounts, standing: list[str] | None = None) -> Decision:
    standing = sorted(counts.votes) if standing is None else standing
    return decide(rule_set, 1, counts, standing=standing, birth_dates=BORN)


@given(cases())
def test_a_winner_always_meets_the_threshold(case: tuple[RuleSet, RoundCounts]) -> None:
    rule_set, counts = case
    d = _decide(rule_set, counts)
    # assume(), not return: Hypothesis fails the test if no generated case elects anyone.
    assume(d.kind is DecisionKind.ELECTED)
    assert d.elected is not None
    got = counts.votes[d.elected]
    win = rule_set.rule_for(1).win
    if win.kind is WinKind.MAJORITY:
        assert win.fraction is not None
        needed = votes_needed(win, counts)
        assert needed is not None and got >= needed
        base = {
            Base.MEMBERS: counts.members,
            Base.PRESENT: counts.present,
            Base.BALLOTS_CAST: counts.ballots_cast,
            Base.VALID_BALLOTS: counts.valid_ballots,
            Base.CANDIDATE_VOTES: counts.candidate_votes,
        }[win.of or Base.MEMBERS]
        assert got > win.fraction * base if win.strict else got >= win.fraction * base
    assert got == max(counts.votes.values()) and got >= 1
    if rule_set.quorum is not None:
        assert counts.present >= quorum_needed(rule_set.quorum, counts)
    if rule_set.against_all:
        assert counts.against_all <= got


@given(cases(), st.randoms(use_true_random=False))
def test_permuting_candidates_never_changes_the_decision(
    case: tuple[RuleSet, RoundCounts], rnd: random.Random
) -> None:
    rule_set, counts = case
    items = list(counts.votes.items())
    rnd.shuffle(items)
    standing = sorted(counts.votes)
    rnd.shuffle(standing)
    permuted = replace(counts, votes=dict(items))
    assert _decide(rule_set, permuted, standing) == _decide(rule_set, counts)


@given(cases(), st.integers(1, 30))
def test_adding_votes_to_the_winner_never_unelects_them(
    case: tuple[RuleSet, RoundCounts], extra: int
) -> None:
    rule_set, counts = case
    d = _decide(rule_set, counts)
    assume(d.kind is DecisionKind.ELECTED and d.elected is not None)
    assert d.elected is not None
    assume(counts.present + extra <= counts.members)
    more = replace(
        counts,
        votes={**counts.votes, d.elected: counts.votes[d.elected] + extra},
        ballots_cast=counts.ballots_cast + extra,
        present=counts.present + extra,
    )
    again = _decide(rule_set, more)
    assert (again.kind, again.elected) == (DecisionKind.ELECTED, d.elected)


@given(cases(), st.integers(-20, 20).filter(bool))
def test_counts_breaking_a_control_relation_are_refused(
    case: tuple[RuleSet, RoundCounts], delta: int
) -> None:
    rule_set, counts = case
    broken = replace(counts, ballots_cast=counts.ballots_cast + delta)
    with pytest.raises(CountInputError):
        _decide(rule_set, broken)
    data = {
        "rules": rule_set_to_json(rule_set),
        "members": counts.members,
        "rounds": [
            {
                "present": broken.present,
                "ballots_cast": broken.ballots_cast,
                "invalid": broken.invalid,
                "blank": broken.blank,
                "against_all": broken.against_all,
                "scattered": broken.scattered,
                "abstain": broken.abstain,
                "votes": dict(broken.votes),
            }
        ],
    }
    with pytest.raises(InputError) as e:
        count(data)
    assert e.value.path in {"rounds[0].ballots_cast", "rounds[0].present"}


# Raising `members` breaks no relation, so it is the one count left out.
PROTOCOL_FIELDS = [f for f in COUNT_FIELDS if f != "members"]


@st.composite
def protocols(draw: st.DrawFn) -> ProtocolInput:
    votes = {c: draw(st.integers(0, 50)) for c in draw(st.lists(st.sampled_from(IDS), unique=True))}
    parts = {k: draw(st.integers(0, 9)) for k in ("invalid", "blank", "against_all", "scattered")}
    cast = sum(votes.values()) + sum(parts.values())
    present = cast + draw(st.integers(0, 5))
    unused, spoiled = draw(st.integers(0, 20)), draw(st.integers(0, 3))
    return ProtocolInput(
        members=present + draw(st.integers(0, 30)),
        present=present,
        ballots_received=present + unused + spoiled,
        ballots_issued=present,
        ballots_cast=cast,
        ballots_unused=unused,
        ballots_spoiled=spoiled,
        votes=votes,
        **parts,
    )


@given(protocols(), st.sampled_from([*PROTOCOL_FIELDS, "votes"]), st.integers(-9, 9).filter(bool))
def test_a_protocol_breaking_a_relation_always_has_a_violation(
    counts: ProtocolInput, name: str, delta: int
) -> None:
    assert check_protocol(counts) == []
    if name == "votes":
        assume(counts.votes)
        first = sorted(counts.votes)[0]
        broken = replace(counts, votes={**counts.votes, first: counts.votes[first] + delta})
    else:
        broken = replace(counts, **{name: getattr(counts, name) + delta})
    assert check_protocol(broken) != []


def test_thresholds_equal_the_exact_formula_for_every_council_size() -> None:
    def win(fraction: Fraction, strict: bool) -> Win:
        return Win(WinKind.MAJORITY, fraction, Base.MEMBERS, strict)

    half, two_thirds = Fraction(1, 2), Fraction(2, 3)
    for n in range(1, 2001):
        c = RoundCounts(members=n, present=0, ballots_cast=0)
        assert votes_needed(win(half, True), c) == n // 2 + 1
        assert votes_needed(win(half, False), c) == (n + 1) // 2
        assert votes_needed(win(two_thirds, False), c) == (2 * n + 2) // 3
        assert votes_needed(win(two_thirds, True), c) == (2 * n) // 3 + 1
        assert quorum_needed(Quorum(half, Base.MEMBERS, True), c) == n // 2 + 1
        assert quorum_needed(Quorum(two_thirds, Base.MEMBERS, False), c) == -(-2 * n // 3)
