"""A seeded model of every meeting of electors of August 2013: attendance, secret ballots, rounds.

The model only draws the numbers; whether a round elects, fails or goes to repeat voting is
decided by the rules engine (`saylau.rules.decide.decide` with the kz-akim-2013 preset).
Parameters are documented in docs/scenario-kz2013.md, "Simulation".
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from types import MappingProxyType

from saylau.domain.election import CandidateStatus, ProtocolInput
from saylau.rules.decide import Decision, DecisionKind, FailureReason, RoundCounts, decide
from saylau.rules.model import RuleSet
from saylau.rules.presets import load_rule_set
from saylau.scenarios.kz2013.candidates import NominationSpec
from saylau.scenarios.kz2013.specs import NationalStructure

RULE_SET_NAME = "kz-akim-2013"
P_ABSENT = 0.04  # a deputy misses the meeting of electors
P_INVALID = 0.004  # a ballot is found invalid
P_BLANK = 0.006  # a ballot carries no mark
# Appeal of a candidate: log-normal around 1; the sitting akim's is multiplied by the advantage.
APPEAL_SIGMA = 1.2
INCUMBENT_ADVANTAGE = 12.0
# How strongly electors follow the appeal (an exponent: above 1, votes concentrate on the
# favourite, as in 2013, when most akims were elected by large majorities).
CONCENTRATION = 3.0


@dataclass(frozen=True, slots=True)
class RoundRecord:
    round_no: int
    standing: tuple[str, ...]  # nomination ids on the ballot
    protocol: ProtocolInput
    counts: RoundCounts
    decision: Decision


@dataclass(frozen=True, slots=True)
class ContestOutcome:
    post_id: str
    rounds: tuple[RoundRecord, ...]

    @property
    def final(self) -> Decision:
        return self.rounds[-1].decision

    @property
    def elected(self) -> str | None:
        return self.final.elected


@dataclass(frozen=True, slots=True)
class SittingRecord:
    """One meeting of electors: one council, one day, every contest of its posts."""

    council_id: str
    date: dt.date
    members: int
    present_deputy_ids: tuple[str, ...]
    contests: tuple[ContestOutcome, ...]

    @property
    def present(self) -> int:
        return len(self.present_deputy_ids)


@dataclass(frozen=True, slots=True)
class SimulationResult:
    seed: int
    rule_set: RuleSet
    sittings: tuple[SittingRecord, ...]

    def contests(self) -> tuple[ContestOutcome, ...]:
        return tuple(c for s in self.sittings for c in s.contests)


def simulate(
    structure: NationalStructure,
    nominations: Sequence[NominationSpec],
    seed: int = 2013,
    rule_set: RuleSet | None = None,
) -> SimulationResult:
    """Hold every meeting of electors, councils in order of voting day then KATO code."""
    rng = random.Random(f"{seed}/simulation")
    rules = rule_set or load_rule_set(RULE_SET_NAME)
    candidates: dict[str, list[NominationSpec]] = defaultdict(list)
    for n in nominations:
        if n.status is CandidateStatus.REGISTERED:
            candidates[n.post_id].append(n)
    deputies: dict[str, list[str]] = defaultdict(list)
    for d in structure.deputies:
        deputies[d.council_id].append(d.deputy_id)
    posts: dict[str, list[str]] = defaultdict(list)
    for p in structure.posts:
        posts[p.council_id].append(p.post_id)

    councils = sorted(
        (c for c in structure.councils if c.is_voting and c.vote_date is not None),
        key=lambda c: (c.vote_date, c.territory_kato),
    )
    sittings = []
    for c in councils:
        assert c.vote_date is not None
        present = tuple(d for d in deputies[c.council_id] if rng.random() >= P_ABSENT)
        contests = tuple(
            _hold_contest(rng, rules, post_id, c.num_deputies, len(present), candidates[post_id])
            for post_id in posts[c.council_id]
        )
        sittings.append(SittingRecord(c.council_id, c.vote_date, c.num_deputies, present, contests))
    return SimulationResult(seed=seed, rule_set=rules, sittings=tuple(sittings))


def _hold_contest(
    rng: random.Random,
    rules: RuleSet,
    post_id: str,
    members: int,
    present: int,
    candidates: Sequence[NominationSpec],
) -> ContestOutcome:
    appeal = {
        n.nomination_id: rng.lognormvariate(0.0, APPEAL_SIGMA)
        * (INCUMBENT_ADVANTAGE if n.is_incumbent else 1.0)
        for n in candidates
    }
    standing = tuple(n.nomination_id for n in candidates)
    rounds: list[RoundRecord] = []
    round_no = 1
    while True:
        protocol = _ballots(rng, members, present, standing, appeal)
        counts = RoundCounts(
            members=members,
            present=present,
            ballots_cast=protocol.ballots_cast,
            invalid=protocol.invalid,
            blank=protocol.blank,
            votes=protocol.votes,
        )
        decision = decide(rules, round_no, counts, standing=standing)
        rounds.append(RoundRecord(round_no, standing, protocol, counts, decision))
        if decision.kind is not DecisionKind.NEXT_ROUND:
            return ContestOutcome(post_id, tuple(rounds))
        assert decision.standing is not None
        standing, round_no = decision.standing, round_no + 1


def _ballots(
    rng: random.Random,
    members: int,
    present: int,
    standing: tuple[str, ...],
    appeal: dict[str, float],
) -> ProtocolInput:
    """Every present deputy receives one ballot and casts it in secret."""
    marks = [rng.random() for _ in range(present)]
    invalid = sum(1 for m in marks if m < P_INVALID)
    blank = sum(1 for m in marks if P_INVALID <= m < P_INVALID + P_BLANK)
    valid = present - invalid - blank
    weights = [appeal[c] ** CONCENTRATION for c in standing]
    chosen = Counter(rng.choices(standing, weights=weights, k=valid)) if valid else Counter[str]()
    return ProtocolInput(
        members=members,
        present=present,
        ballots_received=members,
        ballots_issued=present,
        ballots_cast=present,
        ballots_unused=members - present,
        ballots_spoiled=0,
        invalid=invalid,
        blank=blank,
        against_all=0,
        scattered=0,
        votes=MappingProxyType({c: chosen.get(c, 0) for c in standing}),
    )


def failure_reasons(result: SimulationResult) -> Counter[FailureReason]:
    """Failed contests by reason (a convenience for checks; the summary comes from storage)."""
    return Counter(
        c.final.reason
        for c in result.contests()
        if c.final.kind is DecisionKind.FAILED and c.final.reason is not None
    )
