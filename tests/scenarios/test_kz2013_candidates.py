"""Nominations match the published 2013 totals; every registered candidate may stand."""

from __future__ import annotations

from collections import Counter

from saylau.domain.election import CandidateStatus
from saylau.scenarios.kz2013.candidates import (
    DropReason,
    NominationSpec,
    build_nominations,
)
from saylau.scenarios.kz2013.people import age_on
from saylau.scenarios.kz2013.specs import NationalStructure
from saylau.scenarios.kz2013.structure import build_structure


def _registered(noms: tuple[NominationSpec, ...]) -> list[NominationSpec]:
    return [n for n in noms if n.status is CandidateStatus.REGISTERED]


def test_national_totals(nominations: tuple[NominationSpec, ...]) -> None:
    statuses = Counter(n.status for n in nominations)
    assert len(nominations) == 7162
    assert statuses[CandidateStatus.REGISTERED] == 6738
    assert statuses[CandidateStatus.REFUSED] + statuses[CandidateStatus.WITHDRAWN] == 424
    assert len({n.nomination_id for n in nominations}) == 7162


def test_reasons_match_statuses(nominations: tuple[NominationSpec, ...]) -> None:
    for n in nominations:
        if n.status is CandidateStatus.REGISTERED:
            assert n.reason is None
        elif n.status is CandidateStatus.WITHDRAWN:
            assert n.reason is DropReason.OWN_REQUEST
        else:
            assert n.reason in {
                DropReason.INCOMPLETE_DOCUMENTS,
                DropReason.UNDER_AGE,
                DropReason.NOT_RESIDENT,
            }


def test_regional_pins(nominations: tuple[NominationSpec, ...]) -> None:
    registered = Counter(n.region_code for n in _registered(nominations))
    nominated = Counter(n.region_code for n in nominations)
    assert registered["KZ-KAR"] == 601
    assert (registered["KZ-ZAP"], nominated["KZ-ZAP"]) == (467, 473)
    assert registered["KZ-ATY"] == 214
    assert registered["KZ-MAN"] == 141
    per_council = Counter(n.council_id for n in _registered(nominations))
    assert per_council["council-271000000"] == 9  # Uralsk: 9 candidates, 3 posts


def test_at_least_two_per_post(
    structure: NationalStructure, nominations: tuple[NominationSpec, ...]
) -> None:
    per_post = Counter(n.post_id for n in _registered(nominations))
    assert set(per_post) == {p.post_id for p in structure.posts}
    assert min(per_post.values()) == 2
    assert max(per_post.values()) <= 6


def test_registered_are_25_on_voting_day(
    structure: NationalStructure, nominations: tuple[NominationSpec, ...]
) -> None:
    day = {c.council_id: c.vote_date for c in structure.councils}
    ages = []
    for n in _registered(nominations):
        vote_date = day[n.council_id]
        assert vote_date is not None
        ages.append(age_on(n.birth_date, vote_date))
    assert min(ages) == 25
    under_age = [n for n in nominations if n.reason is DropReason.UNDER_AGE]
    assert under_age
    for n in under_age:
        vote_date = day[n.council_id]
        assert vote_date is not None and age_on(n.birth_date, vote_date) < 25


def test_at_most_one_incumbent_per_post(nominations: tuple[NominationSpec, ...]) -> None:
    incumbents = Counter(n.post_id for n in nominations if n.is_incumbent)
    assert max(incumbents.values()) == 1
    assert all(n.status is CandidateStatus.REGISTERED for n in nominations if n.is_incumbent)
    # The sitting akim stands again in most posts.
    assert len(incumbents) > 2457 // 2


def test_nominated_by_district_akim(nominations: tuple[NominationSpec, ...]) -> None:
    uralsk = [n for n in nominations if n.council_id == "council-271000000"]
    assert {n.nominated_by for n in uralsk} == {"akim of Uralsk"}


def test_same_seed_same_candidates(
    structure: NationalStructure, nominations: tuple[NominationSpec, ...]
) -> None:
    assert build_nominations(structure, 2013) == nominations
    assert build_nominations(build_structure(5), 5) != nominations
