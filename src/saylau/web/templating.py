"""Jinja2 templates with the request's language: `{% trans %}` and `_()` translate through the
catalogs, and the helpers format names, dates and numbers for the locale."""

from __future__ import annotations

from importlib.resources import files
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from jinja2 import Environment, FileSystemLoader, select_autoescape

from saylau import i18n
from saylau.i18n.labels import label
from saylau.web.language import request_language

environment = Environment(
    loader=FileSystemLoader(str(files("saylau.web") / "templates")),
    autoescape=select_autoescape(["html", "svg", "xml"]),
    extensions=["jinja2.ext.i18n"],
    trim_blocks=True,
    lstrip_blocks=True,
)
# Placeholders: each render passes the request's own gettext and ngettext (newstyle: `%(n)s`
# formatting and autoescaping of the arguments).
environment.install_null_translations(newstyle=True)  # type: ignore[attr-defined]


def render(request: Request, template: str, status_code: int = 200, **context: Any) -> HTMLResponse:
    """The page `template` in the request's language."""
    lang = request_language(request)
    body = render_text(template, lang, request=request, **context)
    return HTMLResponse(body, status_code=status_code)


def render_text(template: str, lang: i18n.Language, **context: Any) -> str:
    """A template rendered in `lang`, outside a request too (publish-static renders the same
    templates into files)."""
    gettext = i18n.gettext_for(lang)
    ngettext = i18n.ngettext_for(lang)

    def _gettext(message: str, **variables: Any) -> str:
        text = gettext(message)
        return text % variables if variables else text

    def _ngettext(singular: str, plural: str, n: int, **variables: Any) -> str:
        variables.setdefault("num", n)
        return ngettext(singular, plural, n) % variables

    return environment.get_template(template).render(
        gettext=_gettext,
        ngettext=_ngettext,
        _=_gettext,
        lang=lang,
        languages=i18n.LANGUAGES,
        endonyms=i18n.ENDONYMS,
        name=lambda names: i18n.pick_name(names, lang),
        label=lambda value: label(value, lang),
        date=lambda day, form="long": i18n.format_date(day, lang, form),
        number=lambda value, digits=0: i18n.format_number(value, lang, digits),
        percent=lambda share, digits=1: i18n.format_percent(share, lang, digits),
        **context,
    )
