"""`saylau verify` on a real import: ok when untouched; a raw SQL change makes it fail and name
the entry, the object and what differs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import text
from typer.testing import CliRunner

from saylau.cli.main import build_app
from saylau.db.engine import make_engine

app = build_app()
runner = CliRunner()


def _import_bundle(url: str, tmp_path: Path, bundle: dict[str, Any]) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    done = runner.invoke(app, ["import", "bundle", str(path), "--db", url])
    assert done.exit_code == 0, done.output


def _sql(url: str, statement: str) -> tuple[Any, ...] | None:
    engine = make_engine(url)
    with engine.begin() as conn:
        result = conn.execute(text(statement))
        row = result.first() if result.returns_rows else None
    engine.dispose()
    return tuple(row) if row is not None else None


def test_raw_sql_change_of_a_stored_row_fails_verify_and_names_the_entry(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    url = admin_url
    _import_bundle(url, tmp_path, structure_bundle)
    assert runner.invoke(app, ["verify", "--db", url]).exit_code == 0
    found = _sql(
        url,
        "SELECT e.seq, d.id FROM audit_entry e JOIN deputy d"
        " ON e.object_id = CAST(d.id AS VARCHAR(20))"
        " WHERE e.object_type = 'deputy' AND d.full_name = 'Бекетов Ерлан'",
    )
    assert found is not None
    seq, deputy_id = found
    _sql(url, f"UPDATE deputy SET birth_date = '1989-11-02' WHERE id = {deputy_id}")

    done = runner.invoke(app, ["verify", "--db", url])
    assert done.exit_code == 1
    assert done.stdout.splitlines() == [
        f"FAILED: entry {seq} (deputy.create), deputy {deputy_id}: "
        "the stored rows differ from the state this entry recorded",
        '  birth_date: recorded "1959-11-02", stored "1989-11-02"',
    ]
    report = json.loads(runner.invoke(app, ["verify", "--db", url, "--json"]).stdout)
    assert (report["ok"], report["num_entries"], len(report["problems"])) == (False, 20, 1)
    assert report["problems"][0]["seq"] == seq


def test_edited_audit_entry_breaks_the_chain_at_that_entry(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    url = admin_url
    _import_bundle(url, tmp_path, structure_bundle)
    _sql(url, "UPDATE audit_entry SET actor = 'someone else' WHERE seq = 8")
    done = runner.invoke(app, ["verify", "--db", url, "--json"])
    assert done.exit_code == 1
    first = json.loads(done.stdout)["problems"][0]
    assert (first["kind"], first["seq"], first["action"]) == ("chain", 8, "council.create")


def test_log_lists_an_objects_entries_newest_first(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    url = admin_url
    _import_bundle(url, tmp_path, structure_bundle)
    done = runner.invoke(app, ["log", "--db", url, "--json", "--type", "council", "--limit", "5"])
    assert done.exit_code == 0, done.output
    entries = json.loads(done.stdout)
    assert [(e["seq"], e["action"]) for e in entries] == [
        (9, "council.create"),
        (8, "council.create"),
    ]
    assert entries[0]["state"]["num_seats"] == 3
    assert entries[1]["state"]["num_seats"] == 19
    human = runner.invoke(app, ["log", "--db", url, "--limit", "3"])
    assert human.exit_code == 0
    assert "audit log: 3 entries, newest first" in human.stdout
    assert "post.create" in human.stdout
    negative = runner.invoke(app, ["log", "--db", url, "--limit", "-1"])
    assert (negative.exit_code, negative.stdout) == (2, "")
    assert "limit: -1 is below 0" in negative.stderr
