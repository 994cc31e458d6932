"""The public JSON API: the summary is `saylau results --public --json`'s figures, only
published results show, errors are JSON with their problems."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_fixtures import Published

from saylau.cli.main import build_app


def test_the_summary_has_the_same_figures_as_results_public_json(
    site: TestClient, published: Published
) -> None:
    summary = site.get("/api/v1/summary")
    assert summary.status_code == 200
    cli = CliRunner().invoke(build_app(), ["results", "--public", "--json", "--db", published.url])
    assert cli.exit_code == 0, cli.output
    expected = json.loads(cli.stdout)
    body = summary.json()
    assert body["figures"] == expected["figures"]
    assert (body["event_id"], body["event_name"]) == (expected["event_id"], expected["event_name"])
    f = body["figures"]
    assert (f["posts"], f["elected"], f["published"], f["repeat_voting"]) == (4, 2, 2, 1)


def test_a_contest_shows_only_published_rounds_and_versions(
    site: TestClient, published: Published
) -> None:
    ca, cb, cc = published.contests
    a = site.get(f"/api/v1/contests/{ca}").json()
    assert a["contest"]["status"] == "elected"
    assert [(v["version"], v["status"]) for v in a["versions"]] == [
        (1, "superseded"),
        (2, "accepted"),
    ]
    assert a["versions"][1]["correction_reason"].startswith("a vote for Candidate 02")
    assert a["versions"][1]["published_head"]
    assert [r["votes"][0][2] for r in a["rounds"]] == [11]
    b = site.get(f"/api/v1/contests/{cb}").json()
    assert [r["round_no"] for r in b["rounds"]] == [1, 2] and b["contest"]["margin"] == 1
    c = site.get(f"/api/v1/contests/{cc}").json()
    assert (c["contest"]["status"], c["rounds"], c["versions"]) == ("pending", [], [])


def test_an_unpublished_protocol_is_not_found(site: TestClient, published: Published) -> None:
    assert site.get(f"/api/v1/protocols/{published.b2}").status_code == 200
    hidden = site.get(f"/api/v1/protocols/{published.c1}")
    assert hidden.status_code == 404
    assert hidden.json()["problems"][0]["code"] == "unknown_protocol"


def test_errors_are_json_with_problems(site: TestClient, published: Published) -> None:
    missing = site.get("/api/v1/contests/999999")
    assert missing.status_code == 404
    assert missing.json() == {
        "error": "not_found",
        "message": "no contest 999999",
        "problems": [
            {
                "code": "unknown_contest",
                "message": "no contest 999999",
                "where": "contest_id",
                "numbers": {"id": 999999},
            }
        ],
    }
    bad = site.get(f"/api/v1/events/{published.event_id}/results?limit=5000")
    assert bad.status_code == 422 and bad.json()["problems"][0]["where"] == "query.limit"
    assert site.get("/api/v1/events/99/calendar").status_code == 404


def test_results_of_a_district_list_its_contests(site: TestClient, published: Published) -> None:
    found = site.get(f"/api/v1/events/{published.event_id}/results?area=271000000").json()
    assert found["area"]["kato"] == "271000000"
    assert found["contests"]["total"] == 3


def test_candidate_search(site: TestClient, published: Published) -> None:
    found = site.get(f"/api/v1/events/{published.event_id}/candidates?q=candidate 0").json()
    assert found["total"] == 9
