"""`saylau event create|show|list` and `saylau contest show|list|repeat|repeats` (repeat
elections of failed contests, docs/appeals.md)."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path
from typing import Annotated, Any

import typer

from saylau.cli.auth import AsOption, authenticate, for_day
from saylau.cli.common import (
    AnyEventOption,
    DbOption,
    EventOption,
    JsonOption,
    OnOption,
    event_id_of,
    input_refused,
    now,
    parse_day,
    print_candidates,
    print_json,
    read_json,
    say,
    service_call,
    table,
)
from saylau.cli.language import _, date_text, label, number

event_app = typer.Typer(help="Election events: rule set, calendar, posts.", no_args_is_help=True)
contest_app = typer.Typer(help="Contests (one per post) and their results.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(event_app, name="event")
    app.add_typer(contest_app, name="contest")


# --- events --------------------------------------------------------------------------------


@event_app.command("create")
def create(
    file: Annotated[Path, typer.Argument(help="Event JSON (docs/lifecycle.md); - for stdin.")],
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Create an election event and one contest per post it fills."""
    from saylau.rules.errors import InputError
    from saylau.rules.schemas import read_event
    from saylau.services import events

    data = read_json(file)
    with service_call(db, json_) as session:
        try:
            spec = read_event(data)
        except InputError as error:
            raise input_refused(error, "event file") from None
        posts = events.all_post_katos(session=session) if spec.posts is None else spec.posts
        event_id = events.create_event(
            session=session,
            principal=authenticate(session, as_user),
            name=spec.name,
            rules=spec.rules,
            calendar=spec.calendar,
            voting_days=spec.voting_days,
            post_katos=list(posts),
            min_candidates=spec.min_candidates,
            eligibility=spec.eligibility,
            now=now(),
        )
        view = events.show_event(session=session, event_id=event_id)
    if json_:
        print_json(view)
        return
    say(
        _("event %(id)s %(name)r: %(contests)s contests, rules %(rules)s")
        % {
            "id": view.id,
            "name": view.name,
            "contests": number(view.num_contests),
            "rules": view.rule_set_name,
        }
    )


@event_app.command("show")
def show(event: EventOption = None, db: DbOption = None, json_: JsonOption = False) -> None:
    """An event's calendar, voting days, eligibility settings and whole rule set (as `saylau
    rules show` gives a preset: quorum, each round's win rule and advance, limit, tie)."""
    from rich.markup import escape

    from saylau.services import events

    with service_call(db, json_) as session:
        view = events.show_event(session=session, event_id=event_id_of(session, event))
    if json_:
        print_json(view)
        return
    cal = view.calendar
    say(
        f"[bold]{view.name}[/bold] "
        + _("(event %(id)s), rules %(rules)s")
        % {"id": view.id, "rules": view.rule_set_name or _("inline")}
    )
    say(
        _("nominations %(opens)s – %(closes)s; registration until %(deadline)s")
        % {
            "opens": date_text(cal.nomination_opens),
            "closes": date_text(cal.nomination_closes),
            "deadline": date_text(cal.registration_deadline),
        }
    )
    say(
        _(
            "%(contests)s contests; at least %(min_candidates)s registered candidates each;"
            " minimum age %(min_age)s on voting day; documents: %(documents)s"
        )
        % {
            "contests": number(view.num_contests),
            "min_candidates": view.min_candidates,
            "min_age": view.eligibility.min_age,
            "documents": ", ".join(view.eligibility.required_documents) or _("none"),
        }
    )
    table(
        _("voting days"),
        [_("territory (KATO)"), _("day")],
        [[k, date_text(d)] for k, d in view.voting_days.items()],
    )
    for line in _rule_set_lines(view.rule_set):
        say(escape(line))


