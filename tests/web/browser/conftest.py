"""Browser tests: `saylau serve` in a subprocess on a free port over a database holding
Uralsk's meeting (staff_scenario), and Debian's Chromium driven by Playwright (never a
downloaded browser). Screenshots go to test-artifacts/browser/ (git-ignored)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from staff_scenario import Meeting, build

from saylau.db.engine import make_engine, make_session_factory
from saylau.db.migrate import upgrade
from system_tools import require_tool

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts" / "browser"


@dataclass(frozen=True)
class Site:
    url: str
    meeting: Meeting


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"saylau serve exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url + "/login", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"saylau serve did not answer at {url} in {seconds} s")


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Site]:
    """A running server (SQLite file: the browser tests exercise the web, the services run on
    PostgreSQL in the other suites)."""
    url = f"sqlite:///{tmp_path / 'browser.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with make_session_factory(engine)() as session:
        meeting = build(session, tmp_path, date.today())
    engine.dispose()
    port = _free_port()
    env = os.environ | {"SAYLAU_SECRET_KEY": "browser test key", "SAYLAU_DATABASE_URL": url}
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [str(Path(sys.executable).parent / "saylau"), "serve", "--port", str(port)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait(base, process)
        yield Site(base, meeting)
    finally:
        process.terminate()
        process.wait(timeout=20)
        log.close()


@pytest.fixture
def browser() -> Iterator[Any]:
    require_tool("chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Path:
    """Where this test's screenshots go."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    return folder
