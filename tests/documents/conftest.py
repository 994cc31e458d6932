"""Fixtures of the documents' tests: `paper`, the small Kazakh-named election of
paper_fixtures.py on a migrated database."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from paper_fixtures import Paper, hold_paper

from saylau.db.engine import make_engine, make_session_factory


@pytest.fixture
def paper(migrated_database_url: str) -> Iterator[Paper]:
    engine = make_engine(migrated_database_url)
    try:
        with make_session_factory(engine)() as session:
            yield hold_paper(session, migrated_database_url)
    finally:
        engine.dispose()
