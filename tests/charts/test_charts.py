"""Charts are pure: numbers and words in, accessible SVG out, bar lengths in proportion."""

from __future__ import annotations

from xml.etree import ElementTree

from saylau.charts import (
    Bar,
    age_bins,
    ages_chart,
    bar_chart,
    candidates_per_post_chart,
    margins_chart,
)

NS = "{http://www.w3.org/2000/svg}"


def _parse(svg: str) -> ElementTree.Element:
    return ElementTree.fromstring(svg)


def test_a_bar_chart_has_a_title_a_description_and_a_label_per_bar() -> None:
    svg = bar_chart(
        [Bar("Ақмола облысы", 3, "3"), Bar("A & B <x>", 6, "6")],
        title="Кандидаттар",
        desc="Бір лауазымға",
        chart_id="c",
    )
    root = _parse(svg)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "c-title c-desc"
    assert root.findtext(f"{NS}title") == "Кандидаттар"
    assert root.findtext(f"{NS}desc") == "Бір лауазымға"
    texts = [t.text for t in root.iter(f"{NS}text")]
    assert {"Ақмола облысы", "A & B <x>", "3", "6"} <= set(texts)
    widths = [float(r.get("width", "0")) for r in root.iter(f"{NS}rect")]
    assert widths[1] == 2 * widths[0] > 0


def test_candidates_per_post_is_exact_and_formatted_by_the_caller() -> None:
    svg = candidates_per_post_chart(
        [("A", 6738, 2457), ("B", 3, 0)],
        title="t",
        desc="d",
        number=lambda v: f"{float(v):.2f}",
    )
    texts = [t.text for t in _parse(svg).iter(f"{NS}text")]
    assert "2.74" in texts and "B" not in texts  # a region with no post has no bar


def test_ages_fall_into_five_year_ranges_with_empty_ones_kept() -> None:
    assert age_bins({25: 1, 33: 2, 34: 1, 47: 3}) == [
        (25, 29, 1), (30, 34, 3), (35, 39, 0), (40, 44, 0), (45, 49, 3),
    ]  # fmt: skip
    assert age_bins({}) == []
    labels = [
        t.text
        for t in _parse(ages_chart({25: 1}, title="t", desc="d", axis_label="a")).iter(f"{NS}text")
    ]
    assert "25–29" in labels


def test_margins_group_the_wide_ones_and_show_a_tie_only_when_there_is_one() -> None:
    root = _parse(margins_chart({1: 37, 2: 5, 12: 4, 30: 1}, title="t", desc="d", axis_label="a"))
    labels = [t.text for t in root.iter(f"{NS}text")]
    assert labels.count("10+") == 1 and "0" not in labels[:3]
    heights = [float(r.get("height", "0")) for r in root.iter(f"{NS}rect")]
    assert len(heights) == 10 and heights[0] == max(heights)
    assert "0" in [
        t.text
        for t in _parse(margins_chart({0: 1, 1: 2}, title="t", desc="d", axis_label="a")).iter(
            f"{NS}text"
        )
    ]
