"""The language of each request (docs/i18n.md): `?lang=kk|ru|en`, else the cookie the language
switch sets, else Accept-Language, else Kazakh. A `?lang=` choice is remembered in the cookie."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response

from saylau.i18n import Language, is_language, negotiate

COOKIE = "saylau_lang"
ONE_YEAR = 365 * 24 * 3600


def request_language(request: Request) -> Language:
    lang: Language = request.state.lang
    return lang


async def choose_language(
    request: Request, call_next: Callable[[Request], Awaitable[Response]]
) -> Response:
    asked = request.query_params.get("lang")
    remembered = request.cookies.get(COOKIE)
    if is_language(asked):
        request.state.lang = asked
    elif is_language(remembered):
        request.state.lang = remembered
    else:
        request.state.lang = negotiate(request.headers.get("accept-language"))
    response = await call_next(request)
    if is_language(asked) and asked != remembered:
        response.set_cookie(COOKIE, asked, max_age=ONE_YEAR, httponly=True, samesite="lax")
    response.headers["Content-Language"] = request.state.lang
    response.headers.setdefault("Vary", "Accept-Language, Cookie")
    return response
