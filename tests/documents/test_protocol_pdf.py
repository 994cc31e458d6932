"""The printed protocol read back: pdftotext finds the Kazakh names and the counts, zbarimg
decodes the QR code to the public URL and the digest, and `saylau protocol check-digest`
accepts the digest and refuses any other (docs/documents.md)."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest
from paper_fixtures import (
    CANDIDATES,
    CITY_NAME_KK,
    MEMBERS,
    POST_NAME_KK,
    REGION_NAME_KK,
    VOTES,
    Paper,
)
from typer.testing import CliRunner

from saylau.audit.chain import canonical_json, sha256_hex
from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.documents.protocols import protocol_digest, render_protocol_pdf
from saylau.services.audit.read import list_entries
from saylau.services.errors import NotFound
from saylau.services.views.values import Visibility
from system_tools import require_tool

runner = CliRunner()
BASE = "https://saylau.example.kz"


def _saylau(*args: str) -> tuple[int, str]:
    done = runner.invoke(build_app(), list(args))
    return done.exit_code, done.output


def _pdf_text(path: Path) -> str:
    require_tool("pdftotext")
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    )
    # Babel groups digits with a no-break space; one space is what the assertions write.
    return re.sub(r"[ \u00a0\u202f]+", " ", done.stdout)


def _pages(path: Path) -> int:
    done = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    found = re.search(r"^Pages:\s+(\d+)", done.stdout, re.MULTILINE)
    assert found is not None
    return int(found[1])


def test_the_kazakh_protocol_has_the_names_the_counts_and_the_relations(
    paper: Paper, tmp_path: Path
) -> None:
    require_tool("pango-1.0")
    out = tmp_path / "p.pdf"
    code, output = _saylau(
        "protocol", "pdf", str(paper.published), "--lang", "kk", "-o", str(out),
        "--db", paper.url, "--base-url", BASE,
    )  # fmt: skip
    assert code == 0, output
    text = _pdf_text(out)
    assert _pages(out) == 1
    for name in (*CANDIDATES, *MEMBERS, POST_NAME_KK, CITY_NAME_KK, REGION_NAME_KK):
        assert name in text, name
    assert "ДАУЫСТАРДЫ САНАУ ХАТТАМАСЫ" in text
    # Counts, numbered as on paper: 19 members, 17 present, 17 ballots in the box.
    assert re.search(r"1 Мәслихат депутаттарының саны \(таңдаушылар\) 19\b", text)
    assert re.search(r"2 Жиналысқа қатысқан таңдаушылар 17\b", text)
    assert re.search(r"5 Жәшіктен табылған бюллетеньдер 17\b", text)
    # The votes, most first, numbered after the eleven counts.
    for line, (name, votes) in enumerate(zip(CANDIDATES, VOTES, strict=True), start=12):
        assert re.search(rf"{line} {name} {votes}\b", text), name
    # Each relation with its numbers: 17 = 0 + 0 + 0 + 0 + 17 holds.
    assert "17 = 0 + 0 + 0 + 0 + 17" in text
    assert "17 ≤ 19" in text
    assert "Әкім болып сайланды: Әсел Құрманғалиқызы" in text
    assert "Not published" not in text and "жарияланбаған" not in text


@pytest.mark.parametrize(
    ("lang", "title", "elected"),
    [
        ("ru", "ПРОТОКОЛ ПОДСЧЁТА ГОЛОСОВ", "Избран акимом: Әсел Құрманғалиқызы"),
        ("en", "PROTOCOL OF THE COUNT OF VOTES", "Elected akim: Әсел Құрманғалиқызы"),
    ],
)
def test_the_protocol_in_russian_and_english(
    paper: Paper, tmp_path: Path, lang: str, title: str, elected: str
) -> None:
    require_tool("pango-1.0")
    out = tmp_path / f"p-{lang}.pdf"
    code, output = _saylau(
        "protocol", "pdf", str(paper.published), "--lang", lang, "-o", str(out), "--db", paper.url
    )
    assert code == 0, output
    text = _pdf_text(out)
    assert title in text and elected in text
    assert "Деркульский сельский округ" in text if lang == "ru" else "Derkul" in text


def test_the_qr_code_carries_the_public_url_and_the_digest(paper: Paper, tmp_path: Path) -> None:
    require_tool("pango-1.0")
    require_tool("pdftoppm")
    require_tool("zbarimg")
    engine = make_engine(paper.url)
    with make_session_factory(engine)() as session:
        pdf = render_protocol_pdf(
            session=session, protocol_id=paper.published, lang="kk", base_url=BASE
        )
        digest = protocol_digest(session=session, protocol_id=paper.published)
        (latest,) = list_entries(
            session=session, object_type="protocol", object_id=paper.published, limit=1
        )
    engine.dispose()
    # The digest is the audit log's: SHA-256 of the protocol's canonical state.
    assert digest == latest.state_digest == sha256_hex(canonical_json(latest.state))
    (tmp_path / "p.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-r", "150", str(tmp_path / "p.pdf"), str(tmp_path / "page")],
        check=True,
    )
    (page,) = sorted(tmp_path.glob("page*.png"))
    decoded = subprocess.run(
        ["zbarimg", "-q", "--raw", str(page)], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert decoded == f"{BASE}/protocols/{paper.published}#sha256={digest}"
    assert digest in _pdf_text(tmp_path / "p.pdf").replace(" ", "").replace("\n", "")


def test_check_digest_accepts_the_record_and_refuses_anything_else(paper: Paper) -> None:
    engine = make_engine(paper.url)
    with make_session_factory(engine)() as session:
        digest = protocol_digest(session=session, protocol_id=paper.published)
        other = protocol_digest(session=session, protocol_id=paper.unpublished)
    engine.dispose()
    code, output = _saylau(
        "protocol", "check-digest", str(paper.published), digest, "--db", paper.url
    )
    assert (code, digest in output) == (0, True)
    code, output = _saylau(
        "protocol", "check-digest", str(paper.published), digest.upper(), "--db", paper.url
    )
    assert code == 0  # hex digits in either case
    code, output = _saylau(
        "protocol", "check-digest", str(paper.published), other, "--db", paper.url
    )
    assert code == 1
    assert "does not match" in output and digest in output and other in output
    code, output = _saylau(
        "protocol", "check-digest", str(paper.published), "abc", "--db", paper.url
    )
    assert code == 2 and "64 hexadecimal digits" in output
    code, output = _saylau("protocol", "check-digest", "999", digest, "--db", paper.url)
    assert code == 1 and "999" in output


def test_an_unpublished_protocol_prints_only_for_staff_marked_as_such(
    paper: Paper, tmp_path: Path
) -> None:
    require_tool("pango-1.0")
    out = tmp_path / "draft.pdf"
    code, output = _saylau(
        "protocol", "pdf", str(paper.unpublished), "--lang", "en", "-o", str(out), "--db", paper.url
    )
    assert code == 0, output
    text = _pdf_text(out)
    assert "Accepted (Not published)" in text and "not signed" in text
    code, output = _saylau(
        "protocol", "pdf", str(paper.unpublished), "--public", "-o", str(out), "--db", paper.url
    )
    assert code == 1 and f"protocol {paper.unpublished}" in output
    engine = make_engine(paper.url)
    with make_session_factory(engine)() as session, pytest.raises(NotFound):
        render_protocol_pdf(
            session=session, protocol_id=paper.unpublished, lang="kk", base_url=BASE,
            visibility=Visibility.PUBLIC,
        )  # fmt: skip
    engine.dispose()
