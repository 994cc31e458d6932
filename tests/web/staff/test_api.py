"""The staff API: HTTP Basic for scripts, the session cookie with the CSRF header, refusals as
JSON with their problems, the OpenAPI document."""

from __future__ import annotations

from fastapi.testclient import TestClient
from staff_scenario import PASSWORD, Meeting, csrf_of, sign_in

KRUGLOOZERNY = "271037000"


def _counts(votes: dict[int, int], *, blank: int = 0) -> dict[str, object]:
    return {
        "members": 19,
        "present": 17,
        "ballots_received": 19,
        "ballots_issued": 17,
        "ballots_unused": 2,
        "ballots_cast": 17,
        "blank": blank,
        "votes": {str(n): v for n, v in votes.items()},
    }


def test_a_script_runs_the_meeting_with_http_basic(
    staff_client: TestClient, meeting: Meeting
) -> None:
    auth = ("secretary", PASSWORD)
    c, n = staff_client, meeting.nominations
    sitting = f"/api/v1/staff/sittings/{meeting.sitting_id}"
    electors = c.get(sitting, auth=auth).json()["electors"]
    present = [e["deputy_id"] for e in electors[:17]]
    assert c.post(sitting + "/attendance", json={"present": present}, auth=auth).status_code == 200
    opened = c.post(sitting + "/open", auth=auth).json()
    assert opened["sitting"]["status"] == "open"
    assert opened["quorum"] == {"members": 19, "present": 17, "needed": 10, "met": True}
    contest = meeting.contests[KRUGLOOZERNY]
    url = f"/api/v1/staff/contests/{contest}/rounds"
    checked = c.post(
        "/api/v1/staff/protocols/check",
        json=_counts({n["Candidate 7"]: 9, n["Candidate 8"]: 7}),
        auth=auth,
    ).json()
    assert [v["code"] for v in checked["violations"]] == ["cast_not_sum"]
    first = c.post(
        url + "/1/protocol",
        auth=auth,
        json=_counts({n["Candidate 7"]: 7, n["Candidate 8"]: 6, n["Candidate 9"]: 4}),
    )
    assert first.status_code == 200
    assert first.json()["decision"]["kind"] == "next_round"
    tie = c.post(
        url + "/2/protocol",
        auth=auth,
        json=_counts({n["Candidate 7"]: 8, n["Candidate 8"]: 8}, blank=1),
    ).json()
    assert tie["decision"]["kind"] == "lot_required"
    drawn = c.post(
        f"/api/v1/staff/protocols/{tie['protocol_id']}/lot",
        auth=auth,
        json={"seed": "20130809000000000000000042"},
    )
    assert drawn.status_code == 200 and drawn.json()["decision"]["kind"] == "elected"
    signed = c.post(f"/api/v1/staff/protocols/{tie['protocol_id']}/sign", auth=auth)
    assert signed.status_code == 200 and signed.json()["signed_at"]
    refused = c.post(f"/api/v1/staff/protocols/{tie['protocol_id']}/publish", auth=auth)
    assert refused.status_code == 403
    assert refused.json()["problems"][0]["code"] == "forbidden"
    published = c.post(
        f"/api/v1/staff/protocols/{tie['protocol_id']}/publish", auth=("chair", PASSWORD)
    )
    assert published.status_code == 200 and published.json()["published_at"]
    page = c.get(f"/api/v1/staff/contests/{contest}", auth=auth).json()
    assert page["staff"]["detail"]["contest"]["status"] == "elected"


def test_malformed_counts_are_422_with_the_field(
    staff_client: TestClient, meeting: Meeting
) -> None:
    contest = meeting.contests[KRUGLOOZERNY]
    response = staff_client.post(
        f"/api/v1/staff/contests/{contest}/rounds/1/protocol",
        json={"members": -1, "present": 17},
        auth=("secretary", PASSWORD),
    )
    assert response.status_code == 422
    wheres = {p["where"] for p in response.json()["problems"]}
    assert "protocol.members" in wheres and "protocol.ballots_cast" in wheres


def test_a_cookie_session_must_send_the_csrf_header(
    staff_client: TestClient, meeting: Meeting
) -> None:
    sign_in(staff_client, "secretary")
    url = f"/api/v1/staff/sittings/{meeting.sitting_id}/open"
    assert staff_client.post(url).status_code == 403
    token = csrf_of(staff_client, "/staff")
    # With the token the act reaches the service, which refuses: the roll is not recorded.
    response = staff_client.post(url, headers={"X-CSRF-Token": token})
    assert response.status_code == 409
    assert response.json()["error"] == "refused"


def test_without_credentials_the_api_says_401_with_a_basic_challenge(
    staff_client: TestClient, meeting: Meeting
) -> None:
    response = staff_client.get("/api/v1/staff/contests")
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Basic")
    assert staff_client.get("/api/v1/staff/contests", auth=("chair", "wrong")).status_code == 401


def test_the_staff_api_is_in_the_openapi_document(staff_client: TestClient) -> None:
    paths = staff_client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/api/v1/staff/contests/{contest_id}/rounds/{round_no}/protocol",
        "/api/v1/staff/protocols/{protocol_id}/lot",
        "/api/v1/staff/sittings/{sitting_id}/attendance",
        "/api/v1/staff/appeals/{appeal_id}/decide",
        "/api/v1/staff/dashboard",
    ):
        assert path in paths


def test_http_basic_is_rate_limited_too(staff_client: TestClient, meeting: Meeting) -> None:
    for _ in range(6):
        response = staff_client.get("/api/v1/staff/contests", auth=("member", "wrong password"))
        assert response.status_code == 401
    locked = staff_client.get("/api/v1/staff/contests", auth=("member", PASSWORD))
    assert locked.status_code == 401 and "too many failed sign-ins" in locked.json()["message"]
