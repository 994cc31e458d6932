"""The page cache renders a page once when many ask for it at the same moment (after a
publication empties it under load), and serves the others from that one render."""

from __future__ import annotations

import asyncio
from typing import Any

from saylau.web.cache import PageCache


class _Database:
    """Stands in for web.database.Database: the cache reads only the audit head through it."""


def test_simultaneous_misses_of_one_page_render_it_once(monkeypatch: Any) -> None:
    renders = 0

    async def page(scope: Any, receive: Any, send: Any) -> None:
        nonlocal renders
        renders += 1
        await asyncio.sleep(0.05)  # rendering takes a while
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"summary"})

    cache = PageCache(page, _Database())  # type: ignore[arg-type]
    monkeypatch.setattr(cache, "current_head", lambda: 7)
    cache.head = 7
    scope = {"type": "http", "method": "GET", "path": "/", "query_string": b"", "headers": []}

    async def one() -> bytes:
        sent: list[Any] = []

        async def send(message: Any) -> None:
            sent.append(message)

        await cache(scope, None, send)  # type: ignore[arg-type]
        return b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")

    async def many() -> list[bytes]:
        return await asyncio.gather(*(one() for _ in range(20)))

    assert asyncio.run(many()) == [b"summary"] * 20
    assert renders == 1 and cache.hits == 19
    assert cache.filling == {}
