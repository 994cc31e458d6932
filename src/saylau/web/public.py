"""Public pages of an event's results (docs/web.md#pages): the national summary with its map,
a region, a district or town, the calendar and the appeals. No sign-in, published data only
(Visibility.PUBLIC). Each page's context is built by a function the static export shares."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse
from sqlalchemy.orm import Session

from saylau.domain.election import EventId
from saylau.services.errors import NotFound
from saylau.services.events import latest_event, list_events
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.calendar import calendar_view
from saylau.services.views.results import results_view
from saylau.services.views.values import ResultsView, Visibility
from saylau.web.database import DbSession
from saylau.web.map import Measure, region_map
from saylau.web.templating import render

PUBLIC = Visibility.PUBLIC
MAX_ID = 2**31 - 1

router = APIRouter()

EventPath = Annotated[int, Path(ge=1, le=MAX_ID)]
KatoPath = Annotated[str, Path(pattern=r"^[0-9]{9}$")]
MeasureQuery = Annotated[Measure, Query()]
Offset = Annotated[int, Query(ge=0, le=MAX_ID)]
PAGE = 100


def summary_context(
    session: Session, event_id: EventId, measure: Measure = Measure.PROGRESS
) -> dict[str, Any]:
    view = results_view(session=session, event_id=event_id, visibility=PUBLIC, limit=0)
    return {
        "view": view,
        "map": region_map(view.parts, measure),
        "measures": list(Measure),
        "events": [(e.id, e.name) for e in list_events(session=session)],
        "aftermath": aftermath_view(session=session, event_id=event_id, visibility=PUBLIC),
    }


def area_context(session: Session, event_id: EventId, kato: str, offset: int = 0) -> dict[str, Any]:
    view = results_view(
        session=session,
        event_id=event_id,
        visibility=PUBLIC,
        area=kato,
        limit=PAGE if view_lists_contests(kato) else 0,
        offset=offset,
    )
    return {"view": view, "offset": offset, "page": PAGE}


def view_lists_contests(kato: str) -> bool:
    """A region lists its districts and towns; a district or town its contests."""
    return kato[2:] != "0000000"


def calendar_context(session: Session, event_id: EventId) -> dict[str, Any]:
    return {"calendar": calendar_view(session=session, event_id=event_id, visibility=PUBLIC)}


def appeals_context(session: Session, event_id: EventId) -> dict[str, Any]:
    return {"aftermath": aftermath_view(session=session, event_id=event_id, visibility=PUBLIC)}


def _latest(session: Session) -> EventId | None:
    try:
        return latest_event(session=session)
    except NotFound:
        return None


@router.get("/", response_class=HTMLResponse, include_in_schema=False)
def summary_page(
    request: Request, session: DbSession, measure: MeasureQuery = Measure.PROGRESS
) -> HTMLResponse:
    """The national summary of the latest event."""
    event_id = _latest(session)
    if event_id is None:
        return render(request, "summary.html", view=None)
    return render(request, "summary.html", **summary_context(session, event_id, measure))


@router.get("/events/{event_id}", response_class=HTMLResponse, include_in_schema=False)
def event_page(
    request: Request,
    session: DbSession,
    event_id: EventPath,
    measure: MeasureQuery = Measure.PROGRESS,
) -> HTMLResponse:
    return render(request, "summary.html", **summary_context(session, EventId(event_id), measure))


@router.get(
    "/events/{event_id}/regions/{kato}", response_class=HTMLResponse, include_in_schema=False
)
@router.get(
    "/events/{event_id}/districts/{kato}", response_class=HTMLResponse, include_in_schema=False
)
def area_page(
    request: Request, session: DbSession, event_id: EventPath, kato: KatoPath, offset: Offset = 0
) -> HTMLResponse:
    """A region (its districts and towns) or a district or town (its council's contests)."""
    return render(request, "area.html", **area_context(session, EventId(event_id), kato, offset))


@router.get("/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_latest(request: Request, session: DbSession) -> HTMLResponse:
    return calendar_page(request, session, int(latest_event(session=session)))


@router.get("/events/{event_id}/calendar", response_class=HTMLResponse, include_in_schema=False)
def calendar_page(request: Request, session: DbSession, event_id: EventPath) -> HTMLResponse:
    return render(request, "calendar.html", **calendar_context(session, EventId(event_id)))


@router.get("/appeals", response_class=HTMLResponse, include_in_schema=False)
def appeals_latest(request: Request, session: DbSession) -> HTMLResponse:
    return appeals_page(request, session, int(latest_event(session=session)))


@router.get("/events/{event_id}/appeals", response_class=HTMLResponse, include_in_schema=False)
def appeals_page(request: Request, session: DbSession, event_id: EventPath) -> HTMLResponse:
    return render(request, "appeals.html", **appeals_context(session, EventId(event_id)))


def area_path(view: ResultsView, kato: str, kind: str) -> str:
    """The path of a part of an area (used by the templates and the static export)."""
    return f"/events/{view.event_id}/{'regions' if kind == 'region' else 'districts'}/{kato}"
