"""The workspace's pages: the contests within the user's reach, one contest (candidates, rounds,
protocols, appeals) and the forms that register or refuse a candidate and file or decide an
appeal. Every write goes through a service with the user's Principal; a refusal is shown next
to the field it concerns, on the same page, and nothing was stored (docs/web.md)."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from saylau.domain.appeals import (
    AppealDecision,
    AppealId,
    AppealOutcome,
    AppealSubject,
    AuthorityKind,
    NewAppeal,
)
from saylau.domain.election import ContestId, NominationId
from saylau.services import appeals, candidates
from saylau.services.errors import InvalidInput, NotFound, ServiceError
from saylau.services.events import latest_event
from saylau.services.views.workspace import workspace_contests
from saylau.web.auth.session import User, check_csrf
from saylau.web.database import DbSession
from saylau.web.errors import status_of
from saylau.web.language import request_language
from saylau.web.staff.common import Shown, page, real_now, see_other
from saylau.web.staff.context import contest_page

router = APIRouter(prefix="/staff", include_in_schema=False)

APPEAL_FIELDS = ("subject", "object_id", "appellant", "authority_kind", "authority", "grounds")


@router.get("", response_class=HTMLResponse)
def home(request: Request, session: DbSession, user: User) -> HTMLResponse:
    """The contests of the latest event within the user's reach."""
    try:
        event_id = latest_event(session=session)
    except NotFound:
        return page(request, "staff/home.html", user, contests=None)
    found = workspace_contests(session=session, principal=user.principal, event_id=event_id)
    return page(request, "staff/home.html", user, contests=found)


def contest_response(
    request: Request,
    session: Any,
    user: Any,
    contest_id: int,
    shown: dict[str, Shown] | None = None,
    status_code: int = 200,
    **context: Any,
) -> HTMLResponse:
    found = contest_page(session, user.principal, ContestId(contest_id))
    return page(
        request,
        "staff/contest.html",
        user,
        status_code=status_code,
        view=found,
        shown=shown or {},
        today=date.today(),
        **context,
    )


@router.get("/contests/{contest_id}", response_class=HTMLResponse)
def contest(request: Request, contest_id: int, session: DbSession, user: User) -> HTMLResponse:
    return contest_response(request, session, user, contest_id)


def _refused(
    request: Request,
    session: Any,
    user: Any,
    contest_id: int,
    key: str,
    error: ServiceError,
    fields: tuple[str, ...] = (),
    codes: dict[str, str] | None = None,
) -> HTMLResponse:
    key = "top" if status_of(error) == 403 else key
    shown = {key: Shown.of(error, fields, request_language(request), codes)}
    return contest_response(
        request, session, user, contest_id, shown=shown, status_code=status_of(error)
    )


async def _form(request: Request) -> dict[str, str]:
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    return {k: str(v) for k, v in form.items()}


@router.post("/nominations/{nomination_id}/decide", response_class=HTMLResponse)
async def decide_candidate(
    request: Request, nomination_id: int, session: DbSession, user: User
) -> Response:
    """Register the nominee (button `register`) or refuse it with the reason given."""
    form = await _form(request)
    contest_id = int(form.get("contest") or 0)
    key = f"nomination-{nomination_id}"
    try:
        if form.get("action") == "register":
            candidates.register(
                session=session,
                principal=user.principal,
                nomination_id=NominationId(nomination_id),
                on=date.today(),
            )
        else:
            candidates.refuse(
                session=session,
                principal=user.principal,
                nomination_id=NominationId(nomination_id),
                reason=form.get("reason", ""),
                on=date.today(),
            )
    except ServiceError as error:
        return _refused(
            request, session, user, contest_id, key, error, ("reason",), {"no_reason": "reason"}
        )
    return see_other(f"/staff/contests/{contest_id}#candidates")


def _choice(enum: Any, value: str, where: str) -> Any:
    try:
        return enum(value)
    except ValueError:
        choices = ", ".join(e.value for e in enum)
        raise InvalidInput.one(
            "bad_value", f"expected one of {choices}, got {value!r}", where=where
        ) from None


def _number(value: str, where: str) -> int:
    text = value.strip()
    if not (text.isascii() and text.isdigit() and len(text) <= 9):
        raise InvalidInput.one("bad_value", f"expected an id, got {value!r}", where=where)
    return int(text)


@router.post("/contests/{contest_id}/appeals", response_class=HTMLResponse)
async def file_appeal(
    request: Request, contest_id: int, session: DbSession, user: User
) -> Response:
    """Record an appeal received, against a registration, a refusal, a sitting or a protocol."""
    form = await _form(request)
    try:
        appeal = NewAppeal(
            subject=_choice(AppealSubject, form.get("subject", ""), "subject"),
            object_id=_number(form.get("object_id", ""), "object_id"),
            appellant=form.get("appellant", ""),
            filed_on=date.today(),
            authority_kind=_choice(AuthorityKind, form.get("authority_kind", ""), "authority_kind"),
            authority=form.get("authority", ""),
            grounds=form.get("grounds", ""),
        )
        appeals.file_appeal(
            session=session, principal=user.principal, appeal=appeal, now=real_now()
        )
    except ServiceError as error:
        return _refused(request, session, user, contest_id, "appeal", error, APPEAL_FIELDS)
    return see_other(f"/staff/contests/{contest_id}#appeals")


@router.post("/appeals/{appeal_id}/decide", response_class=HTMLResponse)
async def decide_appeal(
    request: Request, appeal_id: int, session: DbSession, user: User
) -> Response:
    """Record an appeal's decision; the service carries out its effect."""
    form = await _form(request)
    contest_id = int(form.get("contest") or 0)
    try:
        appeals.decide_appeal(
            session=session,
            principal=user.principal,
            decision=AppealDecision(
                appeal_id=AppealId(appeal_id),
                outcome=_choice(AppealOutcome, form.get("outcome", ""), "outcome"),
                reason=form.get("reason", ""),
                decided_on=date.today(),
            ),
            now=real_now(),
        )
    except ServiceError as error:
        return _refused(
            request, session, user, contest_id, f"appeal-{appeal_id}", error, ("outcome", "reason")
        )
    return see_other(f"/staff/contests/{contest_id}#appeals")
