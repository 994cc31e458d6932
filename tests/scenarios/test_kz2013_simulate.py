"""The simulated meetings of electors: every count holds its control relations, the rules
engine decides, the same seed gives the same result."""

from __future__ import annotations

from collections import Counter
from fractions import Fraction

import pytest

from saylau.domain.election import CandidateStatus
from saylau.rules.decide import DecisionKind, FailureReason, decide
from saylau.rules.protocol import check_protocol, check_round_counts
from saylau.scenarios.kz2013.candidates import NominationSpec
from saylau.scenarios.kz2013.simulate import SimulationResult, failure_reasons, simulate
from saylau.scenarios.kz2013.specs import NationalStructure

SEED = 2013  # as in conftest.py


@pytest.fixture(scope="module")
def result(
    structure: NationalStructure, nominations: tuple[NominationSpec, ...]
) -> SimulationResult:
    return simulate(structure, nominations, SEED)


def test_one_sitting_per_voting_council(
    structure: NationalStructure, result: SimulationResult
) -> None:
    assert len(result.sittings) == 188
    assert len(result.contests()) == 2457
    dates = {c.council_id: c.vote_date for c in structure.councils}
    assert all(s.date == dates[s.council_id] for s in result.sittings)
    assert [s.date for s in result.sittings] == sorted(s.date for s in result.sittings)


def test_counts_hold_control_relations(result: SimulationResult) -> None:
    rounds = [r for c in result.contests() for r in c.rounds]
    assert len(rounds) > 2457  # some repeat voting happened
    for r in rounds:
        assert check_protocol(r.protocol) == []
        assert check_round_counts(r.counts) == []
        c = r.counts
        assert c.present <= c.members
        assert c.ballots_cast == c.present
        assert c.ballots_cast == c.invalid + c.blank + sum(c.votes.values())
        assert set(c.votes) == set(r.standing)


def test_attendance_matches_counts(result: SimulationResult) -> None:
    for s in result.sittings:
        assert len(set(s.present_deputy_ids)) == s.present <= s.members
        for c in s.contests:
            assert all(r.counts.present == s.present for r in c.rounds)


def test_every_decision_is_the_rules_engines(result: SimulationResult) -> None:
    for contest in result.contests():
        for r in contest.rounds:
            again = decide(result.rule_set, r.round_no, r.counts, standing=r.standing)
            assert again == r.decision
        assert contest.final.kind in {DecisionKind.ELECTED, DecisionKind.FAILED}
        assert len(contest.rounds) <= 2


def test_repeat_voting_is_between_leaders(result: SimulationResult) -> None:
    repeats = [c for c in result.contests() if len(c.rounds) == 2]
    assert repeats
    for c in repeats:
        first, second = c.rounds
        assert first.decision.reason is FailureReason.NO_MAJORITY
        top = sorted(first.counts.votes.values(), reverse=True)
        assert len(second.standing) >= 2
        assert {first.counts.votes[x] for x in second.standing} <= set(top[:2])


def test_winner_meets_threshold(result: SimulationResult) -> None:
    for c in result.contests():
        d, counts = c.final, c.rounds[-1].counts
        if d.kind is DecisionKind.ELECTED and len(c.rounds) == 1:
            assert d.elected is not None
            assert counts.votes[d.elected] > Fraction(counts.ballots_cast, 2)


def test_ties_fail(result: SimulationResult) -> None:
    failed = [c for c in result.contests() if c.final.kind is DecisionKind.FAILED]
    for c in failed:
        assert c.final.reason is FailureReason.TIE
        votes = c.rounds[-1].counts.votes
        assert c.final.tied is not None and len({votes[x] for x in c.final.tied}) == 1
    assert failure_reasons(result) == Counter({FailureReason.TIE: len(failed)})


def test_outcomes_near_2013(
    result: SimulationResult, nominations: tuple[NominationSpec, ...]
) -> None:
    registered = {n.nomination_id: n for n in nominations if n.status is CandidateStatus.REGISTERED}
    elected = [registered[c.elected] for c in result.contests() if c.elected]
    assert 2440 <= len(elected) <= 2457  # 2013: 2,454
    women = sum(1 for n in elected if n.sex == "female")
    assert 200 <= women <= 360  # 2013: 280
    incumbents = sum(1 for n in elected if n.is_incumbent)
    assert 1600 <= incumbents <= 1900  # 2013: 1,747


def test_same_seed_same_result(
    structure: NationalStructure, nominations: tuple[NominationSpec, ...], result: SimulationResult
) -> None:
    again = simulate(structure, nominations, SEED)
    assert again.sittings == result.sittings
    other = simulate(structure, nominations, SEED + 1)
    assert other.sittings != result.sittings
