"""The press release: its figures equal an independent SQL query over the same database, and
it is written in Markdown, HTML (with its three SVG charts) and PDF in each language."""

from __future__ import annotations

import re
import subprocess
from datetime import date
from fractions import Fraction
from pathlib import Path
from xml.etree import ElementTree

import pytest
from election_fixtures import CEC, NOW, commission_user
from paper_fixtures import Paper
from sqlalchemy import text
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.documents.press_release import press_release_charts
from saylau.domain.accounts import Role
from saylau.domain.election import EventId
from saylau.services import results
from saylau.services.views.press import press_release_view
from system_tools import require_tool

runner = CliRunner()

# Independent of the read models: the published results straight from the tables.
PUBLISHED_WINS = """
    SELECT c.id, p.id AS protocol_id, per.sex, per.birth_date, s.day, n.is_incumbent
    FROM contest c
    JOIN round r ON r.contest_id = c.id AND r.round_no = c.decided_round
    JOIN protocol p ON p.round_id = r.id AND p.status = 'accepted' AND p.published_at IS NOT NULL
    JOIN sitting s ON s.id = r.sitting_id
    JOIN nomination n ON n.id = c.elected_nomination_id
    JOIN person per ON per.id = n.person_id
    WHERE c.event_id = :event AND c.status = 'elected'
"""


