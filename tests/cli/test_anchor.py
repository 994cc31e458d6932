"""Anchoring the audit log outside the database: `saylau head`, `verify --expect-head`, commission
keys and signed checkpoints. Each attack is the one issue 9 names: truncate the newest entries
with their rows and reset the head; rewrite the whole chain consistently, as docs/audit.md
explains how."""

from __future__ import annotations

import json
import stat
from pathlib import Path
from typing import Any

import pytest
from signed_in import ADMIN, ADMIN_PASSWORD, add_admin
from sqlalchemy import select, text
from typer.testing import CliRunner

from saylau.audit.chain import GENESIS_HASH, canonical_json, entry_hash_iso, iso_utc, sha256_hex
from saylau.cli.main import build_app
from saylau.db.engine import make_engine, make_session_factory
from saylau.db.tables.audit import AuditEntryRow
from saylau.services.audit.states import OBJECT_TYPES

app = build_app()
runner = CliRunner()


def _run(*args: str) -> Any:
    return runner.invoke(app, list(args))


def _import(url: str, tmp_path: Path, bundle: dict[str, Any]) -> None:
    path = tmp_path / "bundle.json"
    path.write_text(json.dumps(bundle, ensure_ascii=False), encoding="utf-8")
    done = _run("import", "bundle", str(path), "--db", url)
    assert done.exit_code == 0, done.output


def _rows(url: str, statement: str) -> list[tuple[Any, ...]]:
    engine = make_engine(url)
    with engine.begin() as conn:
        result = conn.execute(text(statement))
        rows = [tuple(r) for r in result] if result.returns_rows else []
    engine.dispose()
    return rows


def _head(url: str) -> dict[str, Any]:
    done = _run("head", "--db", url, "--json")
    assert done.exit_code == 0, done.output
    head: dict[str, Any] = json.loads(done.stdout)
    return head


