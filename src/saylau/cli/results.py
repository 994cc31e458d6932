"""`saylau results`: an event's results in the country, a region or a district or town, from
the read models (docs/results.md); `--public` shows only what was published."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.common import (
    EXIT_BAD_INPUT,
    DbOption,
    EventOption,
    JsonOption,
    OnOption,
    event_id_of,
    parse_day,
    say,
    service_call,
    table,
)
from saylau.cli.language import _, date_text, label, name_in, number, say_error

if TYPE_CHECKING:
    from saylau.services.views.appeals import AftermathView
    from saylau.services.views.values import ContestView, FiguresView, ResultsView


def results_command(
    region: Annotated[
        str | None, typer.Option("--region", help="Results of one region (its KATO).")
    ] = None,
    district: Annotated[
        str | None,
        typer.Option("--district", help="Results of one district or town (its KATO), by contest."),
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Only published results, as the public sees them.")
    ] = False,
    limit: Annotated[int, typer.Option("--limit", help="Contests per page (0-1000).")] = 100,
    offset: Annotated[int, typer.Option("--offset", help="Contests to skip.")] = 0,
    on: OnOption = None,
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Results of an event: figures (posts, candidates, elected, failed, repeat voting,
    margins, women, ages, protocols signed and published), its regions or districts, and a
    page of its contests; nationally also its appeals (overdue on --on) and repeat elections."""
    import sys

    from saylau.services.views.appeals import aftermath_view
    from saylau.services.views.encode import to_json
    from saylau.services.views.results import results_view
    from saylau.services.views.values import Visibility

    if region is not None and district is not None:
        say_error(_("give --region or --district, not both"))
        raise typer.Exit(EXIT_BAD_INPUT)
    with service_call(db, json_) as session:
        view = results_view(
            session=session,
            event_id=event_id_of(session, event),
            visibility=Visibility.PUBLIC if public else Visibility.STAFF,
            area=district or region,
            limit=limit,
            offset=offset,
        )
        aftermath = (
            aftermath_view(
                session=session,
                event_id=view.event_id,
                visibility=view.visibility,
                on=parse_day(on),
            )
            if view.area is None
            else None
        )
    if json_:
        import json

        encoded = to_json(view)
        if aftermath is not None:
            assert isinstance(encoded, dict)
            encoded["aftermath"] = to_json(aftermath)  # added field: the contract only grows
        sys.stdout.write(json.dumps(encoded, ensure_ascii=False, indent=2) + "\n")
        return
    _print(view)
    if aftermath is not None:
        _print_aftermath(aftermath)


def _print_aftermath(view: AftermathView) -> None:
    a = view.appeals
    decided = ", ".join(f"{number(n)} {label(outcome)}" for outcome, n in a.decided.items())
    say(
        _(
            "appeals: %(filed)s filed (%(decided)s); %(pending)s pending, %(overdue)s overdue on"
            " %(on)s; %(at_once)s to be decided at once"
        )
        % {
            "filed": number(a.filed),
            "decided": decided,
            "pending": number(a.pending),
            "overdue": number(a.overdue),
            "on": date_text(a.on),
            "at_once": number(a.at_once),
        }
    )
    if view.repeat_elections:
        yes, no = _("yes"), _("no")
        table(
            _("repeat elections"),
            [_("post"), _("reason"), _("failed"), _("voting"), _("contest"), _("filled")],
            [
                [
                    f"{name_in(r.post_names)} ({r.post_kato})",
                    label(r.reason),
                    date_text(r.failed_on),
                    date_text(r.voting_day),
                    r.contest_id,
                    yes if r.is_filled else no,
                ]
                for r in view.repeat_elections
            ],
        )


def register(app: typer.Typer) -> None:
    app.command("results")(results_command)


