"""A meeting of electors in the workspace: the roll (a checkbox per deputy in office), the live
quorum indicator (htmx recomputes it from the boxes ticked, before anything is saved), saving
the roll and opening the sitting (docs/web.md)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from saylau.domain.accounts import Principal
from saylau.domain.election import SittingId, SittingStatus
from saylau.rules.decide import RoundCounts, quorum_needed
from saylau.services import sittings
from saylau.services.attendance import list_electors, record_attendance
from saylau.services.errors import NotFound, ServiceError
from saylau.services.events import get_event_row, rule_set_of
from saylau.services.sign_in import SignedIn
from saylau.services.sitting_view import SittingView, show_sitting
from saylau.services.views.workspace import sitting_contests, staff_contest
from saylau.web.auth.session import User, check_csrf
from saylau.web.database import DbSession
from saylau.web.errors import status_of
from saylau.web.language import request_language
from saylau.web.staff.common import Shown, page, real_now, see_other

router = APIRouter(prefix="/staff", include_in_schema=False)


def _reachable(session: Any, principal: Principal, sitting_id: SittingId) -> list[Any]:
    """The sitting's contests as staff see them; NotFound outside the user's reach."""
    contests = sitting_contests(session=session, sitting_id=sitting_id)
    if not contests:
        raise NotFound.one("unknown_sitting", f"no sitting {sitting_id}", where="sitting")
    return [staff_contest(session=session, principal=principal, contest_id=c) for c in contests]


def quorum(session: Any, sitting: SittingView, present: int) -> dict[str, Any]:
    """The quorum indicator for `present` deputies: needed, met (rules/decide.quorum_needed on
    the event's rule set, exact integers)."""
    rule = rule_set_of(get_event_row(session=session, event_id=sitting.event_id)).quorum
    counts = RoundCounts(members=sitting.members, present=present, ballots_cast=0)
    needed = quorum_needed(rule, counts) if rule is not None else None
    return {
        "members": sitting.members,
        "present": present,
        "needed": needed,
        "met": needed is None or present >= needed,
    }


def sitting_response(
    request: Request,
    session: Any,
    user: SignedIn,
    sitting_id: int,
    shown: Shown | None = None,
    status_code: int = 200,
) -> HTMLResponse:
    sid = SittingId(sitting_id)
    contests = _reachable(session, user.principal, sid)
    view = show_sitting(session=session, sitting_id=sid)
    electors = list_electors(session=session, sitting_id=sid)
    ticked = sum(1 for e in electors if e.at_opening is not False)
    if view.status is not SittingStatus.SCHEDULED:
        ticked = view.present
    return page(
        request,
        "staff/sitting.html",
        user,
        status_code=status_code,
        sitting=view,
        electors=electors,
        contests=contests,
        quorum=quorum(session, view, ticked),
        shown=shown or Shown(request_language(request)),
    )


@router.get("/sittings/{sitting_id}", response_class=HTMLResponse)
def sitting_page(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    return sitting_response(request, session, user, sitting_id)


@router.get("/sittings/{sitting_id}/quorum", response_class=HTMLResponse)
def quorum_fragment(
    request: Request, sitting_id: int, session: DbSession, user: User
) -> HTMLResponse:
    """The indicator for the boxes ticked (`present` repeated): htmx swaps it in live."""
    sid = SittingId(sitting_id)
    _reachable(session, user.principal, sid)
    view = show_sitting(session=session, sitting_id=sid)
    in_office = {int(e.deputy_id) for e in list_electors(session=session, sitting_id=sid)}
    ticked = {
        int(v) for v in request.query_params.getlist("present") if v.isascii() and v.isdigit()
    }
    return page(
        request, "staff/quorum.html", user, quorum=quorum(session, view, len(ticked & in_office))
    )


@router.post("/sittings/{sitting_id}/attendance", response_class=HTMLResponse)
async def attendance(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    """Save the roll: the deputies ticked present, every other deputy in office absent."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    sid = SittingId(sitting_id)
    _reachable(session, user.principal, sid)
    ticked = {str(v) for v in form.getlist("present")}
    roll = {
        e.deputy_id: str(e.deputy_id) in ticked
        for e in list_electors(session=session, sitting_id=sid)
    }
    try:
        record_attendance(session=session, principal=user.principal, sitting_id=sid, roll=roll)
    except ServiceError as error:
        shown = Shown.of(error, ("present",), request_language(request))
        return sitting_response(request, session, user, sitting_id, shown, status_of(error))
    if form.get("then") == "open":
        return await _open(request, session, user, sitting_id)
    return see_other(f"/staff/sittings/{sitting_id}")


async def _open(request: Request, session: Any, user: SignedIn, sitting_id: int) -> Response:
    try:
        sittings.open_sitting(
            session=session,
            principal=user.principal,
            sitting_id=SittingId(sitting_id),
            now=real_now(),
        )
    except ServiceError as error:
        shown = Shown.of(error, (), request_language(request))
        return sitting_response(request, session, user, sitting_id, shown, status_of(error))
    return see_other(f"/staff/sittings/{sitting_id}")


@router.post("/sittings/{sitting_id}/open", response_class=HTMLResponse)
async def open_(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    """Open the sitting: the service checks the roll, the quorum and the candidates."""
    form = await request.form()
    check_csrf(request, str(form.get("csrf_token") or ""))
    _reachable(session, user.principal, SittingId(sitting_id))
    return await _open(request, session, user, sitting_id)
