"""A writer that cannot get the database within SAYLAU_DB_TIMEOUT is told "database busy, try
again" (exit 1), and nothing of its input is stored; on SQLite and on PostgreSQL."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine

app = build_app()
runner = CliRunner()


@contextmanager
def write_lock(url: str) -> Iterator[None]:
    """Another connection holding the write lock on the territory table until the block ends."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(make_url(url).database or "", isolation_level=None)
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield
        finally:
            conn.execute("ROLLBACK")
            conn.close()
        return
    engine = make_engine(url)
    with engine.connect() as pg:
        pg.execute(text("LOCK TABLE territory IN EXCLUSIVE MODE"))
        try:
            yield
        finally:
            pg.rollback()
    engine.dispose()


def _num_territories(url: str) -> int:
    engine = make_engine(url)
    with engine.connect() as conn:
        n = int(conn.execute(text("SELECT count(*) FROM territory")).scalar_one())
    engine.dispose()
    return n


def test_a_writer_waiting_past_the_timeout_is_told_to_try_again(
    admin_url: str, tmp_path: Path
) -> None:
    path = tmp_path / "t.csv"
    path.write_text("kato,kind,name_ru\n270000000,region,ЗКО\n", encoding="utf-8")
    args = ["import", "territories", str(path), "--db", admin_url]
    with write_lock(admin_url):
        done = runner.invoke(app, args, env={"SAYLAU_DB_TIMEOUT": "0.2"})
    assert (done.exit_code, done.stderr) == (
        1,
        "error: database busy, try again: another writer held it for more than 0.2 s"
        " (SAYLAU_DB_TIMEOUT); nothing was stored\n",
    )
    assert _num_territories(admin_url) == 0
    again = runner.invoke(app, args, env={"SAYLAU_DB_TIMEOUT": "0.2"})
    assert again.exit_code == 0, again.output
    assert _num_territories(admin_url) == 1
