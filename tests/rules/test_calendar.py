"""Deadlines: nominations, registration, withdrawal, and the order of an event's dates."""

from __future__ import annotations

from datetime import date

from saylau.domain.election import Calendar
from saylau.rules.calendar import (
    check_calendar,
    check_nomination_open,
    check_registration_open,
    check_withdrawal_allowed,
)

CAL = Calendar(date(2013, 7, 5), date(2013, 7, 19), date(2013, 7, 24))


def test_nomination_period_includes_both_ends() -> None:
    assert check_nomination_open(CAL, date(2013, 7, 5)) is None
    assert check_nomination_open(CAL, date(2013, 7, 19)) is None
    early = check_nomination_open(CAL, date(2013, 7, 3))
    late = check_nomination_open(CAL, date(2013, 7, 22))
    assert early is not None and late is not None
    assert (early.code, dict(early.numbers)) == ("nomination_not_open", {"days": 2})
    assert (late.code, dict(late.numbers)) == ("nomination_closed", {"days": 3})
    assert "2013-07-19" in late.message and "2013-07-22" in late.message


def test_registration_until_the_deadline() -> None:
    assert check_registration_open(CAL, date(2013, 7, 24)) is None
    late = check_registration_open(CAL, date(2013, 7, 25))
    assert late is not None
    assert (late.code, dict(late.numbers)) == ("registration_closed", {"days": 1})
    early = check_registration_open(CAL, date(2013, 7, 1))
    assert early is not None
    assert (early.code, dict(early.numbers)) == ("registration_not_open", {"days": 4})
    assert early.message == "registration opens with nominations on 2013-07-05; today is 2013-07-01"


def test_withdrawal_until_the_day_before_voting() -> None:
    assert check_withdrawal_allowed(date(2013, 8, 9), date(2013, 8, 8)) is None
    on_the_day = check_withdrawal_allowed(date(2013, 8, 9), date(2013, 8, 9))
    assert on_the_day is not None
    assert (on_the_day.code, dict(on_the_day.numbers)) == ("withdrawal_closed", {"days": 1})


def test_calendar_order() -> None:
    assert check_calendar(CAL, [date(2013, 8, 5), date(2013, 8, 9)]) == []
    bad = Calendar(date(2013, 7, 19), date(2013, 7, 5), date(2013, 7, 1))
    found = check_calendar(bad, [date(2013, 7, 1)])
    assert [(v.code, v.field) for v in found] == [
        ("calendar_order", "nomination_closes"),
        ("calendar_order", "registration_deadline"),
        ("calendar_order", "voting_days"),
    ]
