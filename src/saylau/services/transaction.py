"""The unit of work: a service's changes and their audit entries commit together or not at all."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy.orm import Session


@contextmanager
def transaction(*, session: Session) -> Iterator[Session]:
    """Commit on success, roll back on any exception (which propagates)."""
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
