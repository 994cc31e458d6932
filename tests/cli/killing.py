"""What the killed-process tests share: run `saylau` in a child process, SIGKILL it while its
transaction is writing, and read the database afterwards."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import text

from saylau.db.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]


def scalar(url: str, sql: str) -> Any:
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


def _inside_transaction(url: str, table: str) -> bool:
    """Whether another process holds the write lock (SQLite) or writes `table` (PostgreSQL)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
            return False
        except sqlite3.OperationalError:  # database is locked: the command is writing
            return True
        finally:
            conn.close()
    n = scalar(
        url,
        "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
        f" WHERE c.relname = '{table}' AND l.mode = 'RowExclusiveLock'"
        " AND l.pid <> pg_backend_pid()",
    )
    return bool(n)


def kill_while_writing(command: list[str], url: str, table: str, poll: float) -> int:
    """Start `command`, SIGKILL it once it writes `table`; returns its exit status."""
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not _inside_transaction(url, table):
            assert process.poll() is None, "the command ended before it could be killed"
            time.sleep(poll)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    return process.returncode


def run(command: list[str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
