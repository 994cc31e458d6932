"""Public pages of one contest and one protocol, the candidate search and the open-data page
(docs/web.md#pages). Published data only (Visibility.PUBLIC)."""

from __future__ import annotations

import os
from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, Response
from sqlalchemy.orm import Session

from saylau.documents.protocols import (
    BASE_URL_VARIABLE,
    protocol_digest,
    public_base_url,
    render_protocol_pdf,
)
from saylau.domain.election import ContestId, EventId, ProtocolId
from saylau.exports.artefacts import open_data_artefacts
from saylau.services.errors import NotFound
from saylau.services.events import latest_event, list_events
from saylau.services.views.candidates import search_candidates
from saylau.services.views.protocols import (
    ProtocolVersionView,
    contest_event,
    protocol_page,
    protocol_versions_view,
)
from saylau.services.views.results import contest_detail
from saylau.services.views.values import ContestDetailView, Visibility
from saylau.web.database import DbSession
from saylau.web.language import request_language
from saylau.web.templating import render

PUBLIC = Visibility.PUBLIC
MAX_ID = 2**31 - 1
SEARCH_PAGE = 50

router = APIRouter()

IdPath = Annotated[int, Path(ge=1, le=MAX_ID)]


def contest_context(
    event_id: EventId, detail: ContestDetailView, versions: tuple[ProtocolVersionView, ...]
) -> dict[str, Any]:
    """A contest page: the detail, the bar of each candidate (share of the round's most votes)
    and the protocol versions by round."""
    by_round: dict[int, list[ProtocolVersionView]] = {}
    for v in versions:
        by_round.setdefault(v.round_no, []).append(v)
    return {"event_id": event_id, "detail": detail, "c": detail.contest, "versions": by_round}


def _contest(session: Session, contest_id: ContestId) -> dict[str, Any]:
    event_id = contest_event(session=session, contest_id=contest_id)
    detail = contest_detail(
        session=session, event_id=event_id, contest_id=contest_id, visibility=PUBLIC
    )
    versions = protocol_versions_view(
        session=session, event_id=event_id, visibility=PUBLIC, contest_id=contest_id
    )
    return contest_context(event_id, detail, versions.get(contest_id, ()))


@router.get("/contests/{contest_id}", response_class=HTMLResponse, include_in_schema=False)
def contest_page(request: Request, session: DbSession, contest_id: IdPath) -> HTMLResponse:
    """A contest: candidates, round-by-round results, the protocol's status and versions."""
    return render(request, "contest.html", **_contest(session, ContestId(contest_id)))


def protocol_context(session: Session, protocol_id: ProtocolId) -> dict[str, Any]:
    page = protocol_page(session=session, protocol_id=protocol_id, visibility=PUBLIC)
    detail = contest_detail(
        session=session, event_id=page.event_id, contest_id=page.contest_id, visibility=PUBLIC
    )
    digest = protocol_digest(session=session, protocol_id=protocol_id)
    return {"page": page, "c": detail.contest, "digest": digest}


# Before the page's route: "/protocols/7.pdf" would otherwise be read as protocol "7.pdf".
@router.get("/protocols/{protocol_id}.pdf", include_in_schema=False)
def protocol_pdf(request: Request, session: DbSession, protocol_id: IdPath) -> Response:
    """The printable protocol (docs/documents.md): A4, in the reader's language, with the QR
    code of this site's protocol page and the digest. Published protocols only."""
    base_url = public_base_url(os.environ.get(BASE_URL_VARIABLE) or str(request.base_url))
    pdf = render_protocol_pdf(
        session=session,
        protocol_id=ProtocolId(protocol_id),
        lang=request_language(request),
        base_url=base_url,
    )
    filename = f"protocol-{protocol_id}-{request_language(request)}.pdf"
    return Response(
        pdf,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{filename}"'},
    )


@router.get("/protocols/{protocol_id}", response_class=HTMLResponse, include_in_schema=False)
def protocol_view_page(request: Request, session: DbSession, protocol_id: IdPath) -> HTMLResponse:
    """A published protocol: its counts, votes, decision and the audit head at publication."""
    return render(request, "protocol.html", **protocol_context(session, ProtocolId(protocol_id)))


@router.get("/candidates", response_class=HTMLResponse, include_in_schema=False)
def candidates_page(
    request: Request,
    session: DbSession,
    q: Annotated[str, Query(max_length=200)] = "",
    event: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
    offset: Annotated[int, Query(ge=0, le=MAX_ID)] = 0,
) -> HTMLResponse:
    """Candidate search: nominees whose name contains the text (any case)."""
    event_id = EventId(event) if event else latest_event(session=session)
    found = (
        search_candidates(
            session=session,
            event_id=event_id,
            text=q,
            visibility=PUBLIC,
            limit=SEARCH_PAGE,
            offset=offset,
        )
        if q.strip()
        else None
    )
    return render(
        request,
        "candidates.html",
        q=q,
        found=found,
        event_id=event_id,
        events=[(e.id, e.name) for e in list_events(session=session)],
    )


@router.get("/open-data", response_class=HTMLResponse, include_in_schema=False)
def open_data_page(
    request: Request,
    session: DbSession,
    event: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> HTMLResponse:
    """What can be downloaded: the JSON API, and the open-data files of an election cycle (the
    latest, or ?event=) with their SHA-256 digests (docs/open-data.md)."""
    return render(request, "open_data.html", **open_data_context(session, event))


@router.get("/open-data/events/{event_id}/{name}", include_in_schema=False)
def open_data_file(session: DbSession, event_id: IdPath, name: str) -> Response:
    """One open-data file of an event's cycle: the NIST report or a CSV table."""
    for found in open_data_artefacts(session=session, event_id=EventId(event_id)):
        if found.name == name:
            return Response(
                found.data,
                media_type=found.media_type,
                headers={"Content-Disposition": f'attachment; filename="{found.name}"'},
            )
    raise NotFound.one("not_found", f"no open-data file {name!r}", where="name")


def open_data_context(session: Session, event: int | None = None) -> dict[str, Any]:
    events = [(e.id, e.name) for e in list_events(session=session)]
    if not events:
        return {"events": events, "downloads": [], "download_event": None}
    event_id = EventId(event) if event else latest_event(session=session)
    downloads = [
        (a.name, a.media_type, len(a.data), a.sha256)
        for a in open_data_artefacts(session=session, event_id=event_id)
    ]
    return {"events": events, "downloads": downloads, "download_event": event_id}
