"""The documents' Jinja2 environments, one per language, with the catalogs of saylau.i18n
installed (`{{ _("…") }}` in a template is the same message as `_("…")` in the code)."""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, PackageLoader, StrictUndefined, select_autoescape

from saylau.i18n import Language, gettext_for, ngettext_for


@cache
def environment(lang: Language) -> Environment:
    env = Environment(
        loader=PackageLoader("saylau.documents", "templates"),
        autoescape=select_autoescape(["html", "svg"]),
        undefined=StrictUndefined,
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext_for(lang), ngettext_for(lang), newstyle=True
    )
    return env


def render(template: str, lang: Language, **context: object) -> str:
    return environment(lang).get_template(template).render(lang=lang, **context)
