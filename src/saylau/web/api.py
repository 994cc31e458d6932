"""The public JSON API under /api/v1 (docs/web.md#the-json-api): the read models in their one
JSON encoding (services/views/encode.py), only what is published (Visibility.PUBLIC)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query
from fastapi.responses import JSONResponse

from saylau.domain.election import ContestId, EventId, ProtocolId
from saylau.services.events import get_event_row, latest_event, list_events
from saylau.services.views.appeals import aftermath_view
from saylau.services.views.calendar import calendar_view
from saylau.services.views.candidates import search_candidates
from saylau.services.views.encode import to_json
from saylau.services.views.protocols import (
    ProtocolVersionView,
    contest_event,
    protocol_page,
    protocol_versions_view,
)
from saylau.services.views.results import contest_detail, results_view
from saylau.services.views.values import ContestDetailView, ResultsView, Visibility
from saylau.web import api_schemas as s
from saylau.web.database import DbSession

PUBLIC = Visibility.PUBLIC
MAX_ID = 2**31 - 1

router = APIRouter(prefix="/api/v1", tags=["public"])

Id = Annotated[int, Path(ge=1, le=MAX_ID)]
Kato = Annotated[
    str | None,
    Query(pattern=r"^[0-9]{9}$", description="A region's, or a district's or town's KATO."),
]
Limit = Annotated[int, Query(ge=0, le=1000, description="Rows per page.")]
Offset = Annotated[int, Query(ge=0, le=MAX_ID, description="Rows to skip.")]


def _json(value: Any) -> JSONResponse:
    return JSONResponse(to_json(value))


def summary_payload(view: ResultsView) -> dict[str, Any]:
    """/api/v1/summary: the national figures of `saylau results --public --json`."""
    return {
        "event_id": view.event_id,
        "event_name": view.event_name,
        "figures": to_json(view.figures),
    }


def contest_payload(
    event_id: EventId, detail: ContestDetailView, versions: tuple[ProtocolVersionView, ...]
) -> dict[str, Any]:
    """/api/v1/contests/{id}: the contest in detail and every published protocol version."""
    found = to_json(detail)
    assert isinstance(found, dict)
    return {"event_id": event_id, **found, "versions": to_json(versions)}


def summary_json(session: DbSession, event_id: EventId) -> dict[str, Any]:
    view = results_view(session=session, event_id=event_id, visibility=PUBLIC, limit=0)
    return summary_payload(view)


def contest_json(session: DbSession, contest_id: ContestId) -> dict[str, Any]:
    event_id = contest_event(session=session, contest_id=contest_id)
    detail = contest_detail(
        session=session, event_id=event_id, contest_id=contest_id, visibility=PUBLIC
    )
    versions = protocol_versions_view(
        session=session, event_id=event_id, visibility=PUBLIC, contest_id=contest_id
    ).get(contest_id, ())
    return contest_payload(event_id, detail, versions)


@router.get("/summary", responses=s.responses(s.SUMMARY, "The latest event's national figures."))
def summary(session: DbSession) -> JSONResponse:
    """The latest event's public national summary: the figures of `saylau results --public
    --json` (posts, nominations, candidates, councils, deputies, elected, failed, repeat
    voting, women, ages, protocols signed and published)."""
    return JSONResponse(summary_json(session, latest_event(session=session)))


@router.get("/events", responses=s.responses(s.EVENTS, "Every election event."))
def events(session: DbSession) -> JSONResponse:
    """The election events, oldest first."""
    found = list_events(session=session)
    return JSONResponse(
        [{"id": e.id, "name": e.name, "num_contests": e.num_contests} for e in found]
    )


@router.get(
    "/events/{event_id}/results",
    responses=s.responses(s.RESULTS, "Figures, parts and a page of contests of an area."),
)
def results(
    session: DbSession, event_id: Id, area: Kato = None, limit: Limit = 100, offset: Offset = 0
) -> JSONResponse:
    """The results of an event in the country, a region or a district or town (`area`)."""
    view = results_view(
        session=session,
        event_id=EventId(event_id),
        visibility=PUBLIC,
        area=area,
        limit=limit,
        offset=offset,
    )
    return _json(view)


@router.get("/events/{event_id}/calendar", responses=s.responses(s.CALENDAR, "The calendar."))
def calendar(session: DbSession, event_id: Id) -> JSONResponse:
    """The event's dates and, for each voting day, how far its contests have come."""
    return _json(calendar_view(session=session, event_id=EventId(event_id), visibility=PUBLIC))


@router.get(
    "/events/{event_id}/aftermath", responses=s.responses(s.AFTERMATH, "Appeals and repeats.")
)
def aftermath(session: DbSession, event_id: Id) -> JSONResponse:
    """The event's appeal counts and its repeat elections."""
    get_event_row(session=session, event_id=EventId(event_id))  # 404 for an unknown event
    view = aftermath_view(session=session, event_id=EventId(event_id), visibility=PUBLIC)
    return _json(view)


@router.get(
    "/events/{event_id}/candidates",
    responses=s.responses(s.page(s.LISTING), "A page of the nominees found."),
)
def candidates(
    session: DbSession,
    event_id: Id,
    q: Annotated[str, Query(max_length=200, description="Part of a full name.")] = "",
    limit: Limit = 100,
    offset: Offset = 0,
) -> JSONResponse:
    """Nominees whose full name contains `q` (any case), by name."""
    found = search_candidates(
        session=session,
        event_id=EventId(event_id),
        text=q,
        visibility=PUBLIC,
        limit=limit,
        offset=offset,
    )
    return _json(found)


@router.get(
    "/contests/{contest_id}",
    responses=s.responses(s.CONTEST_DETAIL, "A contest, its candidates, rounds and protocols."),
)
def contest(session: DbSession, contest_id: Id) -> JSONResponse:
    """One contest: its result, candidates, each published round and every published version
    of its protocols."""
    return JSONResponse(contest_json(session, ContestId(contest_id)))


@router.get("/protocols/{protocol_id}", responses=s.responses(s.PROTOCOL, "A published protocol."))
def protocol(session: DbSession, protocol_id: Id) -> JSONResponse:
    """A published protocol: its counts, votes, decision and the audit head at publication."""
    return _json(
        protocol_page(session=session, protocol_id=ProtocolId(protocol_id), visibility=PUBLIC)
    )
