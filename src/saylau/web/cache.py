"""A cache of the public pages and API responses in each worker (docs/web.md#caching).

A response is kept under its path, query and language together with the audit log's head seq
it was rendered at; each request reads the head (one primary-key read on a pooled connection)
and a cached response serves only while the head has not moved. Every write appends to the
audit log, so a publication invalidates every page at once: nothing is served stale.

It is a plain ASGI middleware outside the others, so a hit costs the head read and no more.
Misses of one page are rendered once: while the first renders it, the others wait for it (a
publication empties the cache under load; fifty renders of the national summary at once would
each take fifty times as long, and clients would time out before any finished)."""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from http.cookies import SimpleCookie
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from saylau.services.views.freshness import audit_head_seq
from saylau.web.database import Database
from saylau.web.language import COOKIE, pick_language

# Paths of the public site and the public API; the staff workspace and sign-in never cache.
PUBLIC_PREFIXES = ("/events", "/contests", "/protocols", "/calendar", "/appeals", "/open-data")
PUBLIC_API = "/api/v1/"
MAX_ENTRIES = 4096

Key = tuple[str, bytes, str]


def is_public(path: str) -> bool:
    return (
        path == "/"
        or path.startswith(PUBLIC_PREFIXES)
        or (path.startswith(PUBLIC_API) and not path.startswith("/api/v1/staff"))
    )


class PageCache:
    def __init__(self, app: ASGIApp, database: Database) -> None:
        self.app = app
        self.database = database
        self.head = -1
        self.entries: OrderedDict[Key, tuple[Message, bytes]] = OrderedDict()
        self.hits = 0
        self.filling: dict[Key, asyncio.Event] = {}

    def current_head(self) -> int:
        with self.database.engine.connect() as connection:
            head = audit_head_seq(session=connection)
        if head != self.head:
            self.entries.clear()
            self.head = head
        return head

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "GET" or not is_public(scope["path"]):
            await self.app(scope, receive, send)
            return
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        cookies = SimpleCookie(headers.get("cookie", ""))
        if any(name.startswith("saylau_session") for name in cookies):
            await self.app(scope, receive, send)
            return
        asked = _query_lang(scope["query_string"])
        remembered = cookies[COOKIE].value if COOKIE in cookies else None
        lang = pick_language(asked, remembered, headers.get("accept-language"))
        key = (scope["path"], scope["query_string"], lang)
        head = self.current_head()
        while (busy := self.filling.get(key)) is not None and key not in self.entries:
            await busy.wait()  # another request is rendering this page
        found = self.entries.get(key)
        if found is not None:
            self.hits += 1
            start, body = found
            await send(start)
            await send({"type": "http.response.body", "body": body})
            return
        done = self.filling[key] = asyncio.Event()
        try:
            await self._fill(scope, receive, send, key, head)
        finally:
            del self.filling[key]
            done.set()

    async def _fill(self, scope: Scope, receive: Receive, send: Send, key: Key, head: int) -> None:
        start: dict[str, Any] = {}
        chunks: list[bytes] = []

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                start.update(message)
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                if not message.get("more_body") and _cacheable(start) and head == self.head:
                    self.entries[key] = (dict(start), b"".join(chunks))
                    if len(self.entries) > MAX_ENTRIES:
                        self.entries.popitem(last=False)
            await send(message)

        await self.app(scope, receive, keep)


def _cacheable(start: dict[str, Any]) -> bool:
    """A 200 that sets no cookie (a `?lang=` choice sets one: it is not kept)."""
    return start.get("status") == 200 and not any(
        k.lower() == b"set-cookie" for k, _v in start.get("headers", ())
    )


def _query_lang(query: bytes) -> str | None:
    for part in query.split(b"&"):
        if part.startswith(b"lang="):
            return part[5:].decode("latin-1")
    return None
