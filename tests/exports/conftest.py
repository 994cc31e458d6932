"""Fixtures of the open-data export tests: the Uralsk election of tests/services, held and
published (election_fixtures lives there; it is put on the import path as pytest does for the
tests of that folder)."""

from __future__ import annotations

import pytest
from election_fixtures import Uralsk, build_uralsk, create_event
from held_election import Held, hold_election
from sqlalchemy.orm import Session


@pytest.fixture
def uralsk(session: Session) -> Uralsk:
    return build_uralsk(session)


@pytest.fixture
def event_id(session: Session, uralsk: Uralsk) -> int:
    return create_event(session)


@pytest.fixture
def held(session: Session, uralsk: Uralsk, event_id: int) -> Held:
    return hold_election(session, uralsk, event_id)
