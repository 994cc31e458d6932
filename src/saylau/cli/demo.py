"""`saylau demo`: the whole August 2013 national cycle through the services, then the national
summary from the stored records beside the published figures (docs/demo.md).

Imports the scenario, the services and SQLAlchemy inside the command only (fast `--help`).
"""

from __future__ import annotations

import json
import sys
import time
from fractions import Fraction
from typing import TYPE_CHECKING, Annotated, Any

import typer

from saylau.cli.common import EXIT_REFUSED, hide_password
from saylau.cli.language import _, day_and_month, grouped, number

if TYPE_CHECKING:
    from saylau.scenarios.kz2013.reference import ComparisonRow
    from saylau.scenarios.kz2013.summary import NationalSummary, RegionSummary

DEFAULT_DB = "sqlite:///saylau-demo.db"
DEFAULT_SEED = 2013


def register(app: typer.Typer) -> None:
    app.command("demo")(demo_command)


def demo_command(
    seed: Annotated[int, typer.Option("--seed", help="Seed of the simulation.")] = DEFAULT_SEED,
    db: Annotated[
        str,
        typer.Option(
            "--db",
            help="Database URL: an empty database, or one a previous demo made (it is replaced).",
        ),
    ] = DEFAULT_DB,
    json_: Annotated[bool, typer.Option("--json", help="Print the summary as JSON.")] = False,
    admin_password_stdin: Annotated[
        bool,
        typer.Option(
            "--admin-password-stdin",
            help="Give the demo's CEC administrator (demo-cec-admin) the password on the first"
            " line of standard input; the demo's other users get none (docs/demo.md).",
        ),
    ] = False,
) -> None:
    """Run the August 2013 national cycle (2,457 posts, 188 councils) through saylau's
    services and print the national summary beside the 2013 figures."""
    from rich.console import Console

    from saylau.scenarios.kz2013.demo_database import DemoRefused

    err = Console(stderr=True)
    try:
        password = sys.stdin.readline().rstrip("\r\n") if admin_password_stdin else None
        summary, seconds, done = run_demo(seed, db, err, admin_password=password)
    except DemoRefused as e:
        err.print(f"[red]error:[/red] {e}", highlight=False)
        raise typer.Exit(EXIT_REFUSED) from None
    if json_:
        sys.stdout.write(json.dumps(to_json(summary, seed, db, seconds), ensure_ascii=False))
        sys.stdout.write("\n")
        return
    out = Console()
    out.print(
        _("saylau demo, seed %(seed)s: %(db)s (%(done)s), %(seconds)s s")
        % {"seed": seed, "db": hide_password(db), "done": done, "seconds": f"{seconds:.1f}"},
        highlight=False,
    )
    print_summary(out, summary)
    out.print(
        _("Check the audit log: saylau verify --db %(db)s") % {"db": hide_password(db)},
        highlight=False,
    )


def run_demo(
    seed: int, url: str, err: Any, *, admin_password: str | None = None
) -> tuple[NationalSummary, float, str]:
    """Prepare the database, build, store, summarize (a progress bar on `err`)."""
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from saylau.db.engine import make_engine, make_session_factory
    from saylau.scenarios.kz2013 import build, demo_database
    from saylau.scenarios.kz2013.summary import summarize

    start = time.perf_counter()
    done = demo_database.prepare_database(url)
    columns = (TextColumn("{task.description:<34}"), BarColumn(), TimeElapsedColumn())
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("simulating the cycle", total=None)
        scenario = build.make_scenario(seed)
        progress.update(task, total=len(build.steps(scenario)) + 2, completed=1)
        engine = make_engine(url)
        try:
            with make_session_factory(engine)() as session:

                def step(label: str) -> None:
                    progress.update(task, advance=1, description=f"stored: {label}")

                event_id = build.store(
                    session, scenario, progress=step, admin_password=admin_password
                )
                summary = summarize(session, event_id)
                progress.advance(task)
        finally:
            engine.dispose()
    return summary, time.perf_counter() - start, done


# --- text ----------------------------------------------------------------------------------


def _text(value: object, digits: int = 1) -> str:
    if value is None:
        return "—"
    if isinstance(value, Fraction):
        return number(value, digits) if value.denominator != 1 else number(value.numerator)
    if isinstance(value, int):
        return grouped(value)
    return str(value)


def _difference(row: ComparisonRow) -> str:
    if row.difference is None:
        return "=" if row.matches else "≠"
    if row.difference == 0:
        return "0"
    return ("+" if row.difference > 0 else "") + _text(row.difference, 2)


