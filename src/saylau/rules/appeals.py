"""The deadline for deciding an appeal (Constitutional Law "On elections", Art. 20 as read in
procedures/*.json): five days during the campaign; at once when it arrives less than five days
before voting day or on voting day."""

from __future__ import annotations

from datetime import date, timedelta

from saylau.rules.procedure import AppealRules


def is_at_once(rules: AppealRules, filed_on: date, voting_day: date) -> bool:
    """Arrived 0…at_once_within_days−1 days before voting day (voting day itself included)."""
    return 0 <= (voting_day - filed_on).days < rules.at_once_within_days


def decision_deadline(rules: AppealRules, filed_on: date, voting_day: date) -> date:
    """The last day on which the appeal may be decided: the day it arrives when it must be
    decided at once, else `decision_days` after it arrives."""
    if is_at_once(rules, filed_on, voting_day):
        return filed_on
    return filed_on + timedelta(days=rules.decision_days)


def is_overdue(deadline: date, on: date, *, is_decided: bool) -> bool:
    """Undecided after its deadline's day has passed."""
    return not is_decided and on > deadline
