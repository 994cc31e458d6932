"""Two chart shapes: horizontal bars (one labelled row per item) and columns (a histogram).
Each bar's length is exact arithmetic on its value; its text is given, already formatted."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from html import escape

FONT = "DejaVu Sans, Noto Sans, Arial, sans-serif"
BAR_COLOUR = "#2f6c9f"
TEXT_COLOUR = "#1a1a1a"


@dataclass(frozen=True)
class Bar:
    label: str  # what the bar is (a region, an age range, a margin)
    value: int | Fraction  # its length
    text: str  # the value as printed beside or above the bar


def _scale(value: int | Fraction, top: int | Fraction, length: int) -> float:
    """`value`'s share of `length` pixels (0 when every value is 0)."""
    return 0.0 if top <= 0 else round(float(Fraction(value) / Fraction(top) * length), 2)


def _open(width: int, height: int, title: str, desc: str, chart_id: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}"'
        f' width="{width}" height="{height}" role="img"'
        f' aria-labelledby="{chart_id}-title {chart_id}-desc"'
        f' font-family="{FONT}" font-size="12" fill="{TEXT_COLOUR}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]


def bar_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    chart_id: str = "chart",
    width: int = 640,
    label_width: int = 220,
    row_height: int = 22,
) -> str:
    """Horizontal bars, one row per item in the order given, its label on the left and its
    text at the end of the bar."""
    top = max((b.value for b in bars), default=0)
    plot = width - label_width - 70
    height = 30 + row_height * len(bars) + 10
    out = _open(width, height, title, desc, chart_id)
    out.append(f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>')
    for i, b in enumerate(bars):
        y = 30 + i * row_height
        length = _scale(b.value, top, plot)
        mid = y + row_height / 2 + 4
        out += [
            f'<g><text x="{label_width - 6}" y="{mid}" text-anchor="end">{escape(b.label)}</text>',
            f'<rect x="{label_width}" y="{y + 3}" width="{length}" height="{row_height - 6}"'
            f' fill="{BAR_COLOUR}"/>',
            f'<text x="{label_width + length + 4}" y="{mid}">{escape(b.text)}</text></g>',
        ]
    out.append("</svg>")
    return "\n".join(out)


def column_chart(
    bars: Sequence[Bar],
    *,
    title: str,
    desc: str,
    axis_label: str,
    chart_id: str = "chart",
    width: int = 640,
    height: int = 260,
) -> str:
    """Columns left to right in the order given: the label under each, its text above it,
    and `axis_label` under the labels."""
    top = max((b.value for b in bars), default=0)
    plot_top, plot_bottom = 40, height - 46
    step = (width - 20) / max(len(bars), 1)
    out = _open(width, height, title, desc, chart_id)
    out.append(f'<text x="0" y="16" font-size="14" font-weight="bold">{escape(title)}</text>')
    out.append(
        f'<line x1="10" y1="{plot_bottom}" x2="{width - 10}" y2="{plot_bottom}"'
        f' stroke="{TEXT_COLOUR}" stroke-width="1"/>'
    )
    for i, b in enumerate(bars):
        h = _scale(b.value, top, plot_bottom - plot_top)
        x = round(10 + i * step + step * 0.15, 2)
        w = round(step * 0.7, 2)
        centre = round(x + w / 2, 2)
        out += [
            f'<g><rect x="{x}" y="{round(plot_bottom - h, 2)}" width="{w}" height="{h}"'
            f' fill="{BAR_COLOUR}"/>',
            f'<text x="{centre}" y="{round(plot_bottom - h - 4, 2)}" text-anchor="middle">'
            f"{escape(b.text)}</text>",
            f'<text x="{centre}" y="{plot_bottom + 16}" text-anchor="middle">'
            f"{escape(b.label)}</text></g>",
        ]
    out.append(
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">{escape(axis_label)}</text>'
    )
    out.append("</svg>")
    return "\n".join(out)
