"""The public pages on a small published election: what they show, in three languages, and
that nothing unpublished leaks."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient
from web_fixtures import CEC, NOW, Published

from saylau.db.engine import make_engine, make_session_factory
from saylau.documents.protocols import protocol_digest
from saylau.domain.election import ProtocolId
from saylau.services import results
from system_tools import require_tool


def test_the_summary_shows_the_figures_and_a_map_of_links(
    site: TestClient, published: Published
) -> None:
    page = site.get("/?lang=en&measure=women")
    assert page.status_code == 200
    assert "<h1>Akim elections 2013</h1>" in page.text
    assert re.search(r"<dt>Akims elected</dt><dd>2</dd>", page.text)
    assert '<svg class="map"' in page.text
    # Each region with contests is a link with an accessible name and its figure in a <title>.
    link = re.search(
        r'<a href="/events/\d+/regions/270000000" aria-label="West Kazakhstan: ([^"]+)">', page.text
    )
    assert link is not None and link.group(1) == "50.0%"
    assert "<title>West Kazakhstan: 50.0%</title>" in page.text
    assert '<option value="women" selected>' in page.text
    assert "geokz (A. Rodionov), OCHA COD-AB, CC BY 4.0" in page.text


def test_a_bad_measure_is_refused_as_a_page(site: TestClient) -> None:
    page = site.get("/?measure=height&lang=en")
    assert page.status_code == 422 and "<h1>Cannot show this page</h1>" in page.text


def test_region_district_contest_and_protocol_pages(site: TestClient, published: Published) -> None:
    e = published.event_id
    region = site.get(f"/events/{e}/regions/270000000?lang=en").text
    assert f'href="/events/{e}/districts/271000000"' in region
    district = site.get(f"/events/{e}/districts/271000000?lang=en").text
    ca, cb, cc = published.contests
    assert all(f'href="/contests/{c}"' in district for c in (ca, cb, cc))
    contest = site.get(f"/contests/{cb}?lang=en").text
    assert "Round 2" in contest and 'class="bar"' in contest
    assert "Secretary B." in contest and "audit head at publication" in contest
    corrected = site.get(f"/contests/{ca}?lang=en").text
    assert "corrected</span>" not in corrected and "a vote for Candidate 02" in corrected
    protocol = site.get(f"/protocols/{published.a2}?lang=en").text
    assert "Reason for the correction" in protocol and "Audit head at publication" in protocol


def test_an_unpublished_result_does_not_show(site: TestClient, published: Published) -> None:
    cc = published.contests[2]
    page = site.get(f"/contests/{cc}?lang=en").text
    assert "No result has been published yet." in page and "Round 1" not in page
    assert site.get(f"/protocols/{published.c1}?lang=en").status_code == 404


def test_pages_in_three_languages(site: TestClient, published: Published) -> None:
    cb = published.contests[1]
    for lang, word in (("kk", "Дауыстар"), ("ru", "Голоса"), ("en", "Votes")):
        page = site.get(f"/contests/{cb}?lang={lang}").text
        assert f'<html lang="{lang}">' in page and word in page


def test_calendar_appeals_search_and_open_data(site: TestClient, published: Published) -> None:
    assert "August 9, 2013" in site.get("/calendar?lang=en").text
    assert "Appeals filed" in site.get("/appeals?lang=en").text
    found = site.get("/candidates?q=candidate 0&lang=en").text
    assert "9 candidates found" in found and '<label for="q">' in found
    assert "/api/v1/summary" in site.get("/open-data?lang=en").text


def test_unknown_ids_are_404_pages(site: TestClient) -> None:
    page = site.get("/contests/999999?lang=en")
    assert page.status_code == 404 and "<h1>Not found</h1>" in page.text
    # The refusal itself in the reader's language too (saylau.i18n.problems), not the service's
    # English.
    english = page.text.split("<code>unknown_contest</code>: ")[1].split("</li>")[0]
    russian = site.get("/contests/999999?lang=ru").text
    assert english in ("no contest 999999", "no such contest")
    assert "<code>unknown_contest</code>: " in russian and english not in russian


def test_a_publication_invalidates_the_cached_pages(site: TestClient, published: Published) -> None:
    cc = published.contests[2]
    assert "No result has been published yet." in site.get(f"/contests/{cc}?lang=en").text
    assert "No result has been published yet." in site.get(f"/contests/{cc}?lang=en").text
    engine = make_engine(published.url)
    with make_session_factory(engine)() as session:
        results.publish_protocols(
            session=session, principal=CEC, protocol_ids=[published.c1], now=NOW
        )
    engine.dispose()
    assert "Round 1" in site.get(f"/contests/{cc}?lang=en").text
    assert site.get("/api/v1/summary").json()["figures"]["published"] == 2


def test_a_protocol_page_shows_its_digest_and_links_its_printable_pdf(
    site: TestClient, published: Published
) -> None:
    engine = make_engine(published.url)
    with make_session_factory(engine)() as session:
        digest = protocol_digest(session=session, protocol_id=ProtocolId(published.b2))
    engine.dispose()
    page = site.get(f"/protocols/{published.b2}?lang=kk").text
    assert digest in page
    assert f'href="/protocols/{published.b2}.pdf?lang=kk"' in page
    assert (
        f'href="/protocols/{published.b2}.pdf?lang=en"'
        in site.get(f"/contests/{published.contests[1]}?lang=en").text
    )
    # An unpublished protocol has no public PDF either.
    assert site.get(f"/protocols/{published.c1}.pdf").status_code == 404
    require_tool("pango-1.0")
    pdf = site.get(f"/protocols/{published.b2}.pdf?lang=kk")
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def test_the_open_data_page_serves_the_exports_with_their_digests(
    site: TestClient, published: Published
) -> None:
    import hashlib

    page = site.get("/open-data?lang=en").text
    e = published.event_id
    for name in ("election-report.json", "contests.csv", "candidates.csv"):
        assert f'href="/open-data/events/{e}/{name}"' in page, name
    report = site.get(f"/open-data/events/{e}/election-report.json")
    assert report.status_code == 200 and report.json()["@type"] == "ElectionResults.ElectionReport"
    assert hashlib.sha256(report.content).hexdigest() in page
    assert site.get(f"/open-data/events/{e}/nothing.csv").status_code == 404