def _print(view: ResultsView) -> None:
    where = (
        _("Kazakhstan") if view.area is None else f"{name_in(view.area.names)} ({view.area.kato})"
    )
    seen = _("public view") if view.visibility.value == "public" else _("staff view")
    say(f"[bold]{view.event_name}[/bold]: {where}, {seen}")
    table(_("figures"), [_("figure"), _("value")], _figure_rows(view.figures))
    if view.parts:
        table(
            _("by region") if view.area is None else _("by district and town"),
            [
                "KATO",
                _("name"),
                _("posts"),
                _("cand"),
                _("won"),
                _("failed"),
                _("pending"),
                _("rnd2"),
                _("by1"),
                _("women"),
            ],
            [
                [
                    p.territory.kato,
                    name_in(p.territory.names),
                    number(p.figures.posts),
                    number(p.figures.candidates),
                    number(p.figures.elected),
                    number(p.figures.failed),
                    number(p.figures.pending),
                    number(p.figures.repeat_voting),
                    number(p.figures.one_vote_wins),
                    number(p.figures.women_elected),
                ]
                for p in view.parts
            ],
        )
    page = view.contests
    if view.parts and page.total:
        say(
            _("%(total)s contests: `saylau results --district KATO` lists them (or --json)")
            % {"total": number(page.total)}
        )
    elif page.items:
        table(
            _("contests %(first)s–%(last)s of %(total)s")
            % {
                "first": number(page.offset + 1),
                "last": number(page.offset + len(page.items)),
                "total": number(page.total),
            },
            [
                _("contest"),
                _("post"),
                "KATO",
                _("status"),
                _("elected"),
                _("margin"),
                _("rounds"),
                _("protocol"),
            ],
            [_contest_row(c) for c in page.items],
        )
    elif page.total:
        say(
            _("%(total)s contests (--limit and --offset page through them)")
            % {"total": number(page.total)}
        )


def _figure_rows(f: FiguresView) -> list[list[object]]:
    failed = ", ".join(f"{label(r)} {number(n)}" for r, n in f.failed_by_reason.items())
    rows: list[list[object]] = [
        [_("posts"), number(f.posts)],
        [_("nominated"), number(f.nominated)],
        [_("registered candidates"), number(f.candidates)],
        [_("women among candidates"), number(f.women_candidates)],
        [_("withdrawn / refused"), f"{number(f.withdrawn)} / {number(f.refused)}"],
        [_("councils voting"), number(f.councils)],
        [_("deputies (electors)"), number(f.deputies)],
        [_("commission staff"), number(f.commission_staff)],
        [_("voting days"), ", ".join(date_text(d) for d in f.vote_dates)],
        [_("elected"), number(f.elected)],
        [_("failed"), number(f.failed) + (f" ({failed})" if failed else "")],
        [_("lot required"), number(f.lot_required)],
        [_("pending"), number(f.pending)],
        [_("repeat voting (round 2)"), number(f.repeat_voting)],
        [_("ties broken"), number(f.ties_broken)],
        [_("won by one vote"), number(f.one_vote_wins)],
        [_("women elected"), number(f.women_elected)],
        [_("incumbents re-elected"), number(f.incumbents_reelected)],
        [
            _("average age of the elected"),
            "" if f.average_age is None else number(f.average_age, 1),
        ],
        [_("youngest elected"), _youngest(f.youngest)],
        [_("results signed / published"), f"{number(f.signed)} / {number(f.published)}"],
    ]
    return rows


def _youngest(c: ContestView | None) -> str:
    if c is None or c.elected is None:
        return ""
    return f"{c.elected.full_name}, {c.elected.age} ({name_in(c.post.names)})"


def _contest_row(c: ContestView) -> list[object]:
    from saylau.rules.decisions import decision_text

    status = label(c.status)
    if c.decision is not None:
        status = decision_text(c.decision)
    protocol = ""
    if c.protocol is not None:
        p = c.protocol
        state = _("published") if p.published_at else _("signed") if p.signed_at else _("unsigned")
        protocol = f"{p.id} v{p.version} {state}"
    return [
        c.id,
        name_in(c.post.names),
        c.post.kato,
        status,
        c.elected.full_name if c.elected else "",
        "" if c.margin is None else number(c.margin),
        c.num_rounds,
        protocol,
    ]
