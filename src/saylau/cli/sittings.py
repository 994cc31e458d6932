"""`saylau sitting schedule|attend|open|show`: the meeting of electors."""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.auth import AsOption, authenticate
from saylau.cli.common import (
    DbOption,
    EventOption,
    JsonOption,
    event_id_of,
    now,
    parse_day,
    print_json,
    say,
    service_call,
    table,
)

if TYPE_CHECKING:
    from saylau.domain.structure import Council, CouncilId

sitting_app = typer.Typer(
    help="Meetings of electors: schedule, attendance, opening.", no_args_is_help=True
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
    from saylau.services import resolve, sittings
    from saylau.services.errors import InvalidInput

    with service_call(db, json_) as session:
        if absent and present:
            raise InvalidInput("give --absent or --present, not both")
        electors = sittings.list_electors(session=session, sitting_id=SittingId(sitting))
        in_office = [(i, name) for i, name, _present in electors]
        chosen = {
            resolve.find_among(
                noun="deputy", ref=r, objects=in_office, scope=f" in office for sitting {sitting}"
            )
            for r in (present if present else (absent or []))
        }
        roll = {i: (i in chosen) if present else (i not in chosen) for i, _n, _p in electors}
        sittings.record_attendance(
            session=session,
            principal=authenticate(session, as_user),
            sitting_id=SittingId(sitting),
            roll=roll,
        )
        view = sittings.show_sitting(session=session, sitting_id=SittingId(sitting))
    if json_:
        print_json(view)
        return
    say(f"sitting {sitting}: {view.present} present, {view.absent} absent of {view.members}")


@sitting_app.command("open")
def open_(
    sitting: SittingArgument,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Open the sitting: checks the roll, the quorum and the candidates; opens round 1."""
    from saylau.domain.election import SittingId
    from saylau.services import sittings

    with service_call(db, json_) as session:
        sittings.open_sitting(
            session=session,
            principal=authenticate(session, as_user),
            sitting_id=SittingId(sitting),
            now=now(),
        )
        view = sittings.show_sitting(session=session, sitting_id=SittingId(sitting))
    if json_:
        print_json(view)
        return
    say(
        f"sitting {sitting} open: {view.present} of {view.members} present (quorum"
        f" {view.quorum_needed}); {view.present} ballots per contest in"
        f" {len(view.contests)} contests"
    )


@sitting_app.command("show")
def show(
    sitting: SittingArgument,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """A sitting: status, roll, quorum, contests and ballots issued."""
    from saylau.domain.election import SittingId
    from saylau.services import sittings, structure_queries

    with service_call(db, json_) as session:
        view = sittings.show_sitting(session=session, sitting_id=SittingId(sitting))
        electors = sittings.list_electors(session=session, sitting_id=SittingId(sitting))
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
    table(
        "contests",
        ["contest", "ballots issued per round"],
        [[c, issued] for c, issued in view.contests],
    )
    table(
        "electors",
        ["deputy", "name", "attendance"],
        [[i, n, "present" if p else ("absent" if p is False else "—")] for i, n, p in electors],
    )
