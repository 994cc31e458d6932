"""The calendar of a repeat election: a new nomination window and registration deadline
counted back from its voting day, which must lie in the window the procedure allows after the
failed vote (procedures/*.json cite the source and state saylau's reading)."""

from __future__ import annotations

from datetime import date, timedelta

from saylau.domain.election import Calendar
from saylau.rules.procedure import RepeatElectionRules
from saylau.rules.protocol import Violation, violation


def repeat_calendar(rules: RepeatElectionRules, voting_day: date) -> Calendar:
    """Nominations open and close, and registration ends, so many days before voting."""
    return Calendar(
        nomination_opens=voting_day - timedelta(days=rules.nomination_opens_days_before),
        nomination_closes=voting_day - timedelta(days=rules.nomination_closes_days_before),
        registration_deadline=voting_day - timedelta(days=rules.registration_closes_days_before),
    )


def check_repeat_day(
    rules: RepeatElectionRules, failed_on: date, voting_day: date, called_on: date
) -> list[Violation]:
    """The repeat voting day lies `min`…`max` days after the failed vote (both included), and
    the election is called before its nomination window opens."""
    found: list[Violation] = []
    gap = (voting_day - failed_on).days
    if not rules.min_days_after_failure <= gap <= rules.max_days_after_failure:
        found.append(
            violation(
                "repeat_day_out_of_range",
                f"the repeat voting day {voting_day.isoformat()} is {gap} days after the failed"
                f" vote of {failed_on.isoformat()}; the rules allow"
                f" {rules.min_days_after_failure} to {rules.max_days_after_failure}",
                "on",
                days=gap,
                min_days=rules.min_days_after_failure,
                max_days=rules.max_days_after_failure,
            )
        )
    opens = repeat_calendar(rules, voting_day).nomination_opens
    if called_on >= opens:
        found.append(
            violation(
                "called_too_late",
                f"called on {called_on.isoformat()}, but its nominations open on"
                f" {opens.isoformat()}: call it before",
                "called_on",
                days=(called_on - opens).days + 1,
            )
        )
    return found