def _threshold(data: Any) -> str:
    """A quorum or a win rule in words: `more than 1/2 of members`, `at least 2/3 of present`."""
    if data is None:
        return _("none")
    if data.get("kind") == "plurality":
        return _("most votes")
    words = {"fraction": data["fraction"], "of": data["of"]}
    return (
        _("more than %(fraction)s of %(of)s")
        if data["strict"]
        else _("at least %(fraction)s of %(of)s")
    ) % words


def _rule_set_lines(rule_set: Any) -> list[str]:
    """The whole stored rule set (`saylau rules show`'s fields) as lines of text."""
    name = rule_set.get("name") or _("inline")
    lines = [
        (_("rule set %(name)s: %(title)s") % {"name": name, "title": rule_set.get("title", "")})
        .rstrip()
        .rstrip(":"),
        _("source: %(source)s") % {"source": rule_set.get("source") or _("none given")},
        _("quorum: %(quorum)s") % {"quorum": _threshold(rule_set.get("quorum"))},
    ]
    for band in rule_set["rounds"]:
        until = band["to"] if band["to"] is not None else _("on")
        lines.append(
            _("rounds %(from)s–%(to)s: win by %(win)s; then %(advance)s")
            % {
                "from": band["from"],
                "to": until,
                "win": _threshold(band["win"]),
                "advance": band["advance"],
            }
        )
    max_rounds = rule_set.get("max_rounds")
    lines.append(
        _("at most %(max)s rounds") % {"max": max_rounds}
        if max_rounds is not None
        else _("no limit on rounds")
    )
    lines.append(
        _("tie: %(tie)s; against all: %(against_all)s")
        % {
            "tie": rule_set["tie"],
            "against_all": _("yes") if rule_set.get("against_all") else _("no"),
        }
    )
    if rule_set.get("reading"):
        lines.append(_("reading: %(reading)s") % {"reading": rule_set["reading"]})
    return lines


@event_app.command("list")
def list_(db: DbOption = None, json_: JsonOption = False) -> None:
    """Every election event."""
    from saylau.services import events

    with service_call(db, json_) as session:
        views = events.list_events(session=session)
    if json_:
        print_json(views)
        return
    table(
        _("election events"),
        ["id", _("name"), _("rules"), _("contests")],
        [[v.id, v.name, v.rule_set_name, number(v.num_contests)] for v in views],
    )


# --- contests ------------------------------------------------------------------------------


def _print_results(rows: list[Any], title: str) -> None:
    yes, no = _("yes"), _("no")
    table(
        title,
        [
            _("contest"),
            _("post"),
            _("status"),
            _("elected"),
            _("round"),
            _("protocol"),
            _("signed"),
            _("published"),
        ],
        [
            [
                r.contest_id,
                f"{r.post_name} ({r.post_kato})",
                label(r.status) + (f": {r.failure_reason}" if r.failure_reason else ""),
                r.elected_name,
                r.decided_round,
                f"{r.protocol_id} v{r.protocol_version}" if r.protocol_id else None,
                yes if r.is_signed else no,
                yes if r.is_published else no,
            ]
            for r in rows
        ],
    )


