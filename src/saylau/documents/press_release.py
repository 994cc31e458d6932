"""The CEC's press release on an event, in Markdown, HTML or PDF, in kk, ru or en: headline
figures, the calendar, candidates, the elected (women, ages), margins, incumbents, failed
contests and repeat elections, appeals, a per-region annex, and three SVG charts
(docs/documents.md). Every number comes from services.views.press."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from fractions import Fraction
from typing import Literal

from markupsafe import Markup
from sqlalchemy.orm import Session

from saylau.charts import ages_chart, candidates_per_post_chart, margins_chart
from saylau.documents.pdf import html_to_pdf
from saylau.documents.templating import render
from saylau.domain.election import EventId
from saylau.i18n import (
    Language,
    format_date,
    format_number,
    format_percent,
    gettext_for,
    pick_name,
)
from saylau.i18n.labels import label
from saylau.services.views.press import PressReleaseView, press_release_view
from saylau.services.views.values import FiguresView, Visibility

Format = Literal["md", "html", "pdf"]
FORMATS: tuple[Format, ...] = ("md", "html", "pdf")


@dataclass(frozen=True)
class Line:
    text: str
    value: str


def press_release(
    *, session: Session, event_id: EventId, lang: Language, fmt: Format = "md"
) -> bytes:
    """The press release of an event (published results only) as a file's bytes."""
    view = press_release_view(session=session, event_id=event_id, visibility=Visibility.PUBLIC)
    return render_press_release(view, lang=lang, fmt=fmt)


def render_press_release(view: PressReleaseView, *, lang: Language, fmt: Format) -> bytes:
    if fmt == "md":
        return render("press_release.md", lang, **context(view, lang)).encode("utf-8")
    html = render(
        "press_release.html", lang, charts=press_release_charts(view, lang), **context(view, lang)
    )
    if fmt == "html":
        return html.encode("utf-8")
    return html_to_pdf(html, css="press_release.css")


def press_release_charts(view: PressReleaseView, lang: Language) -> dict[str, Markup]:
    """The three charts as SVG (safe to put into a page as they are): `candidates_per_post`,
    `ages`, `margins`. The public site shows the same."""
    _ = gettext_for(lang)

    def num(value: int | Fraction) -> str:
        return format_number(value, lang, digits=2 if isinstance(value, Fraction) else 0)

    regions = [
        (pick_name(a.territory.names, lang), a.figures.candidates, a.figures.posts)
        for a in view.regions
    ]
    f = view.figures
    return {
        "candidates_per_post": Markup(
            candidates_per_post_chart(
                regions,
                title=_("Registered candidates per post, by region"),
                desc=_("One bar per region: registered candidates divided by posts to fill."),
                number=num,
            )
        ),
        "ages": Markup(
            ages_chart(
                view.elected_ages,
                title=_("Ages of the elected akims"),
                desc=_("Akims elected in each five-year age range, on the day of the vote."),
                axis_label=_("Age, years"),
                number=num,
            )
        ),
        "margins": Markup(
            margins_chart(
                f.margins,
                title=_("Winning margins"),
                desc=_("Contests won by each margin: the winner's votes minus the runner-up's."),
                axis_label=_("Margin, votes"),
                number=num,
            )
        ),
    }


def _share(part: int, whole: int, lang: Language) -> str:
    return format_percent(Fraction(part, whole), lang) if whole else "—"


def headline(f: FiguresView, lang: Language) -> list[Line]:
    _ = gettext_for(lang)
    n = _numbers(lang)
    lines = [
        Line(_("Posts of akim to fill"), n(f.posts)),
        Line(_("Akims elected"), n(f.elected)),
        Line(_("Registered candidates"), n(f.candidates)),
        Line(_("Maslikhats that elected"), n(f.councils)),
        Line(_("Deputies of those maslikhats (electors)"), n(f.deputies)),
        Line(
            _("Women elected"), f"{n(f.women_elected)} ({_share(f.women_elected, f.elected, lang)})"
        ),
    ]
    if f.average_age is not None:
        lines.append(Line(_("Average age of the elected"), format_number(f.average_age, lang, 1)))
    if f.youngest is not None and f.youngest.elected is not None:
        lines.append(Line(_("The youngest elected"), n(f.youngest.elected.age or 0)))
    lines.append(Line(_("Posts won by one vote"), n(f.one_vote_wins)))
    return lines


