"""A correction on the web names the protocol's own contest and round, as a correction file
does on the command line: the form and the staff API read it with rules/schemas.py's
read_correction_item and the service refuses another contest or round (`other_round`). The
form tells a refusal in the page's language; the API's JSON stays the services' English."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient
from staff_scenario import PASSWORD, Meeting, csrf_of, sign_in

DERKUL = "271033000"
KRUGLOOZERNY = "271037000"
SECRETARY = ("secretary", PASSWORD)


def _accepted(client: TestClient, meeting: Meeting) -> int:
    """Derkul's round 1 accepted (12 to 7 of 19 present): the protocol's id."""
    sitting = f"/api/v1/staff/sittings/{meeting.sitting_id}"
    electors = client.get(sitting, auth=SECRETARY).json()["electors"]
    client.post(
        sitting + "/attendance",
        json={"present": [e["deputy_id"] for e in electors]},
        auth=SECRETARY,
    )
    assert client.post(sitting + "/open", auth=SECRETARY).status_code == 200
    done = client.post(
        f"/api/v1/staff/contests/{meeting.contests[DERKUL]}/rounds/1/protocol",
        json=_counts(meeting, 12, 7),
        auth=SECRETARY,
    )
    assert done.status_code == 200 and done.json()["status"] == "accepted", done.text
    protocol_id: int = done.json()["protocol_id"]
    return protocol_id


def _counts(meeting: Meeting, first: int, second: int) -> dict[str, Any]:
    n = meeting.nominations
    return {
        "members": 19,
        "present": 19,
        "ballots_received": 19,
        "ballots_issued": 19,
        "ballots_cast": 19,
        "votes": {str(n["Candidate 1"]): first, str(n["Candidate 2"]): second},
    }


def _form(client: TestClient, meeting: Meeting, url: str, **named: str) -> dict[str, str]:
    n = meeting.nominations
    return {
        "csrf_token": csrf_of(client, url),
        "members": "19",
        "present": "19",
        "ballots_received": "19",
        "ballots_issued": "19",
        "ballots_cast": "19",
        f"vote_{n['Candidate 1']}": "11",
        f"vote_{n['Candidate 2']}": "8",
        "reason": "recount",
        **named,
    }


def _error_of(page: str, field: str) -> str:
    """The text of the refusal shown under a form field."""
    start = page.index(f'id="f-{field}-error"')
    return page[page.index("<li>", start) + 4 : page.index("</li>", start)]


def test_the_form_refuses_another_contest_or_round_next_to_its_field(
    staff_client: TestClient, meeting: Meeting
) -> None:
    pid = _accepted(staff_client, meeting)
    own = meeting.contests[DERKUL]
    sign_in(staff_client, "secretary")
    url = f"/staff/protocols/{pid}/correct"
    shown = staff_client.get(url + "?lang=en").text
    assert f'name="contest" value="{DERKUL}" readonly' in shown
    assert 'name="round" value="1" readonly' in shown

    other = staff_client.post(url, data=_form(staff_client, meeting, url, contest=KRUGLOOZERNY))
    assert other.status_code == 409
    assert 'aria-describedby="f-contest-error"' in other.text
    assert _error_of(other.text, "contest") == (
        f"the correction names contest {KRUGLOOZERNY}, but protocol {pid} is the protocol of"
        f" contest {own} ({DERKUL}) round 1"
    )
    later = staff_client.post(url, data=_form(staff_client, meeting, url, round="2"))
    assert later.status_code == 409
    assert _error_of(later.text, "round") == (
        f"the correction names round 2, but protocol {pid} is the protocol of contest {own}"
        f" ({DERKUL}) round 1"
    )
    malformed = staff_client.post(url, data=_form(staff_client, meeting, url, contest="Derkul"))
    assert malformed.status_code == 422
    assert "expected a contest id or the post" in _error_of(malformed.text, "contest")
    # Nothing was stored: the protocol is still the accepted version.
    contest_page = staff_client.get(f"/staff/contests/{own}?lang=en").text
    assert "Superseded by a correction" not in contest_page

    # Its own contest (here by id; the form shows the post's KATO) and round: stored.
    form = _form(staff_client, meeting, url, contest=str(own), round="1")
    done = staff_client.post(url, data=form, follow_redirects=False)
    assert done.status_code == 303, done.text
    contest_page = staff_client.get(f"/staff/contests/{own}?lang=en").text
    assert "correction: recount" in contest_page and "Superseded by a correction" in contest_page


# other_round's template in each catalog, filled with the protocol's contest and round.
OTHER_ROUND = {
    "ru": "исправление называет другие выборы или тур: это протокол выборов {c}, тур 1",
    "kk": "түзету басқа сайлауды немесе турды атайды: бұл хаттама {c} сайлауының 1-турінің"
    " хаттамасы",
}


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_the_form_tells_a_refusal_in_the_page_language(
    staff_client: TestClient, meeting: Meeting, lang: str
) -> None:
    pid = _accepted(staff_client, meeting)
    sign_in(staff_client, "secretary")
    url = f"/staff/protocols/{pid}/correct"
    data = _form(staff_client, meeting, url, contest=KRUGLOOZERNY)
    refused = staff_client.post(f"{url}?lang={lang}", data=data)
    assert refused.status_code == 409
    assert refused.headers["content-language"] == lang
    expected = OTHER_ROUND[lang].format(c=meeting.contests[DERKUL])
    assert _error_of(refused.text, "contest") == expected
    assert "the correction names" not in refused.text


def test_the_api_refuses_another_contest_or_round_in_english_whatever_the_language(
    staff_client: TestClient, meeting: Meeting
) -> None:
    pid = _accepted(staff_client, meeting)
    own = meeting.contests[DERKUL]
    url = f"/api/v1/staff/protocols/{pid}/correct"
    body = {"reason": "recount", "protocol": _counts(meeting, 11, 8) | {"contest": KRUGLOOZERNY}}
    refused = staff_client.post(url, json=body, auth=SECRETARY)
    message = (
        f"the correction names contest {KRUGLOOZERNY}, but protocol {pid} is the protocol of"
        f" contest {own} ({DERKUL}) round 1"
    )
    assert refused.status_code == 409
    assert refused.json() == {
        "error": "refused",
        "message": message,
        "problems": [
            {
                "code": "other_round",
                "where": "contest",
                "message": message,
                "numbers": {"contest": own, "round": 1},
            }
        ],
    }
    for lang in ("ru", "kk"):
        again = staff_client.post(
            f"{url}?lang={lang}", json=body, auth=SECRETARY, headers={"Accept-Language": lang}
        )
        assert (again.status_code, again.json()) == (409, refused.json())

    later = body | {"protocol": _counts(meeting, 11, 8) | {"round": 2}}
    round_refused = staff_client.post(url, json=later, auth=SECRETARY)
    assert round_refused.status_code == 409
    assert [(p["code"], p["where"]) for p in round_refused.json()["problems"]] == [
        ("other_round", "round")
    ]
    malformed = body | {"protocol": _counts(meeting, 11, 8) | {"contest": "Derkul"}}
    bad = staff_client.post(url, json=malformed, auth=SECRETARY)
    assert bad.status_code == 422
    assert [p["where"] for p in bad.json()["problems"]] == ["protocol.contest"]

    mine = body | {"protocol": _counts(meeting, 11, 8) | {"contest": DERKUL, "round": 1}}
    done = staff_client.post(url, json=mine, auth=SECRETARY)
    assert done.status_code == 200, done.text
    assert (done.json()["status"], done.json()["version"]) == ("accepted", 2)
