"""Eligibility: age completed on voting day, documents filed."""

from __future__ import annotations

from datetime import date

import pytest

from saylau.domain.election import Eligibility
from saylau.rules.eligibility import (
    age_on,
    check_document_names,
    check_documents,
    check_eligibility,
)

SETTINGS = Eligibility(min_age=25, required_documents=("identity_document", "consent"))
VOTING_DAY = date(2013, 8, 9)


@pytest.mark.parametrize(
    ("born", "on", "age"),
    [
        (date(1988, 8, 9), date(2013, 8, 9), 25),
        (date(1988, 8, 10), date(2013, 8, 9), 24),
        (date(1988, 2, 29), date(2013, 2, 28), 24),
        (date(1988, 2, 29), date(2013, 3, 1), 25),
        (date(1950, 12, 31), date(2013, 1, 1), 62),
    ],
)
def test_age_on(born: date, on: date, age: int) -> None:
    assert age_on(born, on) == age


def test_eligible_candidate_has_no_violation() -> None:
    assert (
        check_eligibility(
            SETTINGS,
            birth_date=date(1988, 8, 9),
            documents=["consent", "identity_document", "photo"],
            voting_day=VOTING_DAY,
        )
        == []
    )


def test_under_age_and_missing_documents_are_both_named() -> None:
    found = check_eligibility(
        SETTINGS, birth_date=date(1990, 1, 1), documents=["consent"], voting_day=VOTING_DAY
    )
    assert [(v.code, v.field, dict(v.numbers)) for v in found] == [
        ("under_age", "birth_date", {"age": 23, "min_age": 25}),
        ("documents_missing", "documents", {"missing": 1}),
    ]
    assert "2013-08-09" in found[0].message
    assert found[1].message == "documents not received: identity_document"


def test_minimum_age_is_data() -> None:
    lenient = Eligibility(min_age=21)
    assert (
        check_eligibility(lenient, birth_date=date(1990, 1, 1), documents=[], voting_day=VOTING_DAY)
        == []
    )


def test_documents_may_be_given_once_as_any_iterable() -> None:
    # A generator can be read only once: the check must not re-read it per required document.
    filed = (d for d in ["consent", "identity_document"])
    assert check_documents(SETTINGS, filed) is None


def test_document_names_are_the_events_required_ones() -> None:
    settings = Eligibility(min_age=25, required_documents=("identity_document", "consent"))
    assert check_document_names(settings, ["consent", "identity_document"]) is None
    joined = check_document_names(settings, ["identity_document,consent", "consent", "x", "x"])
    assert joined is not None
    assert (joined.code, joined.field, dict(joined.numbers)) == (
        "unknown_document",
        "documents",
        {"unknown": 2},
    )
    assert joined.message == (
        "unknown document 'identity_document,consent', 'x';"
        " expected one of: identity_document, consent"
    )
    none = check_document_names(Eligibility(min_age=25), ["consent"])
    assert none is not None and none.message.endswith("none (the event requires no documents)")