def context(view: PressReleaseView, lang: Language) -> dict[str, object]:
    """What both templates show, every number already formatted for `lang`."""
    _ = gettext_for(lang)
    n = _numbers(lang)
    f = view.figures
    youngest = f.youngest
    cal = view.calendar
    return {
        "event_name": view.event_name,
        "as_of": format_date(view.last_vote_day, lang) if view.last_vote_day else None,
        "headline": headline(f, lang),
        "summary": _(
            "%(elected)s akims were elected to %(posts)s posts by the deputies of %(councils)s"
            " maslikhats, from %(candidates)s registered candidates."
        )
        % {
            "elected": n(f.elected),
            "posts": n(f.posts),
            "councils": n(f.councils),
            "candidates": n(f.candidates),
        },
        "calendar": [
            Line(
                _("Nomination of candidates"),
                f"{format_date(cal.nomination_opens, lang)} – "
                f"{format_date(cal.nomination_closes, lang)}",
            ),
            Line(
                _("Registration of candidates ends"), format_date(cal.registration_deadline, lang)
            ),
        ],
        "days": [
            {
                "day": format_date(d.day, lang),
                "regions": ", ".join(pick_name(r.names, lang) for r in d.regions),
                "councils": n(d.councils),
                "contests": n(d.contests),
                "elected": n(d.elected),
                "failed": n(d.failed),
            }
            for d in cal.days
        ],
        "candidates": [
            Line(_("People nominated"), n(f.nominated)),
            Line(_("Registered candidates"), n(f.candidates)),
            Line(_("Refused registration"), n(f.refused)),
            Line(_("Withdrew"), n(f.withdrawn)),
            Line(
                _("Women among the candidates"),
                f"{n(f.women_candidates)} ({_share(f.women_candidates, f.candidates, lang)})",
            ),
            Line(
                _("Candidates per post"),
                format_number(Fraction(f.candidates, f.posts), lang, 2) if f.posts else "—",
            ),
        ],
        "elected": [
            Line(
                _("Women elected"),
                f"{n(f.women_elected)} ({_share(f.women_elected, f.elected, lang)})",
            ),
            Line(
                _("Average age of the elected"),
                format_number(f.average_age, lang, 1) if f.average_age is not None else "—",
            ),
            Line(_("Age of the oldest elected"), n(f.oldest_age) if f.oldest_age else "—"),
        ],
        "youngest": None
        if youngest is None or youngest.elected is None
        else _("The youngest akim elected is %(name)s, %(age)s, akim of %(post)s (%(council)s).")
        % {
            "name": youngest.elected.full_name,
            "age": n(youngest.elected.age or 0),
            "post": pick_name(youngest.post.names, lang),
            "council": pick_name(youngest.council.names, lang),
        },
        "margins": [
            Line(_("Posts won by one vote"), n(f.one_vote_wins)),
            Line(_("Contests that went to a repeat voting"), n(f.repeat_voting)),
            Line(_("Akims elected after a tie (by lot or by the tie rule)"), n(f.ties_broken)),
        ],
        "incumbents": [
            Line(_("Incumbent akims among the candidates"), n(view.incumbent_candidates)),
            Line(
                _("Incumbent akims re-elected"),
                f"{n(f.incumbents_reelected)} ({_share(f.incumbents_reelected, f.elected, lang)})",
            ),
        ],
        "failed": [
            Line(_("Posts with no one elected"), n(f.failed)),
            *(Line(_reason(r.value, lang), n(k)) for r, k in f.failed_by_reason.items()),
        ],
        "repeats": [
            {
                "post": f"{pick_name(r.post_names, lang)} ({r.post_kato})",
                "reason": _reason(r.reason.value, lang),
                "day": format_date(r.voting_day, lang),
                "filled": _("elected") if r.is_filled else _("not yet"),
            }
            for r in view.aftermath.repeat_elections
        ],
        "appeals": [
            Line(_("Appeals filed"), n(view.aftermath.appeals.filed)),
            *(
                Line(label(outcome, lang), n(k))
                for outcome, k in view.aftermath.appeals.decided.items()
            ),
            Line(_("Appeals awaiting a decision"), n(view.aftermath.appeals.pending)),
        ],
        "regions": [
            {
                "name": pick_name(a.territory.names, lang),
                "posts": n(a.figures.posts),
                "candidates": n(a.figures.candidates),
                "elected": n(a.figures.elected),
                "women": n(a.figures.women_elected),
                "failed": n(a.figures.failed),
                "age": format_number(a.figures.average_age, lang, 1)
                if a.figures.average_age is not None
                else "—",
                "one_vote": n(a.figures.one_vote_wins),
            }
            for a in view.regions
        ],
        "totals": {
            "posts": n(f.posts),
            "candidates": n(f.candidates),
            "elected": n(f.elected),
            "women": n(f.women_elected),
            "failed": n(f.failed),
            "age": format_number(f.average_age, lang, 1) if f.average_age is not None else "—",
            "one_vote": n(f.one_vote_wins),
        },
    }


def _numbers(lang: Language) -> Callable[[int], str]:
    def n(value: int) -> str:
        return format_number(value, lang)

    return n


def _reason(value: str, lang: Language) -> str:
    from saylau.domain.appeals import RepeatReason

    return label(RepeatReason(value), lang)
