"""Sign-in and sign-out pages, and how a refusal reaches the browser or a script: a page
without a signed-in user redirects to /login, the API answers 401 (with a Basic challenge);
a missing CSRF token is 403; a service's refusal has the status of docs/web.md."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, FastAPI, Form, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response

from saylau.services.errors import Problem, Refused, refusal_json
from saylau.web.auth.session import (
    Auth,
    CsrfRefused,
    LoginRequired,
    MaybeUser,
    TooManyAttempts,
    check_csrf,
    checked_sign_in,
    end_session,
    login_url,
    start_session,
)
from saylau.web.database import DbSession
from saylau.web.staff.common import page

router = APIRouter(include_in_schema=False)


def _safe_next(target: str | None) -> str:
    """Only a path of this site (never `//host` or a scheme): no open redirect."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/staff"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, user: MaybeUser, next: str | None = None) -> HTMLResponse:
    return page(request, "staff/login.html", user, next=_safe_next(next), error=None, user_name="")


@router.post("/login", response_class=HTMLResponse)
def login(
    request: Request,
    session: DbSession,
    name: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
    csrf_token: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/staff",
) -> Response:
    check_csrf(request, csrf_token)
    target = _safe_next(next)
    try:
        user = checked_sign_in(request, session, name, password)
    except TooManyAttempts as error:
        response = page(
            request,
            "staff/login.html",
            None,
            429,
            next=target,
            user_name=name,
            error="too_many",
            retry_after=error.retry_after,
        )
        response.headers["Retry-After"] = str(error.retry_after)
        return response
    except Refused as error:
        code = error.problems[0].code
        return page(
            request,
            "staff/login.html",
            None,
            401,
            next=target,
            user_name=name,
            error="disabled" if code == "user_disabled" else "bad_credentials",
        )
    redirect = RedirectResponse(target, status_code=303)
    start_session(request, redirect, user)
    return redirect


@router.post("/logout")
def logout(request: Request, csrf_token: Annotated[str, Form()] = "") -> Response:
    check_csrf(request, csrf_token)
    response = RedirectResponse("/", status_code=303)
    end_session(response)
    return response


def _refusal(code: str, message: str, where: str) -> dict[str, object]:
    """The sign-in's own refusals in the one JSON refusal encoding."""
    return refusal_json(code, message, [Problem(code, message, where)])


def _is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


async def _login_required(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return JSONResponse(
            _refusal("not_authenticated", str(exc), "auth"),
            status_code=401,
            headers={"WWW-Authenticate": 'Basic realm="saylau"'},
        )
    return RedirectResponse(login_url(request), status_code=303)


async def _csrf_refused(request: Request, exc: Exception) -> Response:
    if _is_api(request):
        return JSONResponse(_refusal("csrf", str(exc), "X-CSRF-Token"), status_code=403)
    return page(request, "staff/error.html", None, 403, reason="csrf")


def install(app: FastAPI, secret_key: str | None = None) -> None:
    """The signing key, the login limits and the refusal handlers of the staff side."""
    app.state.auth = Auth.from_environment(secret_key)
    app.add_exception_handler(LoginRequired, _login_required)
    app.add_exception_handler(CsrfRefused, _csrf_refused)
    app.include_router(router)
