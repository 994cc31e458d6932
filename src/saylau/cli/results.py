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

if TYPE_CHECKING:
    from saylau.domain.structure import Names
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
        sys.stderr.write("error: give --region or --district, not both\n")
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
    decided = ", ".join(f"{n} {outcome.value}" for outcome, n in a.decided.items())
    say(
        f"appeals: {a.filed} filed ({decided}); {a.pending} pending, {a.overdue} overdue on"
        f" {a.on}; {a.at_once} to be decided at once"
    )
    if view.repeat_elections:
        table(
            "repeat elections",
            ["post", "reason", "failed", "voting", "contest", "filled"],
            [
                [
                    r.post_kato,
                    r.reason.value,
                    r.failed_on,
                    r.voting_day,
                    r.contest_id,
                    "yes" if r.is_filled else "no",
                ]
                for r in view.repeat_elections
            ],
        )


def register(app: typer.Typer) -> None:
    app.command("results")(results_command)


def name_of(names: Names) -> str:
    """The English name, else the Russian, else the Kazakh (the CLI prints in English)."""
    return names.en or names.ru or names.kk


def _print(view: ResultsView) -> None:
    where = "Kazakhstan" if view.area is None else f"{name_of(view.area.names)} ({view.area.kato})"
    say(f"[bold]{view.event_name}[/bold]: {where}, {view.visibility.value} view")
    table("figures", ["figure", "value"], _figure_rows(view.figures))
    if view.parts:
        table(
            "by region" if view.area is None else "by district and town",
            ["KATO", "name", "posts", "cand", "won", "failed", "pending", "rnd2", "by1", "women"],
            [
                [
                    p.territory.kato,
                    name_of(p.territory.names),
                    p.figures.posts,
                    p.figures.candidates,
                    p.figures.elected,
                    p.figures.failed,
                    p.figures.pending,
                    p.figures.repeat_voting,
                    p.figures.one_vote_wins,
                    p.figures.women_elected,
                ]
                for p in view.parts
            ],
        )
    page = view.contests
    if view.parts and page.total:
        say(f"{page.total} contests: `saylau results --district KATO` lists them (or --json)")
    elif page.items:
        table(
            f"contests {page.offset + 1}–{page.offset + len(page.items)} of {page.total}",
            ["contest", "post", "KATO", "status", "elected", "margin", "rounds", "protocol"],
            [_contest_row(c) for c in page.items],
        )
    elif page.total:
        say(f"{page.total} contests (--limit and --offset page through them)")


def _figure_rows(f: FiguresView) -> list[list[object]]:
    failed = ", ".join(f"{r.value} {n}" for r, n in f.failed_by_reason.items())
    rows: list[list[object]] = [
        ["posts", f.posts],
        ["nominated", f.nominated],
        ["registered candidates", f.candidates],
        ["women among candidates", f.women_candidates],
        ["withdrawn / refused", f"{f.withdrawn} / {f.refused}"],
        ["councils voting", f.councils],
        ["deputies (electors)", f.deputies],
        ["commission staff", f.commission_staff],
        ["voting days", ", ".join(d.isoformat() for d in f.vote_dates)],
        ["elected", f.elected],
        ["failed", f"{f.failed}" + (f" ({failed})" if failed else "")],
        ["lot required", f.lot_required],
        ["pending", f.pending],
        ["repeat voting (round 2)", f.repeat_voting],
        ["ties broken", f.ties_broken],
        ["won by one vote", f.one_vote_wins],
        ["women elected", f.women_elected],
        ["incumbents re-elected", f.incumbents_reelected],
        [
            "average age of the elected",
            "" if f.average_age is None else f"{float(f.average_age):.1f}",
        ],
        ["youngest elected", _youngest(f.youngest)],
        ["results signed / published", f"{f.signed} / {f.published}"],
    ]
    return rows


def _youngest(c: ContestView | None) -> str:
    if c is None or c.elected is None:
        return ""
    return f"{c.elected.full_name}, {c.elected.age} ({name_of(c.post.names)})"


def _contest_row(c: ContestView) -> list[object]:
    from saylau.rules.decisions import decision_text

    status = c.status.value
    if c.decision is not None:
        status = decision_text(c.decision)
    protocol = ""
    if c.protocol is not None:
        p = c.protocol
        state = "published" if p.published_at else "signed" if p.signed_at else "unsigned"
        protocol = f"{p.id} v{p.version} {state}"
    return [
        c.id,
        name_of(c.post.names),
        c.post.kato,
        status,
        c.elected.full_name if c.elected else "",
        "" if c.margin is None else c.margin,
        c.num_rounds,
        protocol,
    ]