def _age(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _as_date(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _sql_figures(session: Session, event_id: int) -> dict[str, object]:
    one = lambda sql: session.execute(text(sql), {"event": event_id}).scalar_one()  # noqa: E731
    wins = session.execute(text(PUBLISHED_WINS), {"event": event_id}).all()
    ages = [_age(_as_date(w.birth_date), _as_date(w.day)) for w in wins]
    margins = []
    for w in wins:
        votes = session.execute(
            text(
                "SELECT v.nomination_id, v.votes FROM protocol_vote v WHERE v.protocol_id = :p"
                " ORDER BY v.votes DESC"
            ),
            {"p": w.protocol_id},
        ).all()
        margins.append(votes[0].votes - (votes[1].votes if len(votes) > 1 else 0))
    return {
        "posts": one("SELECT count(*) FROM contest WHERE event_id = :event"),
        "candidates": one(
            "SELECT count(*) FROM nomination WHERE event_id = :event AND status = 'registered'"
        ),
        "councils": one("SELECT count(DISTINCT council_id) FROM sitting WHERE event_id = :event"),
        "deputies": one(
            "SELECT count(DISTINCT d.id) FROM deputy d JOIN sitting s ON s.council_id ="
            " d.council_id WHERE s.event_id = :event AND d.mandate_start <= s.day"
            " AND (d.mandate_end IS NULL OR d.mandate_end >= s.day)"
        ),
        "elected": len(wins),
        "women_elected": sum(1 for w in wins if w.sex == "female"),
        "incumbents_reelected": sum(1 for w in wins if w.is_incumbent),
        "average_age": Fraction(sum(ages), len(ages)) if ages else None,
        "youngest": min(ages, default=None),
        "one_vote_wins": margins.count(1),
    }


@pytest.fixture
def published(paper: Paper) -> Paper:
    """Both counted protocols signed and published (the second then stands as published too)."""
    engine = make_engine(paper.url)
    with make_session_factory(engine)() as session:
        secretary = session.execute(
            text("SELECT id FROM commission_member WHERE role = 'secretary'")
        ).scalar_one()
        results.sign_protocols(
            session=session,
            principal=commission_user(secretary, Role.SECRETARY),
            protocol_ids=[paper.unpublished],
            now=NOW,
        )
        results.publish_protocols(
            session=session, principal=CEC, protocol_ids=[paper.unpublished], now=NOW
        )
    engine.dispose()
    return paper


def test_the_figures_equal_an_independent_sql_query(published: Paper) -> None:
    engine = make_engine(published.url)
    with make_session_factory(engine)() as session:
        expected = _sql_figures(session, published.event_id)
        f = press_release_view(session=session, event_id=EventId(published.event_id)).figures
    engine.dispose()
    found = {
        "posts": f.posts,
        "candidates": f.candidates,
        "councils": f.councils,
        "deputies": f.deputies,
        "elected": f.elected,
        "women_elected": f.women_elected,
        "incumbents_reelected": f.incumbents_reelected,
        "average_age": f.average_age,
        "youngest": f.youngest.elected.age if f.youngest and f.youngest.elected else None,
        "one_vote_wins": f.one_vote_wins,
    }
    assert found == expected
    assert (expected["posts"], expected["elected"], expected["candidates"]) == (4, 2, 6)


def _cli(*args: str) -> tuple[int, str]:
    done = runner.invoke(build_app(), list(args))
    return done.exit_code, done.output


@pytest.mark.parametrize(
    ("lang", "posts", "elected", "title"),
    [
        ("en", "Posts of akim to fill", "Akims elected", "Elections of akims: results"),
        ("kk", "Сайланатын әкім лауазымдары", "Сайланған әкімдер", "Әкімдер сайлауы: қорытындылар"),
        ("ru", "Должностей акимов для замещения", "Избрано акимов", "Выборы акимов: итоги"),
    ],
)
def test_markdown_html_and_pdf_in_each_language(
    published: Paper, tmp_path: Path, lang: str, posts: str, elected: str, title: str
) -> None:
    engine = make_engine(published.url)
    with make_session_factory(engine)() as session:
        expected = _sql_figures(session, published.event_id)
    engine.dispose()
    event = str(published.event_id)
    code, md = _cli(
        "report", "press-release", "--event", event, "--lang", lang, "--db", published.url
    )
    assert code == 0, md
    assert md.startswith(f"# {title}")
    assert f"| {posts} | {expected['posts']} |" in md
    assert f"| {elected} | {expected['elected']} |" in md
    assert "Батыс Қазақстан облысы" in md if lang == "kk" else True
    html_file = tmp_path / "r.html"
    code, output = _cli(
        "report", "press-release", "--event", event, "--lang", lang, "--format", "html",
        "-o", str(html_file), "--db", published.url,
    )  # fmt: skip
    assert code == 0, output
    html = html_file.read_text(encoding="utf-8")
    assert f'<html lang="{lang}">' in html and html.count("<svg") == 3
    assert f'<td>{posts}</td><td class="n">{expected["posts"]}</td>' in html
    require_tool("pango-1.0")
    require_tool("pdftotext")
    pdf_file = tmp_path / "r.pdf"
    code, output = _cli(
        "report", "press-release", "--event", event, "--lang", lang, "--format", "pdf",
        "-o", str(pdf_file), "--db", published.url,
    )  # fmt: skip
    assert code == 0, output
    pdf_text = subprocess.run(
        ["pdftotext", "-layout", str(pdf_file), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert title in pdf_text
    assert re.search(rf"{re.escape(elected)}\s+{expected['elected']}\b", pdf_text)


def test_a_pdf_needs_an_output_file(published: Paper) -> None:
    code, output = _cli("report", "press-release", "--format", "pdf", "--db", published.url)
    assert code == 2 and "-o FILE" in output


def test_the_charts_are_accessible_svg(published: Paper) -> None:
    engine = make_engine(published.url)
    with make_session_factory(engine)() as session:
        view = press_release_view(session=session, event_id=EventId(published.event_id))
    engine.dispose()
    charts = press_release_charts(view, "ru")
    assert sorted(charts) == ["ages", "candidates_per_post", "margins"]
    ns = "{http://www.w3.org/2000/svg}"
    for svg in charts.values():
        root = ElementTree.fromstring(str(svg))
        assert root.get("role") == "img"
        assert root.find(f"{ns}title") is not None and root.find(f"{ns}desc") is not None
    regions = ElementTree.fromstring(str(charts["candidates_per_post"]))
    labels = [t.text for t in regions.iter(f"{ns}text")]
    # One region, 6 candidates for 4 posts: 1,50 in Russian notation.
    assert "Западно-Казахстанская область" in labels and "1,50" in labels
