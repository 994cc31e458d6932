"""Guard: a clone of the project stands alone. No file in docs/ or src/ (nor README.md) cites a
path outside the repository or a document the repository does not hold, and every relative
markdown link in docs/ points at a file that exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEXT_SUFFIXES = {".md", ".py", ".csv", ".txt", ".toml", ".json", ".mako", ".ini", ".cfg"}
SKIPPED_DIRS = {"__pycache__", ".mypy_cache", ".ruff_cache", ".pytest_cache"}

# Paths that leave the repository: a parent of its root, the research notes' folder, or an
# absolute path of the machine it was written on.
OUTSIDE = re.compile(r"\.\./shared|(?<![\w./-])shared/|(?<![\w:/])/(?:work|home|root|tmp|Users)/")
# A document named by file name (FACTS.md, docs/results.md, …): it must exist in the repository.
DOCUMENT = re.compile(r"(?<![\w/.-])((?:[\w.-]+/)*[\w-]+\.md)\b")
LINK = re.compile(r"\]\(([^)\s]+)\)")


def _files() -> list[Path]:
    found = [ROOT / "README.md"]
    for top in ("docs", "src"):
        for path in sorted((ROOT / top).rglob("*")):
            if (
                path.is_file()
                and path.suffix in TEXT_SUFFIXES
                and not SKIPPED_DIRS & set(path.parts)
                and not any(p.endswith(".egg-info") for p in path.parts)
            ):
                found.append(path)
    return found


def _markdown_names() -> set[str]:
    names = set()
    for path in ROOT.rglob("*.md"):
        if ".venv" not in path.parts and ".git" not in path.parts:
            names.add(path.name)
    return names


def outside_citations(text: str, known: set[str]) -> list[str]:
    """Citations in `text` of a path outside the repository or of a document not in it."""
    found = [m.group(0) for m in OUTSIDE.finditer(text)]
    found += [m.group(1) for m in DOCUMENT.finditer(text) if Path(m.group(1)).name not in known]
    return found


def test_the_scan_finds_outside_citations() -> None:
    known = {"results.md", "kz2013-facts.md"}
    text = (
        "see ../shared/data/kz2013/FACTS.md, `shared/DESIGN.md`, /work/shared/x, SOURCES.md;"
        " but docs/results.md, [facts](kz2013-facts.md) and https://example.org/a.md?x are fine"
    )
    assert outside_citations(text, known) == [
        "../shared",
        "shared/",
        "/work/",
        "../shared/data/kz2013/FACTS.md",
        "shared/DESIGN.md",
        "SOURCES.md",
    ]


def test_docs_and_sources_cite_nothing_outside_the_repository() -> None:
    known = _markdown_names()
    offenders = {}
    for path in _files():
        found = outside_citations(path.read_text(encoding="utf-8"), known)
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_relative_links_in_docs_point_at_files() -> None:
    broken = []
    for path in sorted((ROOT / "docs").rglob("*.md")):
        for m in LINK.finditer(path.read_text(encoding="utf-8")):
            target = m.group(1).split("#", 1)[0]
            if not target or re.match(r"[a-z][a-z0-9+.-]*:", target):
                continue  # an anchor in the same page, or a URL
            resolved = (path.parent / target).resolve()
            if not resolved.exists() or ROOT not in resolved.parents:
                broken.append(f"{path.relative_to(ROOT)}: {m.group(1)}")
    assert broken == []
