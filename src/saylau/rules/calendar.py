"""Deadlines of an election event: when nominations, registration and withdrawal are allowed.

Days are calendar days in the event's own time zone; `on` is passed in (rules read no clock).
2013: nominations in July, registration closed on 24 July, voting 5–9 August.
"""

from __future__ import annotations

from datetime import date

from saylau.domain.election import Calendar
from saylau.rules.protocol import Violation, violation


def _outside(
    on: date, opens: date, closes: date, *, early: tuple[str, str], late: tuple[str, str]
) -> Violation | None:
    """`on` before `opens` or after `closes` (both included): (code, message) of each side."""
    today = f"; today is {on.isoformat()}"
    if on < opens:
        return violation(early[0], early[1] + today, "on", days=(opens - on).days)
    if on > closes:
        return violation(late[0], late[1] + today, "on", days=(on - closes).days)
    return None


def check_nomination_open(calendar: Calendar, on: date) -> Violation | None:
    """Nominations are accepted from `nomination_opens` to `nomination_closes`, both included."""
    opens, closes = calendar.nomination_opens, calendar.nomination_closes
    return _outside(
        on,
        opens,
        closes,
        early=("nomination_not_open", f"nominations open on {opens.isoformat()}"),
        late=("nomination_closed", f"nominations closed on {closes.isoformat()}"),
    )


def check_registration_open(calendar: Calendar, on: date) -> Violation | None:
    """Registration decisions (register or refuse) are taken up to the deadline, included."""
    opens, deadline = calendar.nomination_opens, calendar.registration_deadline
    return _outside(
        on,
        opens,
        deadline,
        early=(
            "registration_not_open",
            f"registration opens with nominations on {opens.isoformat()}",
        ),
        late=("registration_closed", f"registration closed on {deadline.isoformat()}"),
    )


def check_withdrawal_allowed(voting_day: date, on: date) -> Violation | None:
    """A candidate may withdraw up to the day before voting day."""
    if on < voting_day:
        return None
    return violation(
        "withdrawal_closed",
        f"withdrawal is possible until the day before voting day {voting_day.isoformat()};"
        f" today is {on.isoformat()}",
        "on",
        days=(on - voting_day).days + 1,
    )


def check_calendar(calendar: Calendar, voting_days: list[date]) -> list[Violation]:
    """The dates of an event are in order: opens ≤ closes ≤ registration deadline < voting."""
    found: list[Violation] = []
    if calendar.nomination_closes < calendar.nomination_opens:
        found.append(
            violation(
                "calendar_order",
                f"nominations close {calendar.nomination_closes.isoformat()} before they open"
                f" {calendar.nomination_opens.isoformat()}",
                "nomination_closes",
                days=(calendar.nomination_opens - calendar.nomination_closes).days,
            )
        )
    if calendar.registration_deadline < calendar.nomination_closes:
        found.append(
            violation(
                "calendar_order",
                f"registration deadline {calendar.registration_deadline.isoformat()} is before"
                f" nominations close {calendar.nomination_closes.isoformat()}",
                "registration_deadline",
                days=(calendar.nomination_closes - calendar.registration_deadline).days,
            )
        )
    for day in voting_days:
        if day <= calendar.registration_deadline:
            found.append(
                violation(
                    "calendar_order",
                    f"voting day {day.isoformat()} is not after the registration deadline"
                    f" {calendar.registration_deadline.isoformat()}",
                    "voting_days",
                    days=(calendar.registration_deadline - day).days + 1,
                )
            )
    return found
