"""The election flow's values: protocol counts and the stored enum values."""

from __future__ import annotations

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
    # Stored columns and the results JSON use these names: a renamed field must fail here.
    assert COUNT_FIELDS == (
        "members",
        "present",
        "ballots_received",
        "ballots_issued",
        "ballots_cast",
        "ballots_unused",
        "ballots_spoiled",
        "invalid",
        "blank",
        "against_all",
        "scattered",
    )


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
    assert [s.value for s in SittingStatus] == ["scheduled", "open", "adjourned", "closed"]
    assert [s.value for s in RoundStatus] == ["open", "decided", "cancelled"]
    assert [s.value for s in ProtocolStatus] == ["rejected", "accepted", "superseded", "annulled"]