def test_head_prints_the_last_entry_exactly(
    migrated_database_url: str,
    tmp_path: Path,
    structure_bundle: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = migrated_database_url
    assert _run("head", "--db", url, "--json").stdout == f'{{"seq": 0, "hash": "{GENESIS_HASH}"}}\n'
    add_admin(url)  # entry 1
    monkeypatch.setenv("SAYLAU_USER", ADMIN)
    monkeypatch.setenv("SAYLAU_PASSWORD", ADMIN_PASSWORD)
    _import(url, tmp_path, structure_bundle)
    ((seq, last),) = _rows(url, "SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
    assert seq == 20
    assert _run("head", "--db", url, "--json").stdout == f'{{"seq": 20, "hash": "{last}"}}\n'
    assert _run("head", "--db", url).stdout == f"20:{last}\n"
    assert _run("verify", "--db", url, "--expect-head", f"20:{last}").exit_code == 0
    assert _run("verify", "--db", url, "--expect-head", f"7:{last}").exit_code == 1
    bad = _run("verify", "--db", url, "--expect-head", "20:xyz")
    assert (bad.exit_code, "expected N:HASH" in bad.output) == (2, True)


def test_truncation_after_a_kept_head_fails_expect_head(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    url = admin_url
    _import(url, tmp_path, structure_bundle)
    kept = _head(url)
    # The attack: delete the newest entries together with their rows, reset audit_head.
    posts = _rows(url, "SELECT seq, object_id FROM audit_entry WHERE object_type = 'post'")
    assert len(posts) == 3 and max(s for s, _ in posts) == 20
    for _seq, post_id in posts:
        _rows(url, f"DELETE FROM post WHERE id = {int(post_id)}")
    _rows(url, "DELETE FROM audit_entry WHERE object_type = 'post'")
    ((seq, last),) = _rows(url, "SELECT seq, entry_hash FROM audit_entry ORDER BY seq DESC LIMIT 1")
    _rows(url, f"UPDATE audit_head SET seq = {seq}, entry_hash = '{last}'")

    assert _run("verify", "--db", url).exit_code == 0  # the log alone cannot tell
    done = _run("verify", "--db", url, "--expect-head", f"{kept['seq']}:{kept['hash']}")
    assert done.exit_code == 1
    assert done.stdout.splitlines()[0] == (
        f"FAILED: entry 20: the expected head is missing: the log ends at entry {seq}"
    )


def _rewrite_chain(url: str, change: str) -> None:
    """What someone with write access can do by following docs/audit.md: change a row, then
    recompute every entry's state, digest and hashes from the first, and the head."""
    _rows(url, change)
    engine = make_engine(url)
    with make_session_factory(engine)() as session:
        prev = GENESIS_HASH
        for e in session.scalars(select(AuditEntryRow).order_by(AuditEntryRow.seq)).all():
            loaded = OBJECT_TYPES[e.object_type](session, [e.object_id])[e.object_id]
            e.state = canonical_json(loaded)
            e.state_digest = sha256_hex(e.state)
            e.prev_hash = prev
            e.entry_hash = prev = entry_hash_iso(
                prev, e.seq, iso_utc(e.at), e.actor, e.action, e.object_type, e.object_id,
                e.state_digest,
            )  # fmt: skip
            session.flush()
        session.execute(text("UPDATE audit_head SET entry_hash = :h"), {"h": prev})
        session.commit()
    engine.dispose()


def test_a_consistent_rewrite_fails_against_a_signed_checkpoint(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    url = admin_url
    _import(url, tmp_path, structure_bundle)
    key = tmp_path / "cec.key"
    created = _run("key", "create", "--commission", "cec", "-o", str(key), "--db", url, "--json")
    assert created.exit_code == 0, created.output
    assert stat.S_IMODE(key.stat().st_mode) == 0o600
    public = json.loads(created.stdout)["public_key"]
    listed = json.loads(_run("key", "list", "--db", url, "--json").stdout)
    assert [(k["public_key"], k["commission"]) for k in listed] == [
        (public, "Central Election Commission")
    ]
    again = _run("key", "create", "--commission", "cec", "-o", str(key), "--db", url)
    assert again.exit_code == 1  # a key file is never overwritten

    signed = _run("checkpoint", "sign", "--key", str(key), "--db", url, "--json")
    assert signed.exit_code == 0, signed.output
    checkpoint = json.loads(signed.stdout)
    # The head signed: the admin's entry, the import's 19 entries and the key's own entry.
    assert (checkpoint["seq"], checkpoint["commission"]) == (21, "Central Election Commission")
    assert _run("verify", "--db", url).exit_code == 0
    assert _head(url)["seq"] == 22  # the checkpoint is itself recorded

    _rewrite_chain(url, "UPDATE deputy SET birth_date = '1989-11-02' WHERE id = 2")
    done = _run("verify", "--db", url, "--json")
    assert done.exit_code == 1
    problems = json.loads(done.stdout)["problems"]
    assert [(p["kind"], p["seq"]) for p in problems] == [("checkpoint", 21)]
    assert "no longer passes through the signed head" in problems[0]["message"]
    assert problems[0]["expected"] == checkpoint["entry_hash"]


def test_a_forged_checkpoint_signature_fails(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    url = admin_url
    _import(url, tmp_path, structure_bundle)
    key = tmp_path / "cec.key"
    assert _run("key", "create", "--commission", "cec", "-o", str(key), "--db", url).exit_code == 0
    assert _run("checkpoint", "sign", "--key", str(key), "--db", url).exit_code == 0
    # A checkpoint moved to a later head keeps its signature, which is over the old one.
    ((seq, h),) = _rows(url, "SELECT seq, entry_hash FROM audit_entry WHERE seq = 22")
    _rows(url, f"UPDATE checkpoint SET seq = {seq}, entry_hash = '{h}'")
    done = _run("verify", "--db", url, "--json")
    kinds = [(p["kind"], p["seq"]) for p in json.loads(done.stdout)["problems"]]
    assert ("checkpoint", 22) in kinds
    assert done.exit_code == 1


def test_a_key_nobody_stored_cannot_sign(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    from saylau.audit.checkpoint import new_private_key, private_key_pem

    url = admin_url
    _import(url, tmp_path, structure_bundle)
    key = tmp_path / "stranger.key"
    key.write_bytes(private_key_pem(new_private_key()))
    done = _run("checkpoint", "sign", "--key", str(key), "--db", url)
    assert done.exit_code == 1
    assert "no commission has this key" in done.output
    assert _rows(url, "SELECT COUNT(*) FROM checkpoint") == [(0,)]
    not_a_key = tmp_path / "notes.txt"
    not_a_key.write_text("hello")
    done = _run("checkpoint", "sign", "--key", str(not_a_key), "--db", url)
    assert (done.exit_code, "not an unencrypted PEM private key" in done.output) == (2, True)


def test_a_key_file_that_cannot_be_created_is_a_clear_error_and_stores_no_key(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    _import(admin_url, tmp_path, structure_bundle)
    missing = tmp_path / "no-such-folder" / "cec.key"
    done = _run("key", "create", "--commission", "cec", "-o", str(missing), "--db", admin_url)
    assert done.exit_code == 2, done.output
    assert f"-o {missing}: No such file or directory" in done.stderr
    assert json.loads(_run("key", "list", "--db", admin_url, "--json").stdout) == []


def test_a_bundle_that_cannot_be_written_is_a_clear_error(
    migrated_database_url: str, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "bundle.zip"
    done = _run("bundle", "export", "-o", str(missing), "--db", migrated_database_url)
    assert done.exit_code == 2, done.output
    assert f"-o {missing}: No such file or directory" in done.stderr
    assert not missing.parent.exists()


def test_key_create_finds_the_commission_as_every_command_does(
    admin_url: str, tmp_path: Path, structure_bundle: dict[str, Any]
) -> None:
    """By name as well as by KATO or 'cec' (services.resolve.find_commission); a miss names it."""
    _import(admin_url, tmp_path, structure_bundle)
    key = str(tmp_path / "cec.key")
    missed = _run("key", "create", "--commission", "Central Election Comission", "-o", key,
                  "--db", admin_url)  # fmt: skip
    assert missed.exit_code == 1
    assert "Central Election Commission" in missed.stderr  # the close match
    assert not Path(key).exists()
    done = _run("key", "create", "--commission", "Central Election Commission", "-o", key,
                "--db", admin_url, "--json")  # fmt: skip
    assert done.exit_code == 0, done.output
    listed = json.loads(_run("key", "list", "--db", admin_url, "--json").stdout)
    assert [(k["commission_id"], k["commission"]) for k in listed] == [
        (json.loads(done.stdout)["commission_id"], "Central Election Commission")
    ]
