"""`saylau appeal file|decide|list|show`: the registry of appeals and complaints (docs/appeals.md).
The repeat elections of failed contests are contest commands (`saylau contest repeat|repeats`,
cli/events.py)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.auth import AsOption, authenticate, for_day
from saylau.cli.common import (
    AnyEventOption,
    DbOption,
    JsonOption,
    OnOption,
    event_id_of,
    now,
    parse_day,
    print_json,
    say,
    service_call,
    table,
)
from saylau.cli.language import _, date_text, label

if TYPE_CHECKING:
    from saylau.domain.appeals import Appeal

appeal_app = typer.Typer(
    help="Appeals and complaints: filed, decided with their effect, overdue.",
    no_args_is_help=True,
)


def register(app: typer.Typer) -> None:
    app.add_typer(appeal_app, name="appeal")


AppealArgument = Annotated[int, typer.Argument(help="The appeal's id.")]


def _choice(value: str, choices: type, option: str) -> str:
    from saylau.services.errors import InvalidInput

    if value not in {c.value for c in choices}:  # type: ignore[attr-defined]
        expected = ", ".join(c.value for c in choices)  # type: ignore[attr-defined]
        raise InvalidInput.one(
            "bad_choice", f"{option} {value!r}: expected one of {expected}", where=option
        )
    return value


@appeal_app.command("file")
def file(
    subject: Annotated[
        str,
        typer.Option(
            help="What is appealed: registration or refusal (of a nomination), sitting (its"
            " conduct), protocol."
        ),
    ],
    object_id: Annotated[
        int, typer.Option("--object", help="The nomination, sitting or protocol id.")
    ],
    appellant: Annotated[str, typer.Option(help="Who files it.")],
    authority: Annotated[str, typer.Option(help="The commission or court it is addressed to.")],
    grounds: Annotated[str, typer.Option(help="What the appellant asks and why.")],
    court: Annotated[
        bool, typer.Option("--court", help="Addressed to a court (default: a commission).")
    ] = False,
    on: OnOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Record an appeal as it arrives (--on: the day it arrived); prints its deadline."""
    from saylau.domain.appeals import AppealSubject, AuthorityKind, NewAppeal
    from saylau.services import appeals

    day = parse_day(on)
    with service_call(db, json_) as session:
        item = NewAppeal(
            subject=AppealSubject(_choice(subject, AppealSubject, "--subject")),
            object_id=object_id,
            appellant=appellant,
            filed_on=day,
            authority_kind=AuthorityKind.COURT if court else AuthorityKind.COMMISSION,
            authority=authority,
            grounds=grounds,
        )
        appeal_id = appeals.file_appeal(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            appeal=item,
            now=now(),
        )
        found = appeals.get_appeal(session=session, appeal_id=appeal_id)
    if json_:
        print_json(asdict(found))
        return
    when = _("at once") if found.is_at_once else _("within five days")
    say(
        _(
            "appeal %(id)s filed on %(filed)s: to be decided %(when)s, by %(deadline)s"
            " (voting day %(voting_day)s)"
        )
        % {
            "id": found.id,
            "filed": date_text(found.filed_on),
            "when": when,
            "deadline": date_text(found.deadline),
            "voting_day": date_text(found.voting_day),
        }
    )


@appeal_app.command("decide")
def decide(
    appeal: AppealArgument,
    outcome: Annotated[str, typer.Option(help="upheld, rejected or left_without_consideration.")],
    reason: Annotated[str, typer.Option(help="The decision's reason.")],
    on: OnOption = None,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Record an appeal's decision and carry out its effect: an upheld refusal appeal
    reinstates the registration, a registration appeal cancels it, a protocol appeal annuls
    the protocol (its round is voted again)."""
    from saylau.domain.appeals import AppealDecision, AppealId, AppealOutcome
    from saylau.services import appeals

    day = parse_day(on)
    with service_call(db, json_) as session:
        effect = appeals.decide_appeal(
            session=session,
            principal=for_day(authenticate(session, as_user), day),
            decision=AppealDecision(
                AppealId(appeal),
                AppealOutcome(_choice(outcome, AppealOutcome, "--outcome")),
                reason,
                day,
            ),
            now=now(),
        )
    if json_:
        print_json({"appeal": appeal, "outcome": outcome, "effect": effect})
        return
    words = {
        "id": appeal,
        "outcome": label(AppealOutcome(outcome)),
        "on": date_text(day),
        "effect": effect,
    }
    if effect:
        say(_("appeal %(id)s %(outcome)s on %(on)s; effect: %(effect)s") % words)
    else:
        say(_("appeal %(id)s %(outcome)s on %(on)s") % words)


def _rows(found: list[Appeal]) -> list[list[object]]:
    at_once, five_days, pending = _("at once"), _("5 days"), _("pending")
    return [
        [
            a.id,
            label(a.subject),
            a.object_id,
            a.appellant,
            date_text(a.filed_on),
            date_text(a.deadline),
            at_once if a.is_at_once else five_days,
            label(a.outcome) if a.outcome else pending,
            a.effect or "",
        ]
        for a in found
    ]


@appeal_app.command("list")
def list_(
    overdue: Annotated[
        bool, typer.Option("--overdue", help="Only undecided appeals past their deadline on --on.")
    ] = False,
    on: OnOption = None,
    event: AnyEventOption = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Appeals in filing order (every event's, or --event's)."""
    from saylau.services import appeals

    with service_call(db, json_) as session:
        found = appeals.list_appeals(
            session=session,
            event_id=event_id_of(session, event) if event else None,
            overdue_on=parse_day(on) if overdue else None,
        )
    if json_:
        print_json([asdict(a) for a in found])
        return
    columns = [
        "id",
        _("against"),
        _("object"),
        _("appellant"),
        _("filed"),
        _("deadline"),
        _("term"),
        _("outcome"),
        _("effect"),
    ]
    table(_("Overdue appeals") if overdue else _("Appeals"), columns, _rows(found))


@appeal_app.command("show")
def show(appeal: AppealArgument, db: DbOption = None, json_: JsonOption = False) -> None:
    """One appeal: what, who, to whom, the deadline, the decision and its effect."""
    from saylau.domain.appeals import AppealId
    from saylau.services import appeals

    with service_call(db, json_) as session:
        found = appeals.get_appeal(session=session, appeal_id=AppealId(appeal))
    if json_:
        print_json(asdict(found))
        return
    for key, value in asdict(found).items():
        say(f"{key}: {'' if value is None else value}")
