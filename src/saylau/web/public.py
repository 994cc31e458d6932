"""Public pages: no sign-in, published data only (Visibility.PUBLIC)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from saylau.services.errors import NotFound
from saylau.services.events import latest_event
from saylau.services.views.results import results_view
from saylau.services.views.values import Visibility
from saylau.web.database import DbSession
from saylau.web.templating import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def summary_page(request: Request, session: DbSession) -> HTMLResponse:
    """The national summary of the latest event."""
    try:
        event_id = latest_event(session=session)
    except NotFound:
        return render(request, "summary.html", view=None)
    view = results_view(session=session, event_id=event_id, visibility=Visibility.PUBLIC)
    return render(request, "summary.html", view=view)
