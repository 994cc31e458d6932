"""`saylau sitting schedule|attend|open|arrive|leave|adjourn|resume|close|show`: the meeting of
electors, from its roll to its closing."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.auth import AsOption, authenticate, for_day
from saylau.cli.common import (
    AtOption,
    DbOption,
    EventOption,
    JsonOption,
    event_id_of,
    parse_day,
    parse_time,
    print_json,
    say,
    service_call,
    table,
    utc_time,
)

if TYPE_CHECKING:
    from saylau.domain.structure import Council, CouncilId
    from saylau.services.attendance import Elector
    from saylau.services.sitting_view import SittingView

sitting_app = typer.Typer(
    help="Meetings of electors: schedule, roll, opening, arrivals and departures, adjournment,"
    " closing.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(sitting_app, name="sitting")


SittingArgument = Annotated[int, typer.Argument(help="Sitting id.")]


@sitting_app.command("schedule")
def schedule(
    council: Annotated[str, typer.Option(help="Council: id, its territory's KATO, or exact name.")],
    day: Annotated[str, typer.Option(help="Voting day YYYY-MM-DD.")],
    contest: Annotated[
        list[str], typer.Option("--contest", help="Contest: id, post KATO or post name (repeat).")
    ],
    event: EventOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Schedule a meeting of electors of a council, voting in one or more contests."""
    from saylau.services import resolve, sittings

    when = parse_day(day, "--day")
    with service_call(db, json_) as session:
        event_id = event_id_of(session, event)
        council_id = resolve.find_council(session=session, ref=council)
        contest_ids = tuple(
            resolve.find_contest(session=session, event_id=event_id, ref=c) for c in contest
        )
        sid = sittings.schedule_sitting(
            session=session,
            principal=authenticate(session, as_user),
            request=sittings.SittingRequest(event_id, council_id, when, contest_ids),
        )
    if json_:
        print_json({"sitting": sid, "contests": contest_ids})
        return
    say(f"sitting {sid} scheduled on {when} for {len(contest_ids)} contests")


