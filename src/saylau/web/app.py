"""The ASGI application: `create_app(database_url)` wires the database, the language of each
request, the templates, the static files and the routers (docs/web.md)."""

from __future__ import annotations

from importlib.resources import files

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles

from saylau.web import dashboard, language, public, staff
from saylau.web.auth import pages as auth_pages
from saylau.web.database import Database


def create_app(database_url: str | None = None, secret_key: str | None = None) -> FastAPI:
    """The whole site on the database at `database_url` (default: SAYLAU_DATABASE_URL, else
    ./saylau.db), migrated to the newest schema when the app starts; sessions are signed with
    `secret_key` (default: SAYLAU_SECRET_KEY, else a key of this process: docs/web.md)."""
    app = FastAPI(
        title="saylau",
        summary="Elections of local executives by the councils that elect them.",
        version="1",
        docs_url="/api/docs",
        redoc_url=None,
        openapi_url="/api/v1/openapi.json",
    )
    app.state.database = Database(database_url)
    app.middleware("http")(language.choose_language)
    app.mount("/static", StaticFiles(directory=str(files("saylau.web") / "static")), "static")
    app.include_router(public.router)
    auth_pages.install(app, secret_key)
    app.include_router(staff.router)
    app.include_router(dashboard.router)
    app.include_router(dashboard.api)
    return app


def app_from_environment() -> FastAPI:
    """The factory `saylau serve` hands to uvicorn: each worker process builds its own app on
    SAYLAU_DATABASE_URL."""
    return create_app()
