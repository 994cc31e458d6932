"""`saylau user add|list|disable|passwd`: accounts. The first `user add --role cec-admin` on a
database with no users needs no credentials (the bootstrap); everything else does."""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.auth import AsOption, authenticate, credentials, real_now
from saylau.cli.common import DbOption, JsonOption, fail, print_json, say, service_call, table
from saylau.cli.language import _, label

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saylau.domain.accounts import Principal

user_app = typer.Typer(help="Accounts: users, their roles and scopes.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(user_app, name="user")


NameArgument = Annotated[str, typer.Argument(help="The user's login name.")]
PasswordStdinOption = Annotated[
    bool,
    typer.Option(
        "--password-stdin", help="Read the password from the first line of standard input."
    ),
]


def _password(from_stdin: bool) -> str:
    """The new password: stdin's first line, or typed twice at a prompt."""
    from saylau.services.errors import InvalidInput

    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass(_("new password: "))
    if getpass.getpass(_("again: ")) != first:
        raise InvalidInput("the two passwords differ")
    return first


def _caller(session: Session, as_user: str | None) -> Principal | None:
    """The authenticated caller, or None when no credentials are given (the bootstrap)."""
    from saylau.services import users

    given = credentials(as_user)
    return (
        users.authenticate(session=session, name=given[0], password=given[1])
        if given is not None
        else None
    )


@user_app.command("add")
def add(
    name: NameArgument,
    role: Annotated[
        str,
        typer.Option(help="cec-admin, regional, chair, secretary, member or observer."),
    ],
    scope: Annotated[
        str | None,
        typer.Option(
            help="KATO of the territory: the region of a regional user, the council's district"
            " or town of a chair, secretary or member.",
            show_default=False,
        ),
    ] = None,
    display_name: Annotated[
        str | None, typer.Option(help="Full name to show (default: NAME).", show_default=False)
    ] = None,
    password_stdin: PasswordStdinOption = False,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Add a user. On a database with no users, the first cec-admin needs no credentials."""
    from saylau.domain.accounts import NewUser, Role
    from saylau.services import users
    from saylau.services.errors import InvalidInput, Problem

    try:
        parsed_role = Role(role)
    except ValueError:
        choices = ", ".join(r.value for r in Role)
        error = InvalidInput(
            f"--role: unknown role {role!r}; expected one of {choices}",
            problems=[Problem("unknown_role", f"expected one of {choices}", "--role")],
        )
        fail(error, as_json=json_)
    with service_call(db, json_) as session:
        principal = _caller(session, as_user)
        password = _password(password_stdin)
        user_id = users.add_user(
            session=session,
            principal=principal,
            user=NewUser(name, display_name or name, parsed_role, scope),
            password=password,
            now=real_now(),
        )
    if json_:
        print_json({"user_id": user_id, "name": name, "role": parsed_role, "scope": scope})
        return
    words = {"id": user_id, "name": name, "role": label(parsed_role), "scope": scope}
    if scope:
        say(_("user %(id)s added: %(name)s (%(role)s of %(scope)s)") % words)
    else:
        say(_("user %(id)s added: %(name)s (%(role)s)") % words)


@user_app.command("list")
def list_(db: DbOption = None, as_user: AsOption = None, json_: JsonOption = False) -> None:
    """Every user with role, scope and state (any signed-in user may list them)."""
    from saylau.services import users

    with service_call(db, json_) as session:
        authenticate(session, as_user)
        found = users.list_users(session=session)
    if json_:
        print_json(found)
        return
    enabled, disabled, is_set, none = _("enabled"), _("disabled"), _("set"), _("none")
    rows = [
        [
            u.id,
            u.name,
            u.display_name,
            label(u.role),
            u.scope or "",
            u.member_id or "",
            enabled if u.is_enabled else disabled,
            is_set if u.has_password else none,
        ]
        for u in found
    ]
    columns = [
        "id",
        _("name"),
        _("display name"),
        _("role"),
        _("scope"),
        _("member"),
        _("state"),
        _("password"),
    ]
    table(_("users"), columns, rows)


@user_app.command("disable")
def disable(
    name: NameArgument, db: DbOption = None, as_user: AsOption = None, json_: JsonOption = False
) -> None:
    """Disable a user: it can no longer sign in; its past acts stay in the log."""
    from saylau.services import users

    with service_call(db, json_) as session:
        users.disable_user(session=session, principal=authenticate(session, as_user), name=name)
    if json_:
        print_json({"disabled": name})
        return
    say(_("user %(name)s disabled") % {"name": name})


@user_app.command("passwd")
def passwd(
    name: NameArgument,
    password_stdin: PasswordStdinOption = False,
    db: DbOption = None,
    as_user: AsOption = None,
    json_: JsonOption = False,
) -> None:
    """Set a user's password: your own, or anyone's as a cec-admin."""
    from saylau.services import users

    with service_call(db, json_) as session:
        principal = authenticate(session, as_user)
        users.set_password(
            session=session, principal=principal, name=name, password=_password(password_stdin)
        )
    if json_:
        print_json({"password_set": name})
        return
    say(_("password of %(name)s set") % {"name": name})
