"""The CEC dashboard (`/dashboard`): an event's progress by region and voting day, for the CEC
administrator, observers (the country) and a regional commission (its region). The table
refreshes itself: htmx polls `/dashboard/progress` every few seconds and swaps it in; without
JavaScript the page reloads itself by a refresh link (docs/web.md)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from saylau.domain.accounts import Role
from saylau.services.errors import NotFound, Refused
from saylau.services.events import latest_event
from saylau.services.sign_in import SignedIn
from saylau.services.views.dashboard import DashboardView, dashboard_view
from saylau.services.views.encode import to_json
from saylau.web.api_schemas import STAFF_ERRORS
from saylau.web.auth.session import required_user
from saylau.web.database import DbSession
from saylau.web.staff.common import page

router = APIRouter(include_in_schema=False)
api = APIRouter(prefix="/api/v1/staff", tags=["staff"], responses=STAFF_ERRORS)
POLL_SECONDS = 5
DASHBOARD_ROLES = frozenset({Role.CEC_ADMIN, Role.REGIONAL, Role.OBSERVER})


def dashboard_user(user: Annotated[SignedIn, Depends(required_user)]) -> SignedIn:
    if user.principal.role not in DASHBOARD_ROLES:
        raise Refused.one(
            "forbidden",
            f"the dashboard is for the CEC, regional commissions and observers,"
            f" not {user.principal.role}",
            where="role",
        )
    return user


DashboardUser = Annotated[SignedIn, Depends(dashboard_user)]


def _view(session: Any, user: SignedIn) -> DashboardView | None:
    try:
        event_id = latest_event(session=session)
    except NotFound:
        return None
    area = user.principal.scope if user.principal.role is Role.REGIONAL else None
    return dashboard_view(session=session, event_id=event_id, on=date.today(), area=area)


@router.get("/dashboard", response_class=HTMLResponse)
def dashboard(request: Request, session: DbSession, user: DashboardUser) -> HTMLResponse:
    return page(request, "staff/dashboard.html", user, view=_view(session, user), poll=POLL_SECONDS)


@router.get("/dashboard/progress", response_class=HTMLResponse)
def progress(request: Request, session: DbSession, user: DashboardUser) -> HTMLResponse:
    """The progress table alone, for htmx's polling."""
    return page(request, "staff/progress.html", user, view=_view(session, user), poll=POLL_SECONDS)


@api.get("/dashboard")
def dashboard_json(session: DbSession, user: DashboardUser) -> Any:
    """The latest event's progress by region and voting day (null before any event)."""
    return to_json(_view(session, user))
