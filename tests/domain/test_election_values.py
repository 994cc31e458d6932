"""The election flow's values: protocol counts and the stored enum values."""

from __future__ import annotations

from dataclasses import fields

from saylau.domain.election import (
    COUNT_FIELDS,
    CandidateStatus,
    ContestStatus,
    Eligibility,
    NominatorKind,
    ProtocolInput,
    ProtocolStatus,
    RoundStatus,
    SittingStatus,
)


def test_count_fields_are_the_protocols_counts_in_order() -> None:
    counts = [f.name for f in fields(ProtocolInput) if f.name not in ("votes", "lot_winner")]
    assert list(COUNT_FIELDS) == counts
    assert len(COUNT_FIELDS) == 11


def test_optional_counts_default_to_zero_and_votes_to_empty() -> None:
    p = ProtocolInput(
        members=19, present=17, ballots_received=19, ballots_issued=17, ballots_cast=17
    )
    assert [getattr(p, f) for f in COUNT_FIELDS[5:]] == [0, 0, 0, 0, 0, 0]
    assert (dict(p.votes), p.lot_winner) == ({}, None)


def test_eligibility_json_lists_the_documents() -> None:
    e = Eligibility(min_age=25, required_documents=("identity_document", "consent"))
    assert e.to_json() == {"min_age": 25, "required_documents": ["identity_document", "consent"]}
    assert Eligibility().min_age == 25


def test_stored_values_are_stable() -> None:
    assert [k.value for k in NominatorKind] == ["district_akim", "self", "party"]
    assert [s.value for s in CandidateStatus] == ["nominated", "registered", "refused", "withdrawn"]
    assert [s.value for s in ContestStatus] == [
        "pending",
        "voting",
        "elected",
        "lot_required",
        "repeat_election",
    ]
    assert [s.value for s in SittingStatus] == ["scheduled", "open"]
    assert [s.value for s in RoundStatus] == ["open", "decided", "cancelled"]
    assert [s.value for s in ProtocolStatus] == ["rejected", "accepted", "superseded"]