def print_summary(out: Any, summary: NationalSummary) -> None:
    from rich.table import Table

    table = Table(
        title=_("National summary: %(event)s") % {"event": summary.event_name},
        title_justify="left",
    )
    for name, justify in (
        (_("figure"), "left"),
        ("2013", "right"),
        ("saylau", "right"),
        (_("difference"), "right"),
        ("", "left"),
    ):
        table.add_column(name, justify=justify)  # type: ignore[arg-type]
    for row in summary.rows():
        digits = 2 if row.key == "candidates_per_post" else 1
        if row.kind == "structural":
            note = (
                f"[green]{_('matches')}[/green]" if row.matches else f"[red]{_('MISMATCH')}[/red]"
            )
        else:
            note = f"[dim]{_('simulated')}[/dim]"
        table.add_row(
            row.label,
            _text(row.reference, digits),
            _text(row.computed, digits),
            _difference(row),
            note,
        )
    out.print(table)
    none = _("none")
    failed = ", ".join(f"{k} {v}" for k, v in summary.failed_by_reason.items()) or none
    refused = ", ".join(f"{k} {v}" for k, v in summary.refused_by_reason.items()) or none
    out.print(
        _(
            "Failed contests by reason: %(failed)s. Repeat voting (round 2) in %(repeat)s"
            " contests. Nominations refused: %(refused)s; withdrawn: %(withdrawn)s. Youngest"
            " elected: %(youngest)s."
        )
        % {
            "failed": failed,
            "repeat": number(summary.repeat_voting),
            "refused": refused,
            "withdrawn": number(summary.withdrawn),
            "youngest": summary.youngest_name,
        },
        highlight=False,
    )
    days = ", ".join(day_and_month(d) for d in summary.repeat_voting_days) or none
    appeals = ", ".join(f"{k} {v}" for k, v in summary.appeals.items())
    out.print(
        _(
            "Posts filled: %(august)s in August; %(after)s after the repeat elections"
            " (%(days)s). Appeals: %(appeals)s."
        )
        % {
            "august": grouped(summary.filled_in_august),
            "after": grouped(summary.filled_after_repeat),
            "days": days,
            "appeals": appeals,
        },
        highlight=False,
    )
    out.print(_region_table(summary))


def _region_table(summary: NationalSummary) -> Any:
    from rich import box
    from rich.table import Table

    published = {r.key: r for r in summary.region_rows()}
    table = Table(
        title=_(
            "By region. coun: councils voting, dep: their deputies, cand: registered"
            " candidates, won: akims elected, rnd2: repeat voting, by1: won by one vote."
            " ✓: equals the published 2013 figure; (n): the 2013 figure, where different."
        ),
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column(_("region"), no_wrap=True, min_width=6)
    table.add_column(_("Aug"), no_wrap=True, min_width=4)
    for name in (
        _("coun"),
        _("dep"),
        _("posts"),
        _("cand"),
        _("won"),
        _("ties"),
        _("rnd2"),
        _("by1"),
        _("women"),
    ):
        table.add_column(name, justify="right", no_wrap=True, min_width=len(name))

    def cell(r: RegionSummary, key: str, value: object) -> str:
        row = published.get(f"{r.code}.{key}")
        text = _text(value)
        if row is None:
            return text
        return f"{text}✓" if row.matches else f"{text} ({_text(row.reference)})"

    for r in summary.regions:
        dates_row = published.get(f"{r.code}.vote_dates")
        table.add_row(
            r.code.removeprefix("KZ-"),
            ",".join(str(d.day) for d in r.vote_dates)
            + ("✓" if dates_row and dates_row.matches else ""),
            _text(r.councils),
            cell(r, "deputies", r.deputies),
            cell(r, "posts", r.posts),
            cell(r, "candidates", r.candidates),
            _text(r.elected),
            cell(r, "failed_tie", r.failed_tie),
            _text(r.repeat_voting),
            _text(r.one_vote_wins),
            _text(r.women_elected),
        )
    return table


# --- JSON ----------------------------------------------------------------------------------


def _exact(value: object) -> object:
    """ints as numbers, fractions as "p/q" strings (exact), anything else as text."""
    if isinstance(value, Fraction):
        return value.numerator if value.denominator == 1 else f"{value}"
    return value


def _row_json(row: ComparisonRow) -> dict[str, object]:
    digits = 2 if row.key == "candidates_per_post" else 1
    return {
        "key": row.key,
        "label": row.label,
        "kind": str(row.kind),
        "reference": _exact(row.reference),
        "computed": _exact(row.computed),
        "difference": _exact(row.difference),
        "matches": row.matches,
        "reference_text": _text(row.reference, digits),
        "computed_text": _text(row.computed, digits),
    }


def summary_json(summary: NationalSummary) -> dict[str, object]:
    """The summary alone: equal for equal seeds, whatever the database."""
    return {
        "event": summary.event_name,
        "figures": [_row_json(r) for r in summary.rows()],
        "failed_by_reason": dict(summary.failed_by_reason),
        "refused_by_reason": dict(summary.refused_by_reason),
        "withdrawn": summary.withdrawn,
        "repeat_voting": summary.repeat_voting,
        "youngest_name": summary.youngest_name,
        "regions": [
            {
                "code": r.code,
                "name": r.name,
                "vote_dates": [d.isoformat() for d in r.vote_dates],
                "councils": r.councils,
                "deputies": r.deputies,
                "posts": r.posts,
                "candidates": r.candidates,
                "elected": r.elected,
                "failed": r.failed,
                "failed_tie": r.failed_tie,
                "repeat_voting": r.repeat_voting,
                "one_vote_wins": r.one_vote_wins,
                "women_elected": r.women_elected,
                "incumbents_reelected": r.incumbents_reelected,
            }
            for r in summary.regions
        ],
        "region_figures": [_row_json(r) for r in summary.region_rows()],
        "repeat_elections": {
            "held": summary.figures["repeat_elections"],
            "voting_days": [d.isoformat() for d in summary.repeat_voting_days],
        },
        "posts_filled": {
            "august": summary.filled_in_august,
            "after_repeat_elections": summary.filled_after_repeat,
        },
        "appeals": dict(summary.appeals),
    }


def to_json(summary: NationalSummary, seed: int, url: str, seconds: float) -> dict[str, object]:
    return {
        "seed": seed,
        "database": hide_password(url),
        "event_id": summary.event_id,
        "seconds": round(seconds, 2),
        "summary": summary_json(summary),
    }
