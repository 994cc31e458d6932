"""Appeal deadlines and repeat-election calendars from the shipped procedure data."""

from __future__ import annotations

from datetime import date

import pytest

from saylau.rules.appeals import decision_deadline, is_at_once, is_overdue
from saylau.rules.procedure import procedure_for
from saylau.rules.repeat_elections import check_repeat_day, repeat_calendar

KZ = procedure_for("kz-akim-2013")
VOTING = date(2013, 8, 9)


def test_the_kazakh_procedure_applies_to_its_rule_set_only() -> None:
    assert KZ is not None
    assert (KZ.appeals.decision_days, KZ.appeals.at_once_within_days) == (5, 5)
    assert "Art. 20" in KZ.appeals.source
    assert procedure_for("de-bundesversammlung") is None
    assert procedure_for(None) is None


@pytest.mark.parametrize(
    ("filed", "deadline", "at_once"),
    [
        (date(2013, 7, 20), date(2013, 7, 25), False),  # campaign: five days
        (date(2013, 8, 3), date(2013, 8, 8), False),  # six days before voting
        (date(2013, 8, 4), date(2013, 8, 9), False),  # exactly five days before: five days
        (date(2013, 8, 5), date(2013, 8, 5), True),  # four days before: at once
        (date(2013, 8, 8), date(2013, 8, 8), True),  # the day before
        (date(2013, 8, 9), date(2013, 8, 9), True),  # voting day itself
        (date(2013, 8, 10), date(2013, 8, 15), False),  # after voting (a protocol): five days
    ],
)
def test_deadline_five_days_or_at_once(filed: date, deadline: date, at_once: bool) -> None:
    assert KZ is not None
    assert decision_deadline(KZ.appeals, filed, VOTING) == deadline
    assert is_at_once(KZ.appeals, filed, VOTING) is at_once


def test_overdue_is_the_day_after_the_deadline_while_undecided() -> None:
    deadline = date(2013, 8, 5)
    assert not is_overdue(deadline, date(2013, 8, 5), is_decided=False)
    assert is_overdue(deadline, date(2013, 8, 6), is_decided=False)
    assert not is_overdue(deadline, date(2013, 8, 6), is_decided=True)


def test_the_repeat_calendar_of_28_august_2013() -> None:
    assert KZ is not None
    cal = repeat_calendar(KZ.repeat_election, date(2013, 8, 28))
    assert (cal.nomination_opens, cal.nomination_closes, cal.registration_deadline) == (
        date(2013, 8, 14),
        date(2013, 8, 21),
        date(2013, 8, 23),
    )


def test_the_repeat_day_window_is_15_to_60_days_after_the_failure_both_included() -> None:
    assert KZ is not None
    rules = KZ.repeat_election
    failed = date(2013, 8, 9)
    assert check_repeat_day(rules, failed, date(2013, 8, 24), date(2013, 8, 9)) == []
    too_soon = check_repeat_day(rules, failed, date(2013, 8, 23), date(2013, 8, 9))
    # 14 days: too soon, and its nominations would open on the failure day itself.
    assert [(v.code, v.numbers["days"]) for v in too_soon] == [
        ("repeat_day_out_of_range", 14),
        ("called_too_late", 1),
    ]
    assert check_repeat_day(rules, failed, date(2013, 10, 8), date(2013, 8, 9)) == []
    too_late = check_repeat_day(rules, failed, date(2013, 10, 9), date(2013, 8, 9))
    assert [(v.code, v.numbers["days"]) for v in too_late] == [("repeat_day_out_of_range", 61)]
    # Called on the day its nominations open: too late to call it.
    late_call = check_repeat_day(rules, failed, date(2013, 8, 28), date(2013, 8, 14))
    assert [(v.code, v.numbers["days"]) for v in late_call] == [("called_too_late", 1)]
    assert check_repeat_day(rules, failed, date(2013, 8, 28), date(2013, 8, 13)) == []
