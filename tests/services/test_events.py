"""Election events: what create_event stores and what it refuses."""

from __future__ import annotations

from datetime import date

import pytest
from election_fixtures import (
    CALENDAR,
    CEC,
    CITY_KATO,
    NOW,
    OTHER_POST_KATO,
    POST_KATOS,
    REGION_DAY,
    REGION_KATO,
    URALSK_DAY,
    Uralsk,
)
from sqlalchemy.orm import Session

from saylau.domain.election import Calendar
from saylau.services import events, resolve
from saylau.services.audit.verify import verify_log
from saylau.services.errors import InvalidInput


def test_event_stores_inline_rules_contests_and_voting_days(
    session: Session, event_id: int
) -> None:
    view = events.show_event(session=session, event_id=event_id)
    assert view.rule_set_name == "kz-akim-2013"
    assert view.rule_set["max_rounds"] == 2
    assert view.rule_set["quorum"] == {"fraction": "1/2", "of": "members", "strict": True}
    assert view.num_contests == 4
    assert view.min_candidates == 2
    assert view.eligibility.min_age == 25
    assert view.voting_days == {CITY_KATO: URALSK_DAY, REGION_KATO: REGION_DAY}
    uralsk_contest = resolve.find_contest(session=session, event_id=event_id, ref=POST_KATOS[0])
    other_contest = resolve.find_contest(session=session, event_id=event_id, ref=OTHER_POST_KATO)
    days = events.voting_days_of(session=session, contest_ids=[uralsk_contest, other_contest])
    assert days == {uralsk_contest: URALSK_DAY, other_contest: REGION_DAY}
    assert resolve.find_event(session=session, ref="Akim elections 2013") == event_id


def test_event_creation_is_audited(session: Session, event_id: int) -> None:
    before = verify_log(session=session).num_entries
    events.create_event(
        session=session,
        principal=CEC,
        name="Repeat elections 2013",
        rules="kz-akim-2013",
        calendar=CALENDAR,
        voting_days={REGION_KATO: REGION_DAY},
        post_katos=[OTHER_POST_KATO],
        now=NOW,
    )
    report = verify_log(session=session)
    assert report.is_ok, report.first_problem
    assert report.num_entries == before + 1 + 1  # the event and its one contest


def _create(session: Session, **changes: object) -> int:
    args: dict[str, object] = {
        "session": session,
        "principal": CEC,
        "name": "Akim elections 2013",
        "rules": "kz-akim-2013",
        "calendar": CALENDAR,
        "voting_days": {REGION_KATO: REGION_DAY},
        "post_katos": list(POST_KATOS),
        "now": NOW,
    }
    return events.create_event(**(args | changes))  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"rules": "kz-akim-2099"}, "bad_rule_set"),
        ({"rules": {"quorum": None}}, "bad_rule_set"),
        ({"post_katos": ["999999999"]}, "unknown_kato"),
        ({"voting_days": {REGION_KATO: REGION_DAY, "888888888": REGION_DAY}}, "unknown_kato"),
        ({"voting_days": {REGION_KATO: date(2013, 7, 20)}}, "calendar_order"),
        (
            {"calendar": Calendar(date(2013, 7, 19), date(2013, 7, 5), date(2013, 7, 24))},
            "calendar_order",
        ),
        ({"min_candidates": 0}, "bad_minimum"),
        ({"post_katos": []}, "no_posts"),
        (
            {"voting_days": {CITY_KATO: URALSK_DAY}, "post_katos": [OTHER_POST_KATO]},
            "no_voting_day",
        ),
    ],
)
def test_event_refusals_name_the_problem(
    session: Session, uralsk: Uralsk, changes: dict[str, object], code: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(session, **changes)
    assert code in {p.code for p in refused.value.problems}
    assert events.list_events(session=session) == []


def test_event_names_are_unique(session: Session, event_id: int) -> None:
    with pytest.raises(InvalidInput) as refused:
        _create(session)
    assert [p.code for p in refused.value.problems] == ["duplicate_event"]
    assert len(events.list_events(session=session)) == 1
