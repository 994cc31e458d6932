"""The press release's three charts: candidates per post by region, the ages of the elected,
and the winning margins. The caller gives the words (translated) and a number formatter."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from fractions import Fraction

from saylau.charts.bars import Bar, bar_chart, column_chart

Formatter = Callable[[int | Fraction], str]


def candidates_per_post_chart(
    regions: Sequence[tuple[str, int, int]],
    *,
    title: str,
    desc: str,
    number: Formatter = str,
) -> str:
    """One bar per region (name, candidates, posts), in the order given: candidates per post,
    exact, printed with `number`."""
    bars = [
        Bar(name, Fraction(candidates, posts) if posts else 0, number(Fraction(candidates, posts)))
        for name, candidates, posts in regions
        if posts
    ]
    return bar_chart(bars, title=title, desc=desc, chart_id="candidates-per-post")


def age_bins(ages: Mapping[int, int], width: int = 5) -> list[tuple[int, int, int]]:
    """(first age, last age, people) per `width`-year range from the youngest's range to the
    oldest's, empty ranges included; ranges start at multiples of `width`."""
    if not ages:
        return []
    low = min(ages) // width * width
    high = max(ages) // width * width
    return [
        (start, start + width - 1, sum(n for a, n in ages.items() if start <= a < start + width))
        for start in range(low, high + 1, width)
    ]


def ages_chart(
    ages: Mapping[int, int], *, title: str, desc: str, axis_label: str, number: Formatter = str
) -> str:
    """Columns of the elected by five-year age range (`ages`: age -> people)."""
    bars = [Bar(f"{a}–{b}", n, number(n)) for a, b, n in age_bins(ages)]
    return column_chart(bars, title=title, desc=desc, axis_label=axis_label, chart_id="ages")


def margins_chart(
    margins: Mapping[int, int],
    *,
    title: str,
    desc: str,
    axis_label: str,
    number: Formatter = str,
    last: int = 10,
) -> str:
    """Columns of contests by winning margin in votes: 1, 2, … `last`, then `last`+ together
    (and 0 first where a tie was broken)."""
    first = 0 if margins.get(0) else 1
    bars = [Bar(str(m), margins.get(m, 0), number(margins.get(m, 0))) for m in range(first, last)]
    wide = sum(n for m, n in margins.items() if m >= last)
    bars.append(Bar(f"{last}+", wide, number(wide)))
    return column_chart(bars, title=title, desc=desc, axis_label=axis_label, chart_id="margins")
