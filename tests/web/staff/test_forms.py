"""The workspace's other forms: registration and refusal before the deadline, appeals, a
correction with its reason; each refusal next to its field."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from staff_scenario import Meeting, build, csrf_of, sign_in

from saylau.db.engine import make_engine, make_session_factory
from saylau.web.app import create_app

DERKUL = "271033000"


@pytest.fixture
def early_client(
    migrated_database_url: str, tmp_path: Path
) -> Iterator[tuple[TestClient, Meeting]]:
    """Nominations not yet decided; the registration deadline is five days ahead."""
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        meeting = build(session, tmp_path, date.today() + timedelta(days=10), register=False)
    engine.dispose()
    with TestClient(create_app(migrated_database_url, secret_key="k" * 32)) as client:
        yield client, meeting


def test_a_refusal_needs_a_reason_shown_at_the_reason_field(
    early_client: tuple[TestClient, Meeting],
) -> None:
    client, meeting = early_client
    sign_in(client, "chair")
    contest = f"/staff/contests/{meeting.contests[DERKUL]}"
    nomination = meeting.nominations["Candidate 1"]
    url = f"/staff/nominations/{nomination}/decide?lang=en"
    token = csrf_of(client, contest)
    refused = client.post(
        url,
        data={
            "csrf_token": token,
            "contest": meeting.contests[DERKUL],
            "action": "refuse",
            "reason": "  ",
        },
    )
    assert refused.status_code in (409, 422)
    assert f'id="reason-{nomination}-error"' in refused.text
    registered = client.post(
        url,
        data={"csrf_token": token, "contest": meeting.contests[DERKUL], "action": "register"},
        follow_redirects=False,
    )
    assert registered.status_code == 303
    page = client.get(contest + "?lang=en").text
    row = page[page.index(f'id="nomination-{nomination}"') :]
    assert "Registered" in row[: row.index("</tr>")]


@pytest.fixture
def plain_client(
    migrated_database_url: str, tmp_path: Path
) -> Iterator[tuple[TestClient, Meeting]]:
    """The meeting under the shipped kz-akim-2013, whose appeal procedure saylau knows."""
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        meeting = build(session, tmp_path, date.today(), lot=False)
    engine.dispose()
    with TestClient(create_app(migrated_database_url, secret_key="k" * 32)) as client:
        yield client, meeting


def test_an_appeal_is_registered_and_decided(plain_client: tuple[TestClient, Meeting]) -> None:
    staff_client, meeting = plain_client
    contest_id = meeting.contests[DERKUL]
    contest = f"/staff/contests/{contest_id}"
    sign_in(staff_client, "chair")
    data = {
        "subject": "registration",
        "object_id": str(meeting.nominations["Candidate 2"]),
        "appellant": "Candidate 3",
        "authority_kind": "commission",
        "authority": "West Kazakhstan regional election commission",
        "grounds": "The nominee's documents were filed late.",
    }
    missing = staff_client.post(
        contest + "/appeals?lang=en",
        data={"csrf_token": csrf_of(staff_client, contest), **data, "object_id": "x"},
    )
    assert missing.status_code == 422 and 'id="appeal-object_id-error"' in missing.text
    filed = staff_client.post(
        contest + "/appeals",
        data={"csrf_token": csrf_of(staff_client, contest), **data},
        follow_redirects=False,
    )
    assert filed.status_code == 303, filed.text
    page = staff_client.get(contest + "?lang=en").text
    assert "The nominee&#39;s documents were filed late." in page
    assert "Record the decision" not in page  # a chair may not decide an appeal
    staff_client.cookies.clear()
    sign_in(staff_client, "regional")
    appeal_id = re.search(r"/staff/appeals/(\d+)/decide", staff_client.get(contest).text).group(1)
    decided = staff_client.post(
        f"/staff/appeals/{appeal_id}/decide",
        data={
            "csrf_token": csrf_of(staff_client, contest),
            "contest": contest_id,
            "outcome": "rejected",
            "reason": "filed in time",
        },
        follow_redirects=False,
    )
    assert decided.status_code == 303, decided.text
    assert "Decision: Rejected (filed in time)" in staff_client.get(contest + "?lang=en").text


def test_a_correction_needs_its_reason(staff_client: TestClient, meeting: Meeting) -> None:
    from staff_scenario import PASSWORD

    auth = ("secretary", PASSWORD)
    sitting = f"/api/v1/staff/sittings/{meeting.sitting_id}"
    electors = staff_client.get(sitting, auth=auth).json()["electors"]
    staff_client.post(
        sitting + "/attendance", json={"present": [e["deputy_id"] for e in electors]}, auth=auth
    )
    staff_client.post(sitting + "/open", auth=auth)
    n = meeting.nominations
    counts = {
        "members": 19,
        "present": 19,
        "ballots_received": 19,
        "ballots_issued": 19,
        "ballots_cast": 19,
        "votes": {str(n["Candidate 1"]): 12, str(n["Candidate 2"]): 7},
    }
    done = staff_client.post(
        f"/api/v1/staff/contests/{meeting.contests[DERKUL]}/rounds/1/protocol",
        json=counts,
        auth=auth,
    ).json()
    sign_in(staff_client, "secretary")
    url = f"/staff/protocols/{done['protocol_id']}/correct"
    form = staff_client.get(url + "?lang=en").text
    assert f'name="vote_{n["Candidate 1"]}" value="12"' in form
    data = {
        "csrf_token": csrf_of(staff_client, url),
        "members": "19",
        "present": "19",
        "ballots_received": "19",
        "ballots_issued": "19",
        "ballots_cast": "19",
        f"vote_{n['Candidate 1']}": "11",
        f"vote_{n['Candidate 2']}": "8",
    }
    refused = staff_client.post(url + "?lang=en", data=data | {"reason": ""})
    assert refused.status_code == 422 and 'id="f-reason-error"' in refused.text
    corrected = staff_client.post(url, data=data | {"reason": "recount"}, follow_redirects=False)
    assert corrected.status_code == 303
    page = staff_client.get(f"/staff/contests/{meeting.contests[DERKUL]}?lang=en").text
    assert "correction: recount" in page and "Superseded by a correction" in page
