"""Who may stand: age on voting day and documents filed (Decree No. 555 of 24 April 2013).

In 2013 a candidate had to be at least 25 on voting day and file an identity document and a
consent; both settings are data of the event (`Eligibility`), not code.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from saylau.domain.election import Eligibility
from saylau.rules.protocol import Violation, violation


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day` (someone born on 29 February turns a year older on 1 March)."""
    had_birthday = (day.month, day.day) >= (birth_date.month, birth_date.day)
    return day.year - birth_date.year - (0 if had_birthday else 1)


def check_age(settings: Eligibility, birth_date: date, voting_day: date) -> Violation | None:
    age = age_on(birth_date, voting_day)
    if age >= settings.min_age:
        return None
    return violation(
        "under_age",
        f"aged {age} on voting day {voting_day.isoformat()}"
        f" (born {birth_date.isoformat()}); at least {settings.min_age} required",
        "birth_date",
        age=age,
        min_age=settings.min_age,
    )


def check_documents(settings: Eligibility, received: Iterable[str]) -> Violation | None:
    have = set(received)
    missing = [d for d in settings.required_documents if d not in have]
    if not missing:
        return None
    return violation(
        "documents_missing",
        "documents not received: " + ", ".join(missing),
        "documents",
        missing=len(missing),
    )


def check_document_names(settings: Eligibility, received: Iterable[str]) -> Violation | None:
    """A document is one of the event's required ones, by its exact name: a typo, or two names
    written as one (`identity_document,consent`), would otherwise stand as a document."""
    expected = settings.required_documents
    unknown = [d for d in dict.fromkeys(received) if d not in expected]
    if not unknown:
        return None
    listed = ", ".join(expected) if expected else "none (the event requires no documents)"
    return violation(
        "unknown_document",
        f"unknown document {', '.join(map(repr, unknown))}; expected one of: {listed}",
        "documents",
        unknown=len(unknown),
    )


def check_eligibility(
    settings: Eligibility, *, birth_date: date, documents: Iterable[str], voting_day: date
) -> list[Violation]:
    """Every eligibility rule the candidate breaks; [] when they may be registered."""
    found = (
        check_age(settings, birth_date, voting_day),
        check_documents(settings, documents),
    )
    return [v for v in found if v is not None]
