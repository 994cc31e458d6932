"""A `saylau protocol submit` killed (SIGKILL) inside its transaction leaves the database as it
was (no protocol, rounds still open, the audit log verifies), and the same command then
succeeds."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from lifecycle_example import EVENT, URALSK, bundle
from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli.main import _register, app
from saylau.db.engine import make_engine, make_session_factory
from saylau.domain.election import NominationRequest, NominatorKind, PersonData
from saylau.services import candidates, events, sittings

_register()
ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]
NUM_POSTS = 1500  # one batch of this many protocols: long enough to be killed inside it
ACTOR = "test:commission"


def _national_like_bundle() -> dict[str, Any]:
    data = bundle()
    katos = [f"27105{n:04d}" for n in range(NUM_POSTS)]
    data["territories"] = data["territories"][:2] + [
        {"kato": k, "kind": "rural_district", "parent_kato": URALSK, "name_en": f"R{k}"}
        for k in katos
    ]
    data["posts"] = [{"territory_kato": k, "council_kato": URALSK} for k in katos]
    return data


def _prepare(url: str, tmp_path: Path) -> list[dict[str, Any]]:
    """Structure, event, two registered candidates per post, the sitting open; returns the
    round-1 protocols of every contest."""
    runner = CliRunner()
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(_national_like_bundle()), encoding="utf-8")
    assert runner.invoke(app, ["import", "bundle", str(path), "--db", url]).exit_code == 0
    event_file = tmp_path / "event.json"
    event_file.write_text(json.dumps(EVENT | {"posts": "all"}), encoding="utf-8")
    done = runner.invoke(app, ["event", "create", str(event_file), "--db", url])
    assert done.exit_code == 0, done.output
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        event_id = events.latest_event(session=session)
        katos = events.all_post_katos(session=session)
        contests = [events.find_contest(session=session, event_id=event_id, ref=k) for k in katos]
        requests = [
            NominationRequest(
                contest_id=c,
                person=PersonData(f"Candidate {c}-{j}", "male", date(1970, 1, 1 + j)),
                nominated_by=NominatorKind.DISTRICT_AKIM,
                documents=("identity_document", "consent"),
            )
            for c in contests
            for j in range(2)
        ]
        ids = candidates.nominate_many(
            session=session, actor=ACTOR, requests=requests, on=date(2013, 7, 10)
        )
        candidates.register_many(
            session=session, actor=ACTOR, nomination_ids=ids, on=date(2013, 7, 22)
        )
        council = events.find_council(session=session, ref=URALSK)
        sid = sittings.schedule_sitting(
            session=session,
            actor=ACTOR,
            request=sittings.SittingRequest(event_id, council, date(2013, 8, 9), tuple(contests)),
        )
        electors = sittings.list_electors(session=session, sitting_id=sid)
        sittings.record_attendance(
            session=session, actor=ACTOR, sitting_id=sid, roll={i: True for i, _n, _p in electors}
        )
        sittings.open_sitting(
            session=session, actor=ACTOR, sitting_id=sid, now=datetime(2013, 8, 9, tzinfo=UTC)
        )
    engine.dispose()
    return [
        {
            "contest": c,
            "round": 1,
            "members": 19,
            "present": 19,
            "ballots_received": 19,
            "ballots_issued": 19,
            "ballots_cast": 19,
            "votes": {str(ids[2 * n]): 12, str(ids[2 * n + 1]): 7},
        }
        for n, c in enumerate(contests)
    ]


def _inside_transaction(url: str) -> bool:
    """Whether another process holds the write lock (SQLite) or writes protocols (PG)."""
    if url.startswith("sqlite"):
        conn = sqlite3.connect(url.removeprefix("sqlite:///"), timeout=0)
        try:
            conn.execute("BEGIN IMMEDIATE")
            conn.rollback()
            return False
        except sqlite3.OperationalError:  # database is locked: the submission is writing
            return True
        finally:
            conn.close()
    engine = make_engine(url)
    with engine.connect() as conn:
        n = conn.execute(
            text(
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE c.relname = 'round' AND l.mode = 'RowExclusiveLock'"
                " AND l.pid <> pg_backend_pid()"
            )
        ).scalar_one()
    engine.dispose()
    return bool(n)


def _scalar(url: str, sql: str) -> Any:
    engine = make_engine(url)
    with engine.connect() as conn:
        value = conn.execute(text(sql)).scalar_one()
    engine.dispose()
    return value


@pytest.mark.slow
def test_killed_protocol_submission_leaves_nothing_and_can_be_run_again(
    migrated_database_url: str, tmp_path: Path
) -> None:
    url = migrated_database_url
    path = tmp_path / "protocols.json"
    path.write_text(json.dumps(_prepare(url, tmp_path)), encoding="utf-8")
    entries_before = _scalar(url, "SELECT count(*) FROM audit_entry")
    command = [*CLI, "protocol", "submit", str(path), "--db", url, "--json"]
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        while not _inside_transaction(url):
            assert process.poll() is None, "the submission ended before it could be killed"
            time.sleep(0.005)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == -signal.SIGKILL

    assert _scalar(url, "SELECT count(*) FROM protocol") == 0
    assert _scalar(url, "SELECT count(*) FROM round WHERE status = 'open'") == NUM_POSTS
    assert _scalar(url, "SELECT count(*) FROM audit_entry") == entries_before
    verify = subprocess.run([*CLI, "verify", "--db", url], cwd=ROOT, capture_output=True, text=True)
    assert verify.returncode == 0, verify.stdout + verify.stderr

    again = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert again.returncode == 0, again.stderr
    done = json.loads(again.stdout)
    assert {(p["status"], p["version"], p["decision"]["kind"]) for p in done} == {
        ("accepted", 1, "elected")
    }
    assert _scalar(url, "SELECT count(*) FROM contest WHERE status = 'elected'") == NUM_POSTS
