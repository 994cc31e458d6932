"""Fixtures of the web tests: a small election with published results (web_fixtures) and a
client of the site on it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient
from web_fixtures import Published, build_published

from saylau.web.app import create_app


@pytest.fixture
def published(migrated_database_url: str) -> Published:
    return build_published(migrated_database_url)


@pytest.fixture
def site(published: Published) -> Iterator[TestClient]:
    with TestClient(create_app(published.url)) as client:
        yield client
