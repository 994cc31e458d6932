"""Refusals as the web shows them: under /api as JSON `{error, message, problems}` — the same
payload as the CLI's `--json` refusals (docs/architecture.md#exit-codes); 404 for what does not
exist, 422 for a malformed parameter, 409 for a conflict, 403 for a refusal — elsewhere as a page
in the reader's language with the same status (the workspace's own page under /staff and
/dashboard), the refusal told in that language by saylau.i18n.problems."""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.exceptions import HTTPException

from saylau.i18n.problems import problem_message, refusal_details, refusal_heading
from saylau.services.errors import InvalidInput, NotFound, Problem, ServiceError, refusal_json
from saylau.web.language import request_language
from saylau.web.staff.common import page
from saylau.web.templating import render

# The workspace's pages show a refusal in their own frame.
STAFF_PREFIXES = ("/staff", "/dashboard")


# Refusals for want of a permission (services/permissions.py); any other refusal is a conflict
# with a rule or with the stored state.
PERMISSION_CODES = frozenset({"forbidden", "out_of_scope", "not_own_signature"})


def status_of(error: ServiceError) -> int:
    """The HTTP status of a refusal: 404 not found, 422 malformed input, 403 not allowed,
    409 refused by a rule or a conflict (docs/web.md, "Staff API")."""
    if isinstance(error, NotFound):
        return 404
    if isinstance(error, InvalidInput):
        return 422
    if any(p.code in PERMISSION_CODES for p in error.problems):
        return 403
    return 409


def _respond(
    request: Request, status: int, code: str, message: str, problems: list[Problem]
) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse(refusal_json(code, message, problems), status_code=status)
    lang = request_language(request)
    told = [(p.code, problem_message(p, lang)) for p in problems]
    return render(request, "error.html", status_code=status, status=status, problems=told)


async def _service_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, ServiceError)
    if request.url.path.startswith(STAFF_PREFIXES):
        status = status_of(error)
        lang = request_language(request)
        return page(
            request,
            "staff/error.html",
            None,
            status,
            reason="refused",
            heading=refusal_heading(error, lang),
            details=refusal_details(error, lang),
        )
    return _respond(request, status_of(error), error.code, error.message, list(error.problems))


async def _validation_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = [
        Problem("invalid_input", str(e.get("msg", "")), ".".join(str(x) for x in e.get("loc", ())))
        for e in error.errors()
    ]
    return _respond(
        request, 422, "invalid_input", "the request's parameters are malformed", problems
    )


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code != 404:
        return await http_exception_handler(request, error)
    problem = Problem("not_found", f"nothing at {request.url.path}", "path")
    return _respond(request, 404, "not_found", problem.message, [problem])


def install(app: FastAPI) -> None:
    app.add_exception_handler(ServiceError, _service_error)
    app.add_exception_handler(RequestValidationError, _validation_error)
    app.add_exception_handler(HTTPException, _http_error)
