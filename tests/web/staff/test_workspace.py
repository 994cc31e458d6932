"""The workspace through its forms, without JavaScript: a whole meeting of electors with a repeat
voting and a lot, refusals next to their fields, and the reach of each role."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from staff_scenario import Meeting, csrf_of, sign_in

from saylau.db.engine import make_engine, make_session_factory
from saylau.services.audit.verify import verify_log

DERKUL, ZACHAGANSK, KRUGLOOZERNY = "271033000", "271035000", "271037000"


def _post(client: TestClient, url: str, page: str, **data: object) -> object:
    return client.post(
        url, data={"csrf_token": csrf_of(client, page), **data}, follow_redirects=False
    )


def _counts(votes: dict[int, int], *, present: int = 17, blank: int = 0) -> dict[str, object]:
    return {
        "members": 19,
        "present": present,
        "ballots_received": 19,
        "ballots_issued": present,
        "ballots_unused": 19 - present,
        "ballots_cast": present,
        "blank": blank,
        **{f"vote_{n}": v for n, v in votes.items()},
    }


def test_a_meeting_from_the_roll_to_publication(
    staff_client: TestClient, meeting: Meeting, migrated_database_url: str
) -> None:
    c = staff_client
    n = meeting.nominations
    sitting = f"/staff/sittings/{meeting.sitting_id}"
    sign_in(c, "secretary")
    roll = c.get(sitting + "?lang=en")
    assert roll.status_code == 200 and "19 of 19 deputies present" in roll.text
    ids = re.findall(r'name="present" value="(\d+)"', roll.text)
    assert len(ids) == 19
    quorum = c.get(sitting + "/quorum", params=[("present", i) for i in ids[:9]])
    assert "9 of 19 deputies present" in quorum.text and "No quorum: at least 10" in quorum.text
    opened = c.post(
        sitting + "/attendance",
        data={"csrf_token": csrf_of(c, sitting), "present": ids[:17], "then": "open"},
        follow_redirects=False,
    )
    assert opened.status_code == 303, opened.text
    assert "Open" in c.get(sitting + "?lang=en").text

    contest = f"/staff/contests/{meeting.contests[KRUGLOOZERNY]}"
    form = c.get(contest + "/rounds/1/protocol?lang=en")
    assert 'name="members" value="19"' in form.text and 'name="present" value="17"' in form.text
    assert 'name="ballots_issued" value="17"' in form.text
    check = c.post(
        contest + "/rounds/1/check?lang=en",
        data={
            "csrf_token": csrf_of(c, contest),
            **_counts({n["Candidate 7"]: 7, n["Candidate 8"]: 6, n["Candidate 9"]: 3}),
        },
    )
    assert "ballots cast 17" in check.text and "= 16" in check.text
    # A count that breaks a relation is kept as a rejected draft, shown at its field.
    bad = _post(
        c,
        contest + "/rounds/1/protocol?lang=en",
        contest,
        **_counts({n["Candidate 7"]: 7, n["Candidate 8"]: 6, n["Candidate 9"]: 3}),
    )
    assert bad.status_code == 422
    assert 'id="f-ballots_cast-error"' in bad.text and "ballots cast 17" in bad.text
    good = _post(
        c,
        contest + "/rounds/1/protocol",
        contest,
        **_counts({n["Candidate 7"]: 7, n["Candidate 8"]: 6, n["Candidate 9"]: 4}),
    )
    assert good.status_code == 303
    page = c.get(contest + "?lang=en").text
    assert "Repeat voting between Candidate 7, Candidate 8" in page
    tie = _post(
        c,
        contest + "/rounds/2/protocol",
        contest,
        **_counts({n["Candidate 7"]: 8, n["Candidate 8"]: 8}, blank=1),
    )
    assert tie.status_code == 303
    page = c.get(contest + "?lang=en").text
    assert "Lots must be drawn between Candidate 7, Candidate 8" in page
    protocol_id = re.search(r"/staff/protocols/(\d+)/lot", page).group(1)
    short = _post(c, f"/staff/protocols/{protocol_id}/lot?lang=en", contest, seed="123")
    assert short.status_code == 422 and 'id="seed-' in short.text
    drawn = _post(
        c, f"/staff/protocols/{protocol_id}/lot", contest, seed="20130809000000000000000042"
    )
    assert drawn.status_code == 303, drawn.text
    page = c.get(contest + "?lang=en").text
    assert "by lot" in page
    signed = [
        _post(c, f"/staff/protocols/{p}/sign", contest)
        for p in re.findall(r"/staff/protocols/(\d+)/sign", page)
    ]
    assert [s.status_code for s in signed] == [303, 303]
    # A secretary may not publish: the form is not offered, and the act is refused.
    page = c.get(contest + "?lang=en").text
    assert "/publish" not in page
    refused = _post(c, f"/staff/protocols/{protocol_id}/publish?lang=en", contest)
    assert refused.status_code == 403 and "may not protocol.publish" in refused.text

    c.cookies.clear()
    sign_in(c, "chair")
    page = c.get(contest + "?lang=en").text
    for p in re.findall(r"/staff/protocols/(\d+)/publish", page):
        assert _post(c, f"/staff/protocols/{p}/publish", contest).status_code == 303
    page = c.get(contest + "?lang=en").text
    assert re.search(r"<strong>Elected</strong>: Candidate [78]", page)
    # Every act went through a service with its audit entry: the log verifies.
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        report = verify_log(session=session)
    engine.dispose()
    assert report.is_ok, report.first_problem


def test_a_regional_user_cannot_open_another_regions_contest(
    staff_client: TestClient, meeting: Meeting
) -> None:
    contest = f"/staff/contests/{meeting.contests[DERKUL]}"
    sign_in(staff_client, "other-regional")
    assert staff_client.get(contest).status_code == 404
    assert staff_client.get(f"/staff/sittings/{meeting.sitting_id}").status_code == 404
    assert staff_client.get(f"/api/v1/staff/contests/{meeting.contests[DERKUL]}").status_code == 404
    assert "Derkul" not in staff_client.get("/staff").text
    staff_client.cookies.clear()
    sign_in(staff_client, "regional")
    assert staff_client.get(contest).status_code == 200


def test_a_logged_out_visitor_cannot_see_an_unpublished_result(
    staff_client: TestClient, meeting: Meeting
) -> None:
    contest = f"/staff/contests/{meeting.contests[DERKUL]}"
    assert staff_client.get(contest, follow_redirects=False).status_code == 303
    assert staff_client.get(f"/api/v1/staff/contests/{meeting.contests[DERKUL]}").status_code == 401
    assert "Candidate 1" not in staff_client.get("/").text
