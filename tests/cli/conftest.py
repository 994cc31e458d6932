"""CLI fixtures: a migrated database whose first user, a CEC administrator, exists, with the
environment signed in as it (SAYLAU_USER, SAYLAU_PASSWORD) for the test's duration."""

from __future__ import annotations

import pytest
from signed_in import ADMIN, ADMIN_PASSWORD, add_admin


@pytest.fixture
def admin_url(migrated_database_url: str, monkeypatch: pytest.MonkeyPatch) -> str:
    add_admin(migrated_database_url)
    monkeypatch.setenv("SAYLAU_USER", ADMIN)
    monkeypatch.setenv("SAYLAU_PASSWORD", ADMIN_PASSWORD)
    return migrated_database_url


@pytest.fixture(autouse=True)
def _english(monkeypatch: pytest.MonkeyPatch) -> None:
    """The CLI's tests read English output: a SAYLAU_LANG of the developer's shell is unset."""
    monkeypatch.delenv("SAYLAU_LANG", raising=False)
