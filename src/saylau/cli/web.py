"""`saylau serve`: the web site and the JSON API (docs/web.md, docs/deploy.md)."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from saylau.cli.common import DbOption


def register(app: typer.Typer) -> None:
    app.command("serve")(serve_command)


def serve_command(
    host: Annotated[str, typer.Option("--host", help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    workers: Annotated[
        int, typer.Option("--workers", min=1, help="Worker processes (each with its own pool).")
    ] = 1,
    db: DbOption = None,
) -> None:
    """Serve the public site, the staff workspace and /api/v1 (uvicorn). Behind a reverse
    proxy with TLS in production: docs/deploy.md."""
    import uvicorn

    from saylau.db.engine import database_url

    # Each worker builds its own app from the environment (uvicorn's factory), so the URL
    # travels in SAYLAU_DATABASE_URL.
    os.environ["SAYLAU_DATABASE_URL"] = database_url(db)
    uvicorn.run(
        "saylau.web.app:app_from_environment",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level="info",
    )
