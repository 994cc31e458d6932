"""Control relations of a round protocol: the arithmetic a count must satisfy before it is kept.

Each relation is one small function returning a Violation (or None), so the admin core's
protocol check and the count contract's check share one copy. docs/rules.md gives the reading.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from saylau.domain.election import ProtocolInput
from saylau.rules.round_counts import RoundCounts


@dataclass(frozen=True)
class Violation:
    """A broken control relation: stable `code`, readable `message`, the numbers involved."""

    code: str
    message: str
    numbers: Mapping[str, int]
    field: str


def violation(code: str, message: str, field_name: str, **numbers: int) -> Violation:
    """A Violation of `field_name` with its numbers (read-only), for every rules module."""
    numbers_view = MappingProxyType(numbers)
    return Violation(code=code, message=message, numbers=numbers_view, field=field_name)


def check_non_negative(named: Mapping[str, int]) -> list[Violation]:
    """Every count is a whole number of people or ballots: never negative."""
    return [
        violation("negative_count", f"{name} {value} is negative", name, **{name: value})
        for name, value in named.items()
        if value < 0
    ]


def check_present_within_members(members: int, present: int) -> Violation | None:
    """Only members of the body can be registered present."""
    if present <= members:
        return None
    return violation(
        "present_exceeds_members",
        f"present {present} > members {members}",
        "present",
        present=present,
        members=members,
    )


def check_issued_equals_present(present: int, ballots_issued: int) -> Violation | None:
    """One ballot per present elector per contest."""
    if ballots_issued == present:
        return None
    return violation(
        "issued_not_present",
        f"ballots issued {ballots_issued} ≠ present {present}",
        "ballots_issued",
        ballots_issued=ballots_issued,
        present=present,
    )


def check_ballots_balance(
    *, received: int, issued: int, unused: int, spoiled: int
) -> Violation | None:
    """Every ballot the commission received is issued, left unused or spoiled (and cancelled)."""
    total = issued + unused + spoiled
    if total == received:
        return None
    return violation(
        "ballots_unbalanced",
        f"ballots received {received} ≠ issued {issued} + unused {unused}"
        f" + spoiled {spoiled} = {total}",
        "ballots_received",
        ballots_received=received,
        ballots_issued=issued,
        ballots_unused=unused,
        ballots_spoiled=spoiled,
    )


def check_cast_within_issued(ballots_cast: int, ballots_issued: int) -> Violation | None:
    """The box cannot hold more ballots than were issued."""
    if ballots_cast <= ballots_issued:
        return None
    return violation(
        "cast_exceeds_issued",
        f"ballots cast {ballots_cast} > ballots issued {ballots_issued}",
        "ballots_cast",
        ballots_cast=ballots_cast,
        ballots_issued=ballots_issued,
    )


def check_cast_within_present(ballots_cast: int, abstain: int, present: int) -> Violation | None:
    """Each present elector casts at most one ballot or declares an abstention."""
    if ballots_cast + abstain <= present:
        return None
    return violation(
        "cast_exceeds_present",
        f"ballots cast {ballots_cast} + abstain {abstain} = {ballots_cast + abstain}"
        f" > present {present}",
        "present",
        ballots_cast=ballots_cast,
        abstain=abstain,
        present=present,
    )


def check_cast_sum(
    *,
    ballots_cast: int,
    invalid: int,
    blank: int,
    against_all: int,
    scattered: int,
    votes: Mapping[str, int],
) -> Violation | None:
    """Every ballot in the box is invalid, blank, against all, or a vote for one person."""
    num_votes = sum(votes.values())
    total = invalid + blank + against_all + scattered + num_votes
    if ballots_cast == total:
        return None
    return violation(
        "cast_not_sum",
        f"ballots cast {ballots_cast} ≠ invalid {invalid} + blank {blank}"
        f" + against all {against_all} + scattered {scattered} + votes {num_votes} = {total}",
        "ballots_cast",
        ballots_cast=ballots_cast,
        invalid=invalid,
        blank=blank,
        against_all=against_all,
        scattered=scattered,
        votes=num_votes,
    )


def _named_counts(counts: ProtocolInput | RoundCounts) -> dict[str, int]:
    """Every count by its field name, each candidate's votes as `votes.<id>`, in field order."""
    return counts.counts() | {f"votes.{k}": v for k, v in counts.votes.items()}


def _cast_sum(c: ProtocolInput | RoundCounts) -> Violation | None:
    return check_cast_sum(
        ballots_cast=c.ballots_cast,
        invalid=c.invalid,
        blank=c.blank,
        against_all=c.against_all,
        scattered=c.scattered,
        votes=c.votes,
    )


def _present(*found: Violation | None) -> list[Violation]:
    return [v for v in found if v is not None]


def check_protocol(counts: ProtocolInput) -> list[Violation]:
    """All control relations of a round protocol; [] when every one holds."""
    c = counts
    negatives = check_non_negative(_named_counts(c))
    return negatives + _present(
        check_present_within_members(c.members, c.present),
        check_issued_equals_present(c.present, c.ballots_issued),
        check_ballots_balance(
            received=c.ballots_received,
            issued=c.ballots_issued,
            unused=c.ballots_unused,
            spoiled=c.ballots_spoiled,
        ),
        check_cast_within_issued(c.ballots_cast, c.ballots_issued),
        _cast_sum(c),
    )


def check_round_counts(counts: RoundCounts) -> list[Violation]:
    """The relations the count contract can check on a round's counts; [] when all hold."""
    c = counts
    negatives = check_non_negative(_named_counts(c))
    return negatives + _present(
        check_present_within_members(c.members, c.present),
        check_cast_within_present(c.ballots_cast, c.abstain, c.present),
        _cast_sum(c),
    )


def to_round_counts(counts: ProtocolInput) -> RoundCounts:
    """The numbers of a protocol that decide() needs."""
    return RoundCounts(
        members=counts.members,
        present=counts.present,
        ballots_cast=counts.ballots_cast,
        invalid=counts.invalid,
        blank=counts.blank,
        against_all=counts.against_all,
        scattered=counts.scattered,
        votes=MappingProxyType(dict(counts.votes)),
    )
