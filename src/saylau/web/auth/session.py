"""Signing in to the staff workspace: sessions in a signed cookie, CSRF tokens, the login rate
limit, and HTTP Basic for scripts (docs/web.md, "Sessions").

- The session cookie `saylau_session` holds the user's id, its credential stamp
  (services/sign_in.py) and the CSRF nonce, signed with the server's key (itsdangerous): nothing
  is stored on the server, and a new password or a disabled user ends every session because the
  stamp no longer matches. It is HttpOnly, SameSite=Lax, Secure when the request came over TLS,
  and lasts 12 hours.
- Every form carries `csrf_token`; a cookie-authenticated API write sends it in `X-CSRF-Token`.
  The token is an HMAC of a random nonce kept in the `saylau_csrf` cookie (and, once signed in,
  in the session): a page of another site can neither read nor forge it.
- Failed sign-ins are limited per account and per address, in each worker process.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import os
import secrets
import time
from collections import defaultdict, deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import Depends, Request, Response
from itsdangerous import BadSignature, URLSafeTimedSerializer

from saylau.domain.accounts import UserId
from saylau.services import sign_in
from saylau.services.errors import Refused
from saylau.web.database import DbSession

SESSION_COOKIE, CSRF_COOKIE = "saylau_session", "saylau_csrf"
CSRF_FIELD, CSRF_HEADER = "csrf_token", "X-CSRF-Token"
SESSION_SECONDS = 12 * 3600
SECRET_VARIABLE = "SAYLAU_SECRET_KEY"


class LoginRequired(Exception):
    """No signed-in user (or its session ended): a page redirects to /login, the API says 401."""


class CsrfRefused(Exception):
    """A write without the CSRF token of this browser's session: 403."""


class TooManyAttempts(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"too many failed sign-ins; try again in {retry_after} s")
        self.retry_after = retry_after


