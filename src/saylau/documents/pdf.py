"""HTML to PDF with WeasyPrint (it needs pango: docs/system-tools.md). One font configuration
and one parsed stylesheet per process, reused by every document: parsing them is a large share
of rendering one protocol."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from typing import Any


@cache
def _font_config() -> Any:
    from weasyprint.text.fonts import FontConfiguration

    return FontConfiguration()


@cache
def stylesheet(name: str) -> Any:
    """`templates/<name>` parsed once."""
    from weasyprint import CSS

    css = files("saylau.documents").joinpath("templates", name).read_text(encoding="utf-8")
    return CSS(string=css, font_config=_font_config())


def html_to_pdf(html: str, *, css: str) -> bytes:
    """The PDF of `html` styled by the stylesheet `css` (a file in templates/)."""
    from weasyprint import HTML

    pdf: bytes = HTML(string=html).write_pdf(
        stylesheets=[stylesheet(css)], font_config=_font_config()
    )
    return pdf