@contest_app.command("list")
def contest_list(
    event: EventOption = None,
    status: Annotated[str | None, typer.Option(help="Only contests in this status.")] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Every contest of an event with its status and result."""
    from saylau.domain.election import ContestStatus
    from saylau.services import results
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        if status is not None and status not in set(ContestStatus):
            raise InvalidInput(f"--status {status!r}: expected one of {', '.join(ContestStatus)}")
        rows = results.contest_results(session=session, event_id=event_id_of(session, event))
    rows = [r for r in rows if status is None or r.status.value == status]
    if json_:
        print_json(rows)
        return
    _print_results(rows, _("%(num)s contests") % {"num": number(len(rows))})


@contest_app.command("show")
def contest_show(
    contest: Annotated[
        str, typer.Argument(help="Contest: id, the post's territory KATO, or its exact name.")
    ],
    event: EventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """A contest's result, candidates and rounds."""
    from saylau.domain.election import RoundStatus
    from saylau.rules.decisions import decision_text
    from saylau.services import candidates, resolve, results

    with service_call(db, json_) as session:
        event_id = event_id_of(session, event)
        contest_id = resolve.find_contest(session=session, event_id=event_id, ref=contest)
        (result,) = results.contest_results(
            session=session, event_id=event_id, contest_ids=[contest_id]
        )
        people = candidates.list_candidates(session=session, contest_id=contest_id)
        rounds = results.list_rounds(session=session, contest_id=contest_id)
    if json_:
        print_json({"result": result, "candidates": people, "rounds": rounds})
        return
    _print_results([result], _("contest %(id)s") % {"id": contest_id})
    print_candidates(people)
    names: dict[int, str] = {c.nomination_id: c.full_name for c in people}
    table(
        _("rounds"),
        [_("round"), _("status"), _("decision"), _("on the ballot"), _("protocol versions")],
        [
            [
                r.round_no,
                label(RoundStatus(r.status)),
                decision_text(r.decision) if r.decision else "",
                ", ".join(names.get(n, _("nomination %(id)s") % {"id": n}) for n in r.standing),
                r.num_versions,
            ]
            for r in rounds
        ],
    )


# --- repeat elections ----------------------------------------------------------------------


@contest_app.command("repeat")
def repeat(
    contest: Annotated[
        str,
        typer.Argument(
            help="The failed contest: id, the post's territory KATO, or its exact name."
        ),
    ],
    voting_day: Annotated[str, typer.Option(help="The repeat voting day, YYYY-MM-DD.")],
    on: OnOption = None,
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Call the repeat election of a failed contest (--on: the day it is called). Its new
    contest is in the repeat event of that voting day, with the calendar the rules set."""
    from saylau.services import repeat_elections, resolve

    day, voting = parse_day(on), parse_day(voting_day, "--voting-day")
    with service_call(db, json_) as session:
        failed = resolve.find_contest(
            session=session, event_id=event_id_of(session, event), ref=contest
        )
        repeat_elections.call_repeat_election(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            contest_id=failed,
            voting_day=voting,
            on=day,
            now=now(),
        )
        (found,) = [
            r
            for r in repeat_elections.list_repeat_elections(session=session)
            if r.failed_contest_id == failed
        ]
    if json_:
        print_json(asdict(found))
        return
    say(
        _(
            "repeat election of post %(post)s (%(reason)s): contest %(contest)s of event"
            " %(event)s, voting on %(voting_day)s; nominations %(opens)s to %(closes)s,"
            " registration until %(deadline)s"
        )
        % {
            "post": found.post_kato,
            "reason": label(found.reason),
            "contest": found.contest_id,
            "event": found.event_id,
            "voting_day": date_text(found.voting_day),
            "opens": date_text(found.nomination_opens),
            "closes": date_text(found.nomination_closes),
            "deadline": date_text(found.registration_deadline),
        }
    )


@contest_app.command("repeats")
def repeats(event: AnyEventOption = None, db: DbOption = None, json_: JsonOption = False) -> None:
    """The repeat elections called for failed contests (every event's, or --event's)."""
    from saylau.domain.election import ContestStatus
    from saylau.services import repeat_elections

    with service_call(db, json_) as session:
        found = repeat_elections.list_repeat_elections(
            session=session, event_id=event_id_of(session, event) if event else None
        )
    if json_:
        print_json([asdict(r) for r in found])
        return
    table(
        _("Repeat elections"),
        [
            "id",
            _("post"),
            _("reason"),
            _("failed"),
            _("voting"),
            _("nominations"),
            _("registration"),
            _("contest"),
        ],
        [
            [
                r.id,
                r.post_kato,
                label(r.reason),
                date_text(r.failed_on),
                date_text(r.voting_day),
                f"{date_text(r.nomination_opens)}…{date_text(r.nomination_closes)}",
                date_text(r.registration_deadline),
                f"{r.contest_id} ({label(ContestStatus(r.status))})",
            ]
            for r in found
        ],
    )
