"""A `saylau protocol submit` killed (SIGKILL) inside its transaction leaves the database as it
was (no protocol, rounds still open, the audit log verifies), and the same command then
succeeds."""

from __future__ import annotations

import json
import signal
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from killing import CLI, kill_while_writing, run, scalar
from lifecycle_example import EVENT, URALSK, bundle
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.domain.accounts import Principal, Role, UserId
from saylau.domain.election import NominationRequest, NominatorKind, PersonData
from saylau.services import attendance, candidates, events, resolve, sittings

app = build_app()
NUM_POSTS = 1500  # one batch of this many protocols: long enough to be killed inside it
CEC = Principal(UserId(1), Role.CEC_ADMIN)
ACTOR = CEC.actor


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
        contests = [resolve.find_contest(session=session, event_id=event_id, ref=k) for k in katos]
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
            session=session, principal=CEC, requests=requests, on=date(2013, 7, 10)
        )
        candidates.register_many(
            session=session, principal=CEC, nomination_ids=ids, on=date(2013, 7, 22)
        )
        council = resolve.find_council(session=session, ref=URALSK)
        sid = sittings.schedule_sitting(
            session=session,
            principal=CEC,
            request=sittings.SittingRequest(event_id, council, date(2013, 8, 9), tuple(contests)),
        )
        electors = attendance.list_electors(session=session, sitting_id=sid)
        attendance.record_attendance(
            session=session,
            principal=CEC,
            sitting_id=sid,
            roll={e.deputy_id: True for e in electors},
        )
        sittings.open_sitting(
            session=session, principal=CEC, sitting_id=sid, now=datetime(2013, 8, 9, tzinfo=UTC)
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


@pytest.mark.slow
def test_killed_protocol_submission_leaves_nothing_and_can_be_run_again(
    admin_url: str, tmp_path: Path
) -> None:
    url = admin_url
    path = tmp_path / "protocols.json"
    path.write_text(json.dumps(_prepare(url, tmp_path)), encoding="utf-8")
    entries_before = scalar(url, "SELECT count(*) FROM audit_entry")
    command = [*CLI, "protocol", "submit", str(path), "--db", url, "--json"]
    assert kill_while_writing(command, url, "round", poll=0.005) == -signal.SIGKILL

    assert scalar(url, "SELECT count(*) FROM protocol") == 0
    assert scalar(url, "SELECT count(*) FROM round WHERE status = 'open'") == NUM_POSTS
    assert scalar(url, "SELECT count(*) FROM audit_entry") == entries_before
    verify = run([*CLI, "verify", "--db", url])
    assert verify.returncode == 0, verify.stdout + verify.stderr

    again = run(command)
    assert again.returncode == 0, again.stderr
    done = json.loads(again.stdout)
    assert {(p["status"], p["version"], p["decision"]["kind"]) for p in done} == {
        ("accepted", 1, "elected")
    }
    assert scalar(url, "SELECT count(*) FROM contest WHERE status = 'elected'") == NUM_POSTS
