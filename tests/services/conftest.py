"""Fixtures of the election-flow service tests (the structure they run on: election_fixtures)."""

from __future__ import annotations

import pytest
from election_fixtures import Uralsk, build_uralsk, create_event
from sqlalchemy.orm import Session


@pytest.fixture
def uralsk(session: Session) -> Uralsk:
    return build_uralsk(session)


@pytest.fixture
def event_id(session: Session, uralsk: Uralsk) -> int:
    return create_event(session)
