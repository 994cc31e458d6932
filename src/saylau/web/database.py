"""One engine per process, a session per request (a FastAPI dependency)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session, sessionmaker

from saylau.db.engine import make_engine, make_session_factory
from saylau.db.migrate import upgrade


class Database:
    def __init__(self, url: str | None) -> None:
        self.engine = make_engine(url)
        upgrade(self.engine)
        self.sessions: sessionmaker[Session] = make_session_factory(self.engine)


def _session(request: Request) -> Iterator[Session]:
    database: Database = request.app.state.database
    with database.sessions() as session:
        yield session


DbSession = Annotated[Session, Depends(_session)]
