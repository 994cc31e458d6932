"""The sitting's life on its page once it is open: adjourn (with a reason), resume and close it,
and a deputy arriving late or leaving (services/sitting_life.py, services/attendance.py), each
at the real time of the click (docs/web.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from saylau.domain.election import SittingId
from saylau.domain.structure import DeputyId
from saylau.services import sitting_life
from saylau.services.attendance import Movement, record_movements
from saylau.services.errors import InvalidInput, ServiceError
from saylau.web.auth.session import User, check_csrf
from saylau.web.database import DbSession
from saylau.web.errors import status_of
from saylau.web.language import request_language
from saylau.web.staff.common import Shown, real_now, see_other
from saylau.web.staff.sitting import _reachable, sitting_response

router = APIRouter(prefix="/staff", include_in_schema=False)


async def _act(
    request: Request,
    session: Any,
    user: Any,
    sitting_id: int,
    act: Callable[[dict[str, str]], None],
    fields: tuple[str, ...] = (),
) -> Response:
    form = {k: str(v) for k, v in (await request.form()).items()}
    check_csrf(request, form.get("csrf_token"))
    _reachable(session, user.principal, SittingId(sitting_id))
    try:
        act(form)
    except ServiceError as error:
        shown = Shown.of(error, fields, request_language(request))
        return sitting_response(request, session, user, sitting_id, shown, status_of(error))
    return see_other(f"/staff/sittings/{sitting_id}")


@router.post("/sittings/{sitting_id}/adjourn", response_class=HTMLResponse)
async def adjourn(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    def act(form: dict[str, str]) -> None:
        sitting_life.adjourn_sitting(
            session=session,
            principal=user.principal,
            sitting_id=SittingId(sitting_id),
            reason=form.get("reason", ""),
            now=real_now(),
        )

    return await _act(request, session, user, sitting_id, act, ("reason",))


@router.post("/sittings/{sitting_id}/resume", response_class=HTMLResponse)
async def resume(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    def act(_form: dict[str, str]) -> None:
        sitting_life.resume_sitting(
            session=session,
            principal=user.principal,
            sitting_id=SittingId(sitting_id),
            now=real_now(),
        )

    return await _act(request, session, user, sitting_id, act)


@router.post("/sittings/{sitting_id}/close", response_class=HTMLResponse)
async def close(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    def act(_form: dict[str, str]) -> None:
        sitting_life.close_sitting(
            session=session,
            principal=user.principal,
            sitting_id=SittingId(sitting_id),
            now=real_now(),
        )

    return await _act(request, session, user, sitting_id, act)


@router.post("/sittings/{sitting_id}/movements", response_class=HTMLResponse)
async def movement(request: Request, sitting_id: int, session: DbSession, user: User) -> Response:
    """A deputy arrives (`arrive=<deputy id>`) or leaves (`leave=<deputy id>`) now."""

    def act(form: dict[str, str]) -> None:
        arriving = "arrive" in form
        deputy = form.get("arrive" if arriving else "leave", "")
        if not (deputy.isascii() and deputy.isdigit()):
            raise InvalidInput.one("bad_value", "deputy: expected a deputy id", where="deputy")
        record_movements(
            session=session,
            principal=user.principal,
            movements=[
                Movement(SittingId(sitting_id), DeputyId(int(deputy)), arriving, real_now())
            ],
        )

    return await _act(request, session, user, sitting_id, act)
