"""The first user of a test database, a CEC administrator, and its credentials."""

from __future__ import annotations

from datetime import UTC, datetime

from saylau.db.engine import make_engine, make_session_factory
from saylau.db.migrate import upgrade
from saylau.domain.accounts import NewUser, Role

ADMIN, ADMIN_PASSWORD = "admin", "admin password 2013"


def add_admin(url: str) -> None:
    """The bootstrap: the first user of the database at `url`, a cec-admin."""
    from saylau.services import users

    engine = make_engine(url)
    try:
        upgrade(engine)
        with make_session_factory(engine)() as session:
            users.add_user(
                session=session,
                principal=None,
                user=NewUser(ADMIN, "CEC administrator", Role.CEC_ADMIN),
                password=ADMIN_PASSWORD,
                now=datetime.now(UTC),
            )
    finally:
        engine.dispose()
