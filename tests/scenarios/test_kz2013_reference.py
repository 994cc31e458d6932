"""Published 2013 figures and their comparison rows."""

from __future__ import annotations

from fractions import Fraction

from saylau.scenarios.kz2013.reference import NATIONAL, FigureKind, compare, compare_regions


def test_reference_figures_have_sources_and_unique_keys() -> None:
    keys = [f.key for f in NATIONAL]
    assert len(keys) == len(set(keys))
    assert all(f.source for f in NATIONAL)
    values = {f.key: f.value for f in NATIONAL}
    assert (
        values["posts"]
        == values["posts_towns"]
        + values["posts_rural_districts"]
        + values["posts_settlements"]
        + values["posts_villages"]
    )
    assert values["elected"] == 2454 and values["youngest_region"] == "KZ-PAV"


def test_compare_rows() -> None:
    rows = {
        r.key: r
        for r in compare({"posts": 2457, "elected": 2452, "women_elected_pct": Fraction(11)})
    }
    assert len(rows) == len(NATIONAL)
    assert rows["posts"].matches and rows["posts"].difference == 0
    assert rows["posts"].kind is FigureKind.STRUCTURAL
    assert rows["elected"].difference == -2 and not rows["elected"].matches
    assert rows["elected"].kind is FigureKind.OUTCOME
    assert rows["women_elected_pct"].difference == Fraction(-2, 5)
    assert rows["deputies"].computed is None and rows["deputies"].difference is None


def test_compare_regions() -> None:
    rows = {r.key: r for r in compare_regions({"KZ-KAR": {"posts": 202, "candidates": 600}})}
    assert rows["KZ-KAR.posts"].matches
    assert rows["KZ-KAR.candidates"].difference == -1
    assert rows["KZ-ATY.posts"].computed is None
    assert rows["KZ-PAV.failed_tie"].kind is FigureKind.OUTCOME
