"""Charts as SVG text, rendered on the server: pure functions from numbers and already
translated words to an accessible <svg> (a <title>, a <desc>, a text label on every bar), for
the press release and the public site alike (docs/documents.md). Standard library only."""

from saylau.charts.bars import Bar, bar_chart, column_chart
from saylau.charts.election import age_bins, ages_chart, candidates_per_post_chart, margins_chart

__all__ = [
    "Bar",
    "age_bins",
    "ages_chart",
    "bar_chart",
    "candidates_per_post_chart",
    "column_chart",
    "margins_chart",
]
