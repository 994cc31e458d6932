"""Who runs a write command: the user named by `--as` (its password prompted for) or by
SAYLAU_USER with SAYLAU_PASSWORD, authenticated into the `Principal` the services check.

An act dated before today (`--on` in the past) is marked as a past act here, where the real
time is known; the services, which take no clock, refuse it unless the role may enter one.
"""

from __future__ import annotations

import getpass
import os
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from saylau.cli.language import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from saylau.domain.accounts import Principal

AsOption = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this user; its password is prompted for (default: SAYLAU_USER with"
        " SAYLAU_PASSWORD).",
        show_default=False,
    ),
]

USER_VARIABLE, PASSWORD_VARIABLE = "SAYLAU_USER", "SAYLAU_PASSWORD"


def credentials(as_user: str | None) -> tuple[str, str] | None:
    """(name, password) from --as (prompting) or the environment; None when neither is given."""
    if as_user:
        return as_user, getpass.getpass(_("password for %(user)s: ") % {"user": as_user})
    name = os.environ.get(USER_VARIABLE)
    if not name:
        return None
    return name, os.environ.get(PASSWORD_VARIABLE, "")


def authenticate(session: Session, as_user: str | None) -> Principal:
    """The authenticated caller of a write command; refused (exit 1) without credentials, with
    bad ones, or for a disabled user."""
    from saylau.services import users
    from saylau.services.errors import Problem, Refused

    given = credentials(as_user)
    if given is None:
        raise Refused(
            "authentication required: set SAYLAU_USER and SAYLAU_PASSWORD, or give --as USER",
            problems=[Problem("not_authenticated", "no user given", USER_VARIABLE)],
        )
    return users.authenticate(session=session, name=given[0], password=given[1])


def real_now() -> datetime:
    return datetime.now(UTC)


def for_day(principal: Principal, day: date) -> Principal:
    """`principal` entering an act dated `day`: a past act when `day` is before today (the
    local date, as `--on`'s default is), recorded with the real time in UTC."""
    return principal.entering_past_act(real_now()) if day < date.today() else principal
