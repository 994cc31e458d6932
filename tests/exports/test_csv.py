"""The CSV export of the small held election: every column is in the dictionary of
docs/open-data.md, the files say what the published protocols say, and `saylau export` writes
them (and the NIST report) with the digests it prints."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from pathlib import Path

from election_fixtures import build_uralsk, create_event
from held_election import Held, hold_election
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.domain.election import EventId
from saylau.exports.artefacts import csv_artefacts, public_record
from saylau.exports.csv_tables import TABLES

DOC = Path(__file__).resolve().parents[2] / "docs" / "open-data.md"


def _dictionary() -> dict[str, set[str]]:
    """The columns docs/open-data.md explains, by file (each `#### name.csv` section's table)."""
    found: dict[str, set[str]] = {}
    current = None
    for line in DOC.read_text(encoding="utf-8").splitlines():
        if heading := re.fullmatch(r"#### (\S+\.csv)", line):
            current = heading.group(1)
            found[current] = set()
        elif line.startswith("#"):
            current = None
        elif current and line.startswith("| `"):
            found[current] |= set(re.findall(r"`([a-z_0-9]+)`", line.split("|")[1]))
    return found


def test_every_column_is_in_the_dictionary_and_nothing_else() -> None:
    assert _dictionary() == {name: set(columns) for name, columns in TABLES.items()}


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))


def _files(session: Session, held: Held) -> dict[str, bytes]:
    view = public_record(session=session, event_id=EventId(held.event_id))
    return {a.name: a.data for a in csv_artefacts(view)}


def test_files_hold_the_published_record(session: Session, held: Held) -> None:
    files = _files(session, held)
    assert list(files) == list(TABLES)
    for name, data in files.items():
        header = data.split(b"\r\n", 1)[0].decode()
        assert header == ",".join(TABLES[name])
        assert not data.startswith(b"\xef\xbb\xbf")
    contests = _rows(files["contests.csv"])
    summary = [
        (r["event_id"], r["post_kato"], r["status"], r["num_rounds"], r["elected_name"])
        for r in contests
    ]
    assert summary == [
        ("1", "271033000", "elected", "1", "Candidate 01"),
        ("1", "271035000", "voting", "1", ""),  # round 2 signed, not published
        ("1", "271037000", "repeat_election", "2", ""),
        ("1", "273430000", "pending", "0", ""),
        ("2", "271037000", "elected", "1", "Candidate 40"),
    ]
    failed, repeat = contests[2], contests[4]
    assert (failed["failure_reason"], failed["repeat_contest_id"]) == (
        "tie",
        str(held.repeat_contest),
    )
    assert repeat["repeat_of_contest_id"] == str(held.contests[2])
    assert (contests[0]["margin"], contests[0]["protocol_signed_by"]) == (
        "5",
        "Secretary B. (secretary)",
    )
    rounds = _rows(files["rounds.csv"])
    assert [(r["post_kato"], r["round_no"], r["decision"], r["blank"]) for r in rounds] == [
        ("271033000", "1", "elected", "0"),
        ("271035000", "1", "next_round", "0"),
        ("271037000", "1", "next_round", "0"),
        ("271037000", "2", "failed", "1"),
        ("271037000", "1", "elected", "0"),
    ]
    votes = _rows(files["votes.csv"])
    b = [int(v["votes"]) for v in votes if v["contest_id"] == str(held.contests[1])]
    assert b == [7, 6, 4]
    candidates = _rows(files["candidates.csv"])
    assert {c["status"] for c in candidates} == {"registered", "withdrawn", "refused"}
    assert sum(c["is_elected"] == "true" for c in candidates) == 2
    councils = _rows(files["councils.csv"])
    assert [(c["event_id"], c["kato"], c["num_seats"], c["deputies"]) for c in councils] == [
        ("1", "271000000", "19", "19"),
        ("1", "273400000", "11", "0"),
        ("2", "271000000", "19", "19"),
    ]
    appeals = _rows(files["appeals.csv"])
    assert [(a["subject"], a["outcome"]) for a in appeals] == [
        ("protocol", "rejected"),
        ("refusal", ""),
    ]
    assert b"Candidate 07" not in files["appeals.csv"]  # no appellant's name


def test_saylau_export_writes_files_with_their_digests(
    migrated_database_url: str, tmp_path: Path
) -> None:
    engine = make_engine(migrated_database_url)
    with make_session_factory(engine)() as session:
        uralsk = build_uralsk(session)
        held = hold_election(session, uralsk, create_event(session))
    engine.dispose()
    app, runner = build_app(), CliRunner()
    report = tmp_path / "report.json"
    db = ["--db", migrated_database_url]
    done = runner.invoke(app, ["export", "cdf", *db, "-o", str(report), "--validate"])
    assert done.exit_code == 0, done.output
    digest = hashlib.sha256(report.read_bytes()).hexdigest()
    assert done.stdout.splitlines() == [
        f"{digest}  {report}",
        "valid: the NIST schema holds and every reference resolves",
    ]
    done = runner.invoke(
        app, ["--lang", "kk", "export", "cdf", *db, "-o", str(report), "--validate"]
    )
    assert done.exit_code == 0, done.output
    assert done.stdout.splitlines()[1].startswith("жарамды: NIST схемасы")
    out = tmp_path / "csv" / "new"
    event = ["--event", str(held.repeat_event_id)]  # the same cycle
    done = runner.invoke(app, ["export", "csv", *db, *event, "-o", str(out), "--json"])
    assert done.exit_code == 0, done.output
    listed = json.loads(done.stdout)
    assert listed["event_id"] == held.event_id
    assert [f["name"] for f in listed["files"]] == list(TABLES)
    for f in listed["files"]:
        data = (out / f["name"]).read_bytes()
        assert (f["sha256"], f["bytes"]) == (hashlib.sha256(data).hexdigest(), len(data))
    # An output that cannot be written is the request's fault (exit 2), and so is a bad event.
    blocked = tmp_path / "file"
    blocked.write_text("")
    done = runner.invoke(app, ["export", "csv", *db, "-o", str(blocked / "x")])
    assert done.exit_code == 2, done.output
    done = runner.invoke(app, ["export", "cdf", *db, "--event", "99", "-o", str(report)])
    assert done.exit_code == 1, done.output
