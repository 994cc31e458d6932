"""`saylau demo` stopped before it created its event (killed during its first seconds) leaves a
database that the next `saylau demo` recognises as its own and replaces; any other database
is still refused."""

from __future__ import annotations

import os
import signal
import subprocess
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest
from killing import CLI, ROOT, scalar
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.db.migrate import upgrade
from saylau.domain.accounts import NewUser, Role
from saylau.scenarios.kz2013 import demo_database
from saylau.scenarios.kz2013.accounts import create_cec_admin
from saylau.services import users
from saylau.services.database import database_contents

app = build_app()
runner = CliRunner()


def _partial_demo(url: str, *, other_user: str | None = None) -> None:
    """What a demo stopped after its first act leaves: the schema and its CEC administrator
    (and, to stand for someone else's database, another user)."""
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        admin = create_cec_admin(session)
        if other_user is not None:
            users.add_user(
                session=session,
                principal=admin,
                user=NewUser(other_user, "Someone", Role.CEC_ADMIN),
                password=None,
                now=datetime(2026, 1, 1, tzinfo=UTC),
            )
    engine.dispose()


def _rows(url: str, table: str) -> int:
    return int(scalar(url, f"SELECT count(*) FROM {table}"))


def test_a_demo_stopped_before_its_event_is_replaced(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    _partial_demo(url)
    assert (_rows(url, "app_user"), _rows(url, "election_event")) == (1, 0)
    assert demo_database.prepare_database(url) == "a previous demo's, replaced"
    engine = make_engine(url)
    try:
        contents = database_contents(engine)
        assert (contents.is_empty, contents.user_names, contents.event_names) == (True, (), ())
    finally:
        engine.dispose()


def test_a_database_with_another_user_and_no_event_is_refused(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'other.db'}"
    _partial_demo(url, other_user="alice")
    done = runner.invoke(app, ["demo", "--db", url])
    assert done.exit_code == 1
    assert "already holds data that is not the demo's" in done.output
    assert _rows(url, "app_user") == 2  # untouched


def test_a_demo_killed_in_its_first_seconds_is_rerun_on_the_same_file(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'killed.db'}"
    process = subprocess.Popen(
        [*CLI, "demo", "--db", url], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE
    )
    try:
        # Killed once its administrator is stored, long before its event is.
        deadline = time.monotonic() + 120
        while True:
            assert process.poll() is None, process.stderr.read() if process.stderr else ""
            assert time.monotonic() < deadline, "the demo stored no user in two minutes"
            try:
                if os.path.exists(tmp_path / "killed.db") and _rows(url, "app_user"):
                    break
            except Exception:  # the schema is not there yet, or the file is being written
                pass
            time.sleep(0.05)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL
    assert _rows(url, "election_event") == 0
    # Before: "already holds data that is not the demo's". Now the demo's own, replaced.
    assert demo_database.prepare_database(url) == "a previous demo's, replaced"
    assert (_rows(url, "app_user"), _rows(url, "territory")) == (0, 0)


@pytest.mark.parametrize("state", ["empty", "other"])
def test_an_empty_or_foreign_database_keeps_its_answer(tmp_path: Path, state: str) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    engine = make_engine(url)
    upgrade(engine)
    if state == "other":
        with engine.begin() as conn:
            conn.execute(
                text(
                    "INSERT INTO territory (kato, kind, name_kk, name_ru, name_en)"
                    " VALUES ('270000000', 'region', '', 'ЗКО', '')"
                )
            )
    try:
        assert demo_database.database_state(engine) == state
    finally:
        engine.dispose()
