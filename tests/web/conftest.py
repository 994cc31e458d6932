"""Fixtures of the web tests: an app on a database holding Uralsk's meeting of electors
(staff_scenario), and a client signed in as one of its users."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from staff_scenario import Meeting, build

from saylau.db.engine import make_engine, make_session_factory
from saylau.web.app import create_app

SECRET = "a test secret key for signing sessions"


@pytest.fixture
def meeting(migrated_database_url: str, tmp_path: Path) -> Meeting:
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        found = build(session, tmp_path, date.today())
    engine.dispose()
    return found


@pytest.fixture
def staff_client(migrated_database_url: str, meeting: Meeting) -> Iterator[TestClient]:
    with TestClient(create_app(migrated_database_url, secret_key=SECRET)) as client:
        yield client