@dataclass
class Limiter:
    """At most `limit` failures per key within `window` seconds (a sliding window, in memory:
    each worker process counts its own, so N workers allow up to N times as many)."""

    limit: int
    window: float
    clock: Callable[[], float] = time.monotonic
    failures: dict[str, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def _recent(self, key: str) -> deque[float]:
        times = self.failures[key]
        while times and times[0] <= self.clock() - self.window:
            times.popleft()
        return times

    def retry_after(self, key: str) -> int | None:
        times = self._recent(key)
        if len(times) < self.limit:
            return None
        return max(1, int(times[0] + self.window - self.clock()) + 1)

    def fail(self, key: str) -> None:
        self._recent(key).append(self.clock())

    def forget(self, key: str) -> None:
        self.failures.pop(key, None)


@dataclass
class Auth:
    """The app's signing key and login limits (app.state.auth)."""

    secret: bytes
    per_account: Limiter = field(default_factory=lambda: Limiter(5, 15 * 60))
    per_address: Limiter = field(default_factory=lambda: Limiter(20, 15 * 60))

    @classmethod
    def from_environment(cls, secret_key: str | None = None) -> Auth:
        key = secret_key or os.environ.get(SECRET_VARIABLE)
        # Without a configured key each process makes its own: sessions then last as long as
        # the process and work with one worker only (docs/deploy.md sets the key).
        return cls(key.encode("utf-8") if key else secrets.token_bytes(32))

    @property
    def serializer(self) -> URLSafeTimedSerializer:
        return URLSafeTimedSerializer(self.secret, salt="saylau.session")

    def csrf_token(self, nonce: str) -> str:
        return hmac.new(self.secret, b"csrf:" + nonce.encode(), hashlib.sha256).hexdigest()


def auth_of(request: Request) -> Auth:
    found: Auth = request.app.state.auth
    return found


def _is_tls(request: Request) -> bool:
    return request.url.scheme == "https"


def _session_data(request: Request) -> dict[str, Any] | None:
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        data = auth_of(request).serializer.loads(raw, max_age=SESSION_SECONDS)
    except BadSignature:
        return None
    return data if isinstance(data, dict) else None


def csrf_nonce(request: Request) -> str:
    """This browser's CSRF nonce: the session's, else the cookie's, else a new one (which the
    response sets with `remember_csrf`)."""
    data = _session_data(request)
    if data and isinstance(data.get("c"), str):
        return str(data["c"])
    nonce = request.cookies.get(CSRF_COOKIE) or getattr(request.state, "new_csrf", None)
    if not nonce:
        nonce = request.state.new_csrf = secrets.token_urlsafe(24)
    return str(nonce)


def csrf_token(request: Request) -> str:
    return auth_of(request).csrf_token(csrf_nonce(request))


def remember_csrf(request: Request, response: Response) -> None:
    """Set the CSRF cookie when this request made a new nonce."""
    nonce = getattr(request.state, "new_csrf", None)
    if nonce:
        response.set_cookie(
            CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=_is_tls(request)
        )


def check_csrf(request: Request, token: str | None) -> None:
    given = token or request.headers.get(CSRF_HEADER) or ""
    nonce = _session_data(request) or {}
    expected_nonce = nonce.get("c") or request.cookies.get(CSRF_COOKIE)
    if not expected_nonce or not hmac.compare_digest(
        given, auth_of(request).csrf_token(str(expected_nonce))
    ):
        raise CsrfRefused("the form's security token is missing or out of date: reload the page")


def start_session(request: Request, response: Response, user: sign_in.SignedIn) -> None:
    """Sign `user` in: a new session cookie and a new CSRF nonce (none carried over)."""
    nonce = secrets.token_urlsafe(24)
    value = auth_of(request).serializer.dumps(
        {"u": int(user.principal.user_id), "s": user.stamp, "c": nonce}
    )
    secure = _is_tls(request)
    response.set_cookie(
        SESSION_COOKIE, value, max_age=SESSION_SECONDS, httponly=True, samesite="lax", secure=secure
    )
    response.set_cookie(CSRF_COOKIE, nonce, httponly=True, samesite="lax", secure=secure)


def end_session(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)
    response.delete_cookie(CSRF_COOKIE)


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"


def checked_sign_in(request: Request, session: DbSession, name: str, password: str) -> Any:
    """sign_in.sign_in behind the rate limit: TooManyAttempts before the password is checked
    once the account or the address has had too many recent failures."""
    auth = auth_of(request)
    account, address = f"user:{name.casefold()}", f"addr:{client_address(request)}"
    waits = [
        w
        for w in (auth.per_account.retry_after(account), auth.per_address.retry_after(address))
        if w
    ]
    if waits:
        raise TooManyAttempts(max(waits))
    try:
        user = sign_in.sign_in(session=session, name=name, password=password)
    except Refused:
        auth.per_account.fail(account)
        auth.per_address.fail(address)
        raise
    auth.per_account.forget(account)
    return user


def _basic(request: Request, session: DbSession) -> sign_in.SignedIn | None:
    header = request.headers.get("authorization", "")
    scheme, _, encoded = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        name, _, password = base64.b64decode(encoded, validate=True).decode().partition(":")
    except (binascii.Error, UnicodeDecodeError):
        raise LoginRequired("malformed Basic credentials") from None
    try:
        user: sign_in.SignedIn = checked_sign_in(request, session, name, password)
    except Refused as error:
        raise LoginRequired(error.message) from None
    except TooManyAttempts as error:
        raise LoginRequired(str(error)) from None
    request.state.basic_auth = True
    return user


def optional_user(request: Request, session: DbSession) -> sign_in.SignedIn | None:
    """The signed-in user (session cookie, else HTTP Basic), or None."""
    data = _session_data(request)
    if data is None:
        return _basic(request, session)
    try:
        return sign_in.resume(session=session, user_id=UserId(int(data["u"])), stamp=str(data["s"]))
    except (Refused, KeyError, TypeError, ValueError):
        return None


def required_user(
    user: Annotated[sign_in.SignedIn | None, Depends(optional_user)],
) -> sign_in.SignedIn:
    if user is None:
        raise LoginRequired("sign in first")
    return user


def login_url(request: Request) -> str:
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return "/login?next=" + quote(target, safe="")


User = Annotated[sign_in.SignedIn, Depends(required_user)]
MaybeUser = Annotated[sign_in.SignedIn | None, Depends(optional_user)]
