"""Reading the structure: `saylau territories list`, `saylau councils list|show`,
`saylau commissions list|show`; tables for people, --json for scripts."""

from __future__ import annotations

import dataclasses
import sys
from typing import Annotated

import typer

from saylau.cli.common import DbOption, JsonOption, fail, print_json, service_call, table
from saylau.cli.language import _, date_text, label, name_in, number

# The structure's tables have always named a territory in Russian first (in English output).
RU_FIRST = ("ru", "kk", "en")

territories_app = typer.Typer(help="Territories (KATO codes).", no_args_is_help=True)
councils_app = typer.Typer(
    help="Councils (maslikhats), their deputies and posts.", no_args_is_help=True
)
commissions_app = typer.Typer(help="Election commissions and their members.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(territories_app, name="territories")
    app.add_typer(councils_app, name="councils")
    app.add_typer(commissions_app, name="commissions")


@territories_app.command("list")
def territories_list(
    kind: Annotated[str | None, typer.Option(help="Only this kind, e.g. rural_district.")] = None,
    parent: Annotated[str | None, typer.Option(help="Only the children of this KATO.")] = None,
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """Territories ordered by KATO."""
    from saylau.domain.structure import TerritoryKind
    from saylau.services import structure_queries
    from saylau.services.errors import InvalidInput

    try:
        wanted = TerritoryKind(kind) if kind else None
    except ValueError:
        expected = ", ".join(k.value for k in TerritoryKind)
        fail(InvalidInput(f"--kind: expected one of {expected}, got {kind!r}"), as_json=json_)
    with service_call(db, json_) as session:
        found = structure_queries.list_territories(session=session, kind=wanted, parent_kato=parent)
    if json_:
        print_json(found)
        return
    rows = [
        [t.kato, label(TerritoryKind(t.kind)), t.parent_kato or "", name_in(t.names, RU_FIRST)]
        for t in found
    ]
    table(
        _("%(num)s territories") % {"num": number(len(found))},
        ["KATO", _("kind"), _("parent"), _("name")],
        rows,
    )


@councils_app.command("list")
def councils_list(db: DbOption = None, json_: JsonOption = False) -> None:
    """Councils with their seats, sitting deputies and posts."""
    from saylau.services import structure_queries

    with service_call(db, json_) as session:
        found = structure_queries.list_councils(session=session)
        posts = structure_queries.list_posts(session=session)
    num_posts: dict[str, int] = {}
    for post in posts:
        num_posts[post.council_kato] = num_posts.get(post.council_kato, 0) + 1
    if json_:
        print_json(
            [
                dataclasses.asdict(c) | {"num_posts": num_posts.get(c.territory_kato, 0)}
                for c in found
            ]
        )
        return
    rows = [
        [
            c.territory_kato,
            name_in(c.names, RU_FIRST),
            number(c.num_seats),
            number(num_posts.get(c.territory_kato, 0)),
        ]
        for c in found
    ]
    table(
        _("%(num)s councils") % {"num": number(len(found))},
        ["KATO", _("name"), _("seats"), _("posts")],
        rows,
    )


@councils_app.command("show")
def councils_show(
    council: Annotated[
        str, typer.Argument(help="The council: id, its district's or city's KATO, or exact name.")
    ],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """One council: its deputies and the posts whose akims it elects."""
    from saylau.domain.structure import Sex
    from saylau.services import resolve, structure_queries

    with service_call(db, json_) as session:
        council_id = resolve.find_council(session=session, ref=council)
        (found,) = structure_queries.list_councils(session=session, council_ids=[council_id])
        kato = found.territory_kato
        deputies = structure_queries.list_deputies(session=session, council_kato=kato)
        posts = structure_queries.list_posts(session=session, council_kato=kato)
    if json_:
        print_json(
            {
                "council": dataclasses.asdict(found),
                "deputies": [dataclasses.asdict(d) for d in deputies],
                "posts": [dataclasses.asdict(p) for p in posts],
            }
        )
        return
    name = name_in(found.names, RU_FIRST)
    sitting = sum(1 for d in deputies if d.mandate_end is None)
    sys.stdout.write(
        _("%(name)s (%(kato)s): %(seats)s seats, %(sitting)s sitting deputies")
        % {"name": name, "kato": kato, "seats": number(found.num_seats), "sitting": number(sitting)}
        + "\n"
    )
    rows = [
        [
            d.full_name,
            label(Sex(d.sex)),
            date_text(d.birth_date),
            date_text(d.mandate_start),
            date_text(d.mandate_end),
        ]
        for d in deputies
    ]
    table(
        _("deputies"),
        [_("name"), _("sex"), _("born"), _("mandate from"), _("mandate to")],
        rows,
    )
    table(_("posts"), [_("territory KATO")], [[p.territory_kato] for p in posts])


@commissions_app.command("list")
def commissions_list(db: DbOption = None, json_: JsonOption = False) -> None:
    """Every commission: level, territory, name."""
    from saylau.services import commissions

    with service_call(db, json_) as session:
        found = commissions.list_commissions(session=session)
    if json_:
        print_json(found)
        return
    rows = [[c.level, c.territory_kato or "", c.name] for c in found]
    table(
        _("%(num)s commissions") % {"num": number(len(found))},
        [_("level"), _("territory"), _("name")],
        rows,
    )


@commissions_app.command("show")
def commissions_show(
    commission: Annotated[
        str,
        typer.Argument(help="The commission: its territory's KATO, 'cec', its id or exact name."),
    ],
    db: DbOption = None,
    json_: JsonOption = False,
) -> None:
    """The members of one commission, chair first."""
    from saylau.domain.structure import CommissionRole
    from saylau.services import commissions, resolve

    with service_call(db, json_) as session:
        commission_id = resolve.find_commission(session=session, ref=commission)
        members = commissions.list_commission_members(session=session, commission_id=commission_id)
        names = {c.id: c.name for c in commissions.list_commissions(session=session)}
    if json_:
        print_json(members)
        return
    sys.stdout.write(
        _("%(name)s (%(ref)s): %(num)s members")
        % {"name": names[commission_id], "ref": commission, "num": number(len(members))}
        + "\n"
    )
    table(
        _("members"),
        [_("role"), _("name")],
        [[label(CommissionRole(m.role)), m.full_name] for m in members],
    )
