"""The workspace tells a refusal in the page's language, through saylau.i18n.problems as the CLI
does (docs/i18n.md#refusals): under its field, above the form, on the workspace's error page.
The staff API's JSON refusals are the services' English whatever the language."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from staff_scenario import PASSWORD, Meeting, csrf_of, sign_in

DERKUL = "271033000"
SECRETARY = ("secretary", PASSWORD)

# The catalogs' words for what is refused below.
NO_REASON = {"ru": "нужно основание", "kk": "негіздеме қажет"}
CAST_NOT_SUM = {
    "ru": "бюллетеней в урне 19 ≠ недействительных 0 + пустых 0 + против всех 0 + рассеянных 0"
    " + голосов 18",
    "kk": "жәшіктегі бюллетеньдер 19 ≠ жарамсыз 0 + бос 0 + бәріне қарсы 0 + шашыраңқы 0 +"
    " дауыстар 18",
}
NO_CONTEST = {"ru": "нет такого округа", "kk": "мұндай округ жоқ"}


def _error_of(page: str, id_: str) -> str:
    """The first message of the list of refusals `id_` (under a field)."""
    start = page.index(f'id="{id_}"')
    return page[page.index("<li>", start) + 4 : page.index("</li>", start)]


def _open(client: TestClient, meeting: Meeting) -> None:
    sitting = f"/api/v1/staff/sittings/{meeting.sitting_id}"
    electors = client.get(sitting, auth=SECRETARY).json()["electors"]
    client.post(
        sitting + "/attendance",
        json={"present": [e["deputy_id"] for e in electors]},
        auth=SECRETARY,
    )
    assert client.post(sitting + "/open", auth=SECRETARY).status_code == 200


@pytest.mark.parametrize("lang", ["ru", "kk"])
def test_a_refusal_is_told_in_the_page_language(
    staff_client: TestClient, meeting: Meeting, lang: str
) -> None:
    c = staff_client
    _open(c, meeting)
    sign_in(c, "secretary")
    sitting = f"/staff/sittings/{meeting.sitting_id}"
    no_reason = c.post(
        f"{sitting}/adjourn?lang={lang}", data={"csrf_token": csrf_of(c, sitting), "reason": " "}
    )
    assert (no_reason.status_code, no_reason.headers["content-language"]) == (422, lang)
    assert _error_of(no_reason.text, "reason-error") == NO_REASON[lang]
    assert "an adjournment needs its reason" not in no_reason.text

    # A protocol breaking a control relation: kept as a rejected draft, its violation told
    # from its numbers.
    url = f"/staff/contests/{meeting.contests[DERKUL]}/rounds/1/protocol"
    n = meeting.nominations
    form = {
        "csrf_token": csrf_of(c, url),
        "ballots_received": "19",
        "ballots_cast": "19",
        f"vote_{n['Candidate 1']}": "11",
        f"vote_{n['Candidate 2']}": "7",
    }
    rejected = c.post(f"{url}?lang={lang}", data=form)
    assert rejected.status_code == 422
    assert f"<li>{CAST_NOT_SUM[lang]}</li>" in rejected.text
    # The live check says the same.
    checked = c.post(
        f"/staff/contests/{meeting.contests[DERKUL]}/rounds/1/check?lang={lang}", data=form
    )
    assert f"<li>{CAST_NOT_SUM[lang]}</li>" in checked.text

    missing = c.get(f"/staff/contests/999999?lang={lang}")
    assert missing.status_code == 404
    assert f"<p>{NO_CONTEST[lang]}</p>" in missing.text
    assert "no contest 999999" not in missing.text


def test_in_english_the_workspace_shows_the_service_message(
    staff_client: TestClient, meeting: Meeting
) -> None:
    _open(staff_client, meeting)
    sign_in(staff_client, "secretary")
    sitting = f"/staff/sittings/{meeting.sitting_id}"
    data = {"csrf_token": csrf_of(staff_client, sitting), "reason": " "}
    no_reason = staff_client.post(f"{sitting}/adjourn?lang=en", data=data)
    assert _error_of(no_reason.text, "reason-error") == "an adjournment needs its reason"


def test_the_api_refusal_does_not_change_with_the_language(
    staff_client: TestClient, meeting: Meeting
) -> None:
    url = f"/api/v1/staff/nominations/{meeting.nominations['Candidate 1']}/refuse"
    english = staff_client.post(url, json={"reason": " "}, auth=SECRETARY)
    assert english.status_code == 409
    assert english.json()["message"] == "3 problem(s): nobody refused"
    assert [(p["code"], p["message"]) for p in english.json()["problems"]] == [
        ("already_decided", "candidate is already registered"),
        ("registration_closed", english.json()["problems"][1]["message"]),
        ("no_reason", "a refusal needs its reason"),
    ]
    for lang in ("ru", "kk"):
        again = staff_client.post(
            f"{url}?lang={lang}",
            json={"reason": " "},
            auth=SECRETARY,
            headers={"Accept-Language": lang},
        )
        assert (again.status_code, again.json()) == (409, english.json())
