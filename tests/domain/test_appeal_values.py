"""The stored values of appeals and repeat elections never change."""

from __future__ import annotations

from datetime import date

from saylau.domain.appeals import (
    Appeal,
    AppealId,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    RepeatReason,
)
from saylau.rules.decide import FailureReason


def test_stored_values_are_stable() -> None:
    assert [s.value for s in AppealSubject] == ["registration", "refusal", "sitting", "protocol"]
    assert [k.value for k in AuthorityKind] == ["commission", "court"]
    assert [o.value for o in AppealOutcome] == [
        "upheld",
        "rejected",
        "left_without_consideration",
    ]
    assert [r.value for r in RepeatReason] == [
        "no_quorum",
        "no_majority",
        "tie",
        "against_all",
        "too_few_candidates",
    ]


def test_every_failure_of_the_rules_engine_is_a_repeat_reason() -> None:
    assert {f.value for f in FailureReason} <= {r.value for r in RepeatReason}


def test_an_appeal_is_overdue_from_the_day_after_its_deadline_until_decided() -> None:
    pending = Appeal(
        AppealId(1), 1, 1, AppealSubject.REFUSAL, 10, "Nominee 10", date(2013, 7, 23),
        AuthorityKind.COMMISSION, "regional commission", "consent", date(2013, 8, 9),
        date(2013, 7, 28), False, None, None, None, None,
    )  # fmt: skip
    assert not pending.is_overdue(date(2013, 7, 28))
    assert pending.is_overdue(date(2013, 7, 29))
