"""The sitting's life on its page: a deputy leaving and arriving, an adjournment (refused
without its reason), resuming, and a close refused while rounds are undecided."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from staff_scenario import Meeting, csrf_of, sign_in

from saylau.db.engine import make_engine, make_session_factory
from saylau.services.audit.verify import verify_log


def _post(client: TestClient, url: str, page: str, **data: object) -> object:
    return client.post(
        url, data={"csrf_token": csrf_of(client, page), **data}, follow_redirects=False
    )


def test_deputies_come_and_go_and_the_meeting_adjourns_and_resumes(
    staff_client: TestClient, meeting: Meeting, migrated_database_url: str
) -> None:
    c = staff_client
    sitting = f"/staff/sittings/{meeting.sitting_id}"
    sign_in(c, "secretary")
    ids = re.findall(r'name="present" value="(\d+)"', c.get(sitting).text)
    opened = _post(c, sitting + "/attendance", sitting, present=ids[:17], then="open")
    assert opened.status_code == 303, opened.text  # type: ignore[attr-defined]
    page = c.get(sitting + "?lang=en").text
    assert "17 of 19 deputies present" in page
    assert f'name="arrive" value="{ids[17]}"' in page and f'name="leave" value="{ids[0]}"' in page

    left = _post(c, sitting + "/movements", sitting, leave=ids[0])
    assert left.status_code == 303  # type: ignore[attr-defined]
    arrived = _post(c, sitting + "/movements", sitting, arrive=ids[17])
    assert arrived.status_code == 303  # type: ignore[attr-defined]
    page = c.get(sitting + "?lang=en").text
    assert "17 of 19 deputies present" in page
    assert re.search(r"Contest \d+, round 1: 17 ballots issued", page)
    assert f'name="arrive" value="{ids[0]}"' in page and f'name="leave" value="{ids[17]}"' in page
    twice = _post(c, sitting + "/movements", sitting, arrive=ids[0])
    assert twice.status_code == 303  # type: ignore[attr-defined]
    again = _post(c, sitting + "/movements", sitting, arrive=ids[0])
    assert again.status_code == 409 and "present already" in again.text  # type: ignore[attr-defined]

    no_reason = _post(c, sitting + "/adjourn", sitting, reason=" ")
    assert no_reason.status_code == 422  # type: ignore[attr-defined]
    assert 'id="reason-error"' in no_reason.text  # type: ignore[attr-defined]
    adjourned = _post(c, sitting + "/adjourn", sitting, reason="A break for the count")
    assert adjourned.status_code == 303  # type: ignore[attr-defined]
    page = c.get(sitting + "?lang=en").text
    assert "Resume the meeting" in page and "Adjourn the meeting" not in page
    resumed = _post(c, sitting + "/resume", sitting)
    assert resumed.status_code == 303  # type: ignore[attr-defined]
    assert "Adjourn the meeting" in c.get(sitting + "?lang=en").text

    # Every contest's first round is still to be voted: the meeting does not close.
    closing = _post(c, sitting + "/close", sitting)
    assert closing.status_code == 409  # type: ignore[attr-defined]
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        report = verify_log(session=session)
    engine.dispose()
    assert report.is_ok, report.first_problem
