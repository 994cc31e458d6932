"""`saylau publish-static`: the whole public site as files in three languages with the JSON
API and CSV; `--incremental` after a publication rewrites only the pages it touches."""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient
from typer.testing import CliRunner
from web_fixtures import CEC, NOW, Published

from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.services import results


def _export(published: Published, out: Path, *more: str) -> str:
    done = CliRunner().invoke(
        build_app(), ["publish-static", str(out), "--db", published.url, *more]
    )
    assert done.exit_code == 0, done.output
    return done.output


def test_the_whole_site_in_three_languages(
    published: Published, site: TestClient, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    said = _export(published, out)
    assert said.startswith("whole export")
    ca, cb, _cc = published.contests
    e = published.event_id
    for lang in ("kk", "ru", "en"):
        assert (out / lang / "index.html").exists()
        page = (out / lang / "contests" / str(cb) / "index.html").read_text(encoding="utf-8")
        assert f'<html lang="{lang}">' in page
        assert f'href="/{lang}/protocols/{published.b2}/"' in page
        assert f'href="/ru/contests/{cb}/"' in page  # the language switch keeps the page
    region = (out / "en" / "events" / str(e) / "regions" / "270000000" / "index.html").read_text()
    assert f'href="/en/events/{e}/districts/271000000/"' in region
    assert (out / "en" / "events" / str(e) / "map" / "women" / "index.html").exists()
    # The JSON files are the API's responses.
    summary = json.loads((out / "api/v1/summary.json").read_text(encoding="utf-8"))
    assert summary == site.get("/api/v1/summary").json()
    contest = json.loads((out / f"api/v1/contests/{ca}.json").read_text(encoding="utf-8"))
    assert contest == site.get(f"/api/v1/contests/{ca}").json()
    rows = (out / f"data/events/{e}/contests.csv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("contest_id,region_kato") and len(rows) == 1 + 4
    # Nothing unpublished: contest C's protocol is signed, not published.
    assert not (out / "en" / "protocols" / str(published.c1)).exists()
    assert not (out / f"api/v1/protocols/{published.c1}.json").exists()


def test_incremental_after_a_publication_rewrites_only_what_it_touches(
    published: Published, tmp_path: Path
) -> None:
    out = tmp_path / "site"
    _export(published, out)
    before = json.loads((out / "manifest.json").read_text())
    assert "No change" not in _export(published, out, "--incremental")
    engine = make_engine(published.url)
    with make_session_factory(engine)() as session:
        results.publish_protocols(
            session=session, principal=CEC, protocol_ids=[published.c1], now=NOW
        )
    engine.dispose()
    said = _export(published, out, "--incremental")
    assert said.startswith("incremental export") and "1 contests rendered" in said
    after = json.loads((out / "manifest.json").read_text())
    assert after["audit_head"] > before["audit_head"]
    changed = {f for f in after["files"] if before["files"].get(f) != after["files"][f]}
    cc = published.contests[2]
    assert f"en/contests/{cc}/index.html" in changed
    assert f"en/protocols/{published.c1}/index.html" in changed
    assert "api/v1/summary.json" in changed
    # Another contest's page was not rewritten.
    assert f"en/contests/{published.contests[0]}/index.html" not in changed
    page = (out / "en" / "contests" / str(cc) / "index.html").read_text(encoding="utf-8")
    assert "Round 1" in page


def test_every_area_from_one_load_equals_its_own_view(published: Published) -> None:
    from saylau.domain.election import EventId
    from saylau.services.views.areas import event_areas
    from saylau.services.views.calendar import calendar_view
    from saylau.services.views.encode import to_json
    from saylau.services.views.results import MAX_LIMIT, results_view
    from saylau.services.views.values import Visibility

    engine = make_engine(published.url)
    e = EventId(published.event_id)
    with make_session_factory(engine)() as session:
        for visibility in Visibility:
            areas = event_areas(session=session, event_id=e, visibility=visibility)
            assert set(areas.areas) == {"270000000", "271000000", "273400000"}
            for kato, view in areas.areas.items():
                limit = 0 if kato == "270000000" else MAX_LIMIT
                alone = results_view(
                    session=session, event_id=e, visibility=visibility, area=kato, limit=limit
                )
                assert to_json(view) == to_json(alone)
            national = results_view(session=session, event_id=e, visibility=visibility, limit=0)
            assert to_json(areas.national) == to_json(national)
            assert areas.calendar == calendar_view(
                session=session, event_id=e, visibility=visibility
            )
    engine.dispose()