@sitting_app.command("attend")
def attend(
    sitting: SittingArgument,
    absent: Annotated[
        list[str] | None, typer.Option("--absent", help="Deputy id or full name (repeat).")
    ] = None,
    present: Annotated[
        list[str] | None,
        typer.Option(
            "--present",
            help="Deputy id or full name (repeat); when given, the others are absent.",
        ),
    ] = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Record the roll: every deputy in office present unless named --absent (or, with
    --present, only those named present)."""
    from saylau.domain.election import SittingId
    from saylau.services import attendance, resolve, sitting_view
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        if absent and present:
            raise InvalidInput("give --absent or --present, not both")
        electors = attendance.list_electors(session=session, sitting_id=SittingId(sitting))
        in_office = [(e.deputy_id, e.full_name) for e in electors]
        chosen = {
            resolve.find_among(
                noun="deputy", ref=r, objects=in_office, scope=f" in office for sitting {sitting}"
            )
            for r in (present if present else (absent or []))
        }
        roll = {
            e.deputy_id: (e.deputy_id in chosen) if present else (e.deputy_id not in chosen)
            for e in electors
        }
        attendance.record_attendance(
            session=session,
            principal=authenticate(session, as_user),
            sitting_id=SittingId(sitting),
            roll=roll,
        )
        view = sitting_view.show_sitting(session=session, sitting_id=SittingId(sitting))
    if json_:
        print_json(view)
        return
    say(f"sitting {sitting}: {view.present} present, {view.absent} absent of {view.members}")


@sitting_app.command("open")
def open_(
    sitting: SittingArgument,
    at: AtOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Open the sitting: checks the roll, the quorum and the candidates; opens round 1."""
    from saylau.services import sittings

    _step(
        sitting, at, db, as_user, json_, sittings.open_sitting,
        lambda view, _when: (
            f"sitting {sitting} open: {view.present} of {view.members} present (quorum"
            f" {view.quorum_needed}); {view.present} ballots per contest in"
            f" {len(view.contests)} contests"
        ),
    )  # fmt: skip


def _step(
    sitting: int,
    at: str | None,
    db: str | None,
    as_user: str | None,
    json_: bool,
    act: Callable[..., object],
    said: Callable[[SittingView, datetime], str],
    **given: object,
) -> None:
    """One step of the sitting's life at `at` (now if none): `act(session=, principal=,
    sitting_id=, now=, **given)`, then the sitting as it stands (--json) or the line `said`."""
    from saylau.domain.election import SittingId
    from saylau.services import sitting_view

    when = parse_time(at)
    with service_call(db, json_) as session:
        act(
            session=session,
            principal=for_day(authenticate(session, as_user), when.date()),
            sitting_id=SittingId(sitting),
            now=when,
            **given,
        )
        view = sitting_view.show_sitting(session=session, sitting_id=SittingId(sitting))
    if json_:
        print_json(view)
        return
    say(said(view, when))


DeputyOption = Annotated[str, typer.Option("--deputy", help="Deputy id or full name.")]
RequiredAtOption = Annotated[
    str,
    typer.Option(
        "--at", help="When, YYYY-MM-DDTHH:MM[:SS] in UTC, or with an offset such as +06:00."
    ),
]


def _move(
    sitting: int,
    deputy: str,
    at: str,
    is_arrival: bool,
    db: str | None,
    as_user: str | None,
    json_: bool,
) -> tuple[str, SittingView]:
    from saylau.domain.election import SittingId
    from saylau.domain.structure import DeputyId
    from saylau.services import attendance, resolve, sitting_view

    when = parse_time(at)
    with service_call(db, json_) as session:
        sid = SittingId(sitting)
        electors = attendance.list_electors(session=session, sitting_id=sid)
        found = resolve.find_among(
            noun="deputy",
            ref=deputy,
            objects=[(e.deputy_id, e.full_name) for e in electors],
            scope=f" on the roll of sitting {sitting}",
        )
        attendance.record_movements(
            session=session,
            principal=for_day(authenticate(session, as_user), when.date()),
            movements=[attendance.Movement(sid, DeputyId(found), is_arrival, when)],
        )
        name = next(e.full_name for e in electors if e.deputy_id == found)
        return f"{name} (deputy {found})", sitting_view.show_sitting(
            session=session, sitting_id=sid
        )


@sitting_app.command("arrive")
def arrive(
    sitting: SittingArgument,
    deputy: DeputyOption,
    at: RequiredAtOption,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Record a deputy arriving after the sitting opened: present for the rounds voted from
    now on."""
    _moved("arrived", _move(sitting, deputy, at, True, db, as_user, json_), at, json_)


@sitting_app.command("leave")
def leave(
    sitting: SittingArgument,
    deputy: DeputyOption,
    at: RequiredAtOption,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Record a deputy leaving the sitting: absent from the rounds voted from now on."""
    _moved("left", _move(sitting, deputy, at, False, db, as_user, json_), at, json_)


def _moved(verb: str, moved: tuple[str, SittingView], at: str, json_: bool) -> None:
    who, view = moved
    if json_:
        print_json(view)
        return
    say(f"{who} {verb} at {utc_time(parse_time(at))}: {view.present} of {view.members} present")


@sitting_app.command("adjourn")
def adjourn(
    sitting: SittingArgument,
    reason: Annotated[str, typer.Option(help="Why the sitting is adjourned.")],
    at: AtOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Adjourn the sitting, with its reason: no vote is entered until it resumes."""
    from saylau.services import sitting_life

    _step(
        sitting, at, db, as_user, json_, sitting_life.adjourn_sitting,
        lambda _view, when: f"sitting {sitting} adjourned at {utc_time(when)}: {reason.strip()}",
        reason=reason,
    )  # fmt: skip


@sitting_app.command("resume")
def resume(
    sitting: SittingArgument,
    at: AtOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Resume an adjourned sitting."""
    from saylau.services import sitting_life

    _step(
        sitting, at, db, as_user, json_, sitting_life.resume_sitting,
        lambda view, when: (
            f"sitting {sitting} resumed at {utc_time(when)}: {view.present} of {view.members}"
            f" present (quorum {view.quorum_needed})"
        ),
    )  # fmt: skip


@sitting_app.command("close")
def close(
    sitting: SittingArgument,
    at: AtOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Close the sitting: every round voted at it decided, no lot awaited."""
    from saylau.services import sitting_life

    _step(
        sitting, at, db, as_user, json_, sitting_life.close_sitting,
        lambda view, when: (
            f"sitting {sitting} closed at {utc_time(when)}: {len(view.rounds)} rounds in"
            f" {len(view.contests)} contests"
        ),
    )  # fmt: skip


@sitting_app.command("show")
def show(
    sitting: SittingArgument,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """A sitting: status and times, roll and who is present now, adjournments, and each round's
    electors, ballots and quorum."""
    from saylau.domain.election import SittingId
    from saylau.services import attendance, sitting_view, structure_queries

    with service_call(db, json_) as session:
        view = sitting_view.show_sitting(session=session, sitting_id=SittingId(sitting))
        electors = attendance.list_electors(session=session, sitting_id=SittingId(sitting))
        councils: dict[CouncilId, Council] = {
            c.id: c for c in structure_queries.list_councils(session=session)
        }
    if json_:
        print_json({"sitting": view, "electors": electors})
        return
    council = councils[view.council_id]
    name = council.names.ru or council.names.kk or council.names.en or "council"
    say(
        f"sitting {view.id} of {name} ({council.territory_kato}) on {view.day}:"
        f" {view.status.value};"
        f" {view.present} present, {view.absent} absent, {view.unrecorded} not recorded, of"
        f" {view.members}; quorum {view.quorum_needed}"
    )
    times = [("opened", view.opened_at), ("closed", view.closed_at)]
    for what, when in times:
        if when is not None:
            say(f"{what} at {utc_time(when)}")
    for a in view.adjournments:
        until = f" until {utc_time(a.resumed_at)}" if a.resumed_at else ""
        say(f"adjourned at {utc_time(a.adjourned_at)}{until}: {a.reason}")
    if view.rounds:
        table(
            "rounds",
            ["contest", "round", "status", "present", "ballots issued", "quorum"],
            [
                [
                    r.contest_id,
                    r.round_no,
                    r.status.value,
                    r.present,
                    r.ballots_issued,
                    r.quorum_needed,
                ]
                for r in view.rounds
            ],
        )
    else:
        table(
            "contests",
            ["contest", "ballots issued per round"],
            [[c, issued] for c, issued in view.contests],
        )
    table(
        "electors",
        ["deputy", "name", "attendance"],
        [[e.deputy_id, e.full_name, _attendance(e)] for e in electors],
    )


def _attendance(e: Elector) -> str:
    opening = "present" if e.at_opening else ("absent" if e.at_opening is False else "—")
    moves = [
        f"{'arrived' if arrived else 'left'} {at.astimezone(UTC):%H:%M}"
        for at, arrived in e.movements
    ]
    return ", ".join([opening, *moves])
