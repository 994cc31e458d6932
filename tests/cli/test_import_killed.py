"""A `saylau import` killed (SIGKILL) inside its transaction leaves nothing of the file, the log
still verifies, and the same command then succeeds."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import text

from saylau.db.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]
NUM_RURAL = 40_000  # several seconds of work inside the transaction: room to kill it


def _big_file(path: Path) -> Path:
    lines = [
        "kato,kind,parent_kato,name_kk,name_ru,name_en\n",
        "270000000,region,,,Западно-Казахстанская область,\n",
        "273400000,district,270000000,,Акжаикский район,\n",
    ]
    lines += [f"28{n:07d},rural_district,273400000,,с.о. {n},\n" for n in range(NUM_RURAL)]
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _inside_transaction(url: str) -> bool:
    """Whether another process holds the write lock (SQLite) or row locks on territory (PG)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
            return False
        except sqlite3.OperationalError:  # database is locked: the import is writing
            return True
        finally:
            conn.close()
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE c.relname = 'territory' AND l.mode = 'RowExclusiveLock'"
                " AND l.pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    return bool(n)


def _count(url: str, table: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
    engine.dispose()
    return int(n)


@pytest.mark.slow
def test_killed_import_stores_nothing_and_can_be_run_again(
    migrated_database_url: str, tmp_path: Path
) -> None:
    url = migrated_database_url
    path = _big_file(tmp_path / "territories.csv")
    command = [*CLI, "import", "territories", str(path), "--db", url, "--json"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not _inside_transaction(url):
            assert process.poll() is None, "the import ended before it could be killed"
            time.sleep(0.02)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    assert (_count(url, "territory"), _count(url, "audit_entry")) == (0, 0)
    verify = subprocess.run([*CLI, "verify", "--db", url], cwd=ROOT, capture_output=True, text=True)
    assert (verify.returncode, verify.stdout) == (
        0,
        "ok: 0 entries, chain intact, 0 objects match\n",
    )

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["stored"] == {"territory": NUM_RURAL + 2}
    assert _count(url, "audit_entry") == NUM_RURAL + 2
