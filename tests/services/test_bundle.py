"""The observer bundle: exported from a small election with a published protocol, a commission
key and checkpoints; checked offline by `python -m saylau.audit.verify_bundle`, which loads no
other part of saylau; a changed byte fails."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from election_fixtures import (
    CEC,
    NOW,
    OpenSitting,
    Uralsk,
    commission_user,
    counts,
    open_uralsk_sitting,
)
from sqlalchemy.orm import Session

from saylau.domain.accounts import Role
from saylau.services import checkpoints, protocols, results
from saylau.services.bundle import export_bundle
from saylau.services.protocols import ProtocolSubmission


@pytest.fixture
def bundle(session: Session, uralsk: Uralsk, event_id: int, tmp_path: Path) -> Path:
    opened: OpenSitting = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    contest = opened.contests[0]
    votes = {str(n): v for n, v in zip(opened.candidates[contest], (10, 5, 2), strict=True)}
    done = protocols.submit_protocol(
        session=session,
        principal=CEC,
        submission=ProtocolSubmission(contest, 1, counts(17, votes)),
        now=NOW,
    )
    keys = checkpoints.create_keys(
        session=session, principal=CEC, commission_ids=[uralsk.commission_id], now=NOW
    )
    key = keys[uralsk.commission_id]
    results.sign_protocol(
        session=session,
        principal=commission_user(uralsk.secretary_id, Role.SECRETARY),
        protocol_id=done.protocol_id,
        now=NOW,
        checkpoint_keys=[key],
    )
    results.publish_protocol(
        session=session, principal=CEC, protocol_id=done.protocol_id, now=NOW, checkpoint_keys=[key]
    )
    path = tmp_path / "bundle.zip"
    summary = export_bundle(session=session, path=path)
    assert (summary.num_keys, summary.num_checkpoints) == (1, 2)
    assert summary.head_seq == checkpoints.log_head(session=session).seq
    return path


_PROBE = """
import sys
before = set(sys.modules)
from saylau.audit.verify_bundle import main
rc = main(sys.argv[1:])
new = set(sys.modules) - before
print(" ".join(sorted(m for m in new if m.startswith("saylau"))))
print(" ".join(sorted({m.split(".")[0] for m in new} - set(sys.stdlib_module_names) - {"saylau"})))
sys.exit(rc)
"""


def _verify(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "saylau.audit.verify_bundle", *args],
        capture_output=True,
        text=True,
    )


def test_the_bundle_verifies_offline_importing_nothing_else_of_saylau(
    bundle: Path, session: Session
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, str(bundle)], capture_output=True, text=True
    )
    assert done.returncode == 0, done.stdout + done.stderr
    report, saylau_modules, others = done.stdout.splitlines()
    head = checkpoints.log_head(session=session)
    assert report.startswith(f"ok: {head.seq} entries, chain intact up to head {head}; ")
    assert report.endswith("among them 1 commission keys and 2 signed checkpoints")
    assert saylau_modules.split() == [
        "saylau", "saylau.audit", "saylau.audit.chain", "saylau.audit.checkpoint",
        "saylau.audit.verify_bundle",
    ]  # fmt: skip
    assert set(others.split()) <= {"cryptography", "_cffi_backend", "_openssl"}
    kept = _verify(str(bundle), "--expect-head", str(head))
    assert kept.returncode == 0, kept.stdout
    other = _verify(str(bundle), "--expect-head", f"{head.seq + 1}:{head.hash}")
    assert (other.returncode, other.stdout.splitlines()[1]) == (
        1,
        f"  entry {head.seq + 1}: the expected head is missing",
    )


def test_the_bundle_holds_published_states_and_no_personal_data(bundle: Path) -> None:
    with zipfile.ZipFile(bundle) as z:
        assert sorted(z.namelist()) == ["bundle.json", "entries.jsonl", "states.jsonl"]
        states = [json.loads(line) for line in z.read("states.jsonl").decode().splitlines()]
        entries = z.read("entries.jsonl").decode().splitlines()
    types = {s["object_type"] for s in states}
    assert {"protocol", "contest", "commission_key", "checkpoint", "territory"} <= types
    assert not types & {"person", "deputy", "commission_member", "nomination", "sitting"}
    assert all('"state"' not in line for line in entries)
    (protocol,) = [json.loads(s["state"]) for s in states if s["object_type"] == "protocol"]
    assert protocol["published_head_seq"] is not None


def _rewrite(bundle: Path, name: str, old: bytes, new: bytes) -> Path:
    """A copy of the bundle whose member `name` has its first `old` replaced by `new` (the
    zip's own checksums made to match, as a careful forger would)."""
    out = bundle.with_name(f"changed-{name}.zip")
    with zipfile.ZipFile(bundle) as src, zipfile.ZipFile(out, "w") as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == name:
                assert old in data
                data = data.replace(old, new, 1)
            dst.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out


def test_a_changed_byte_fails(bundle: Path) -> None:
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as z:
        info = z.getinfo("states.jsonl")
        states = z.read("states.jsonl")
        manifest = z.read("bundle.json")
    # A byte of the compressed data: the zip's checksum no longer holds.
    raw[info.header_offset + 30 + len(info.filename) + 40] ^= 0x01
    flipped = bundle.with_name("flipped.zip")
    flipped.write_bytes(bytes(raw))
    assert _verify(str(flipped)).returncode in (1, 2)

    # The same changes with the zip's checksums recomputed: the bundle's own checks catch them.
    actor = _rewrite(bundle, "entries.jsonl", b'"actor":"', b'"actor":"X')
    done = _verify(str(actor))
    assert done.returncode == 1
    assert "entry_hash does not match the entry's fields" in done.stdout

    newest = json.loads(states.decode().splitlines()[-1])
    assert newest["object_type"] == "checkpoint"
    signature = json.loads(newest["state"])["signature"].encode()
    forged = signature[:-1] + (b"0" if signature[-1:] != b"0" else b"1")
    done = _verify(str(_rewrite(bundle, "states.jsonl", signature, forged)))
    assert done.returncode == 1
    assert "SHA-256 of the state is" in done.stdout

    head = json.loads(manifest)["head"]["hash"].encode()
    done = _verify(str(_rewrite(bundle, "bundle.json", head, head[::-1])))
    assert done.returncode == 1
    assert "bundle.json names head" in done.stdout

    spaced = _rewrite(bundle, "entries.jsonl", b'","actor"', b'", "actor"')
    done = _verify(str(spaced))
    assert (done.returncode, "not an object in canonical JSON" in done.stderr) == (2, True)


def test_a_consistently_rewritten_bundle_fails_against_its_checkpoints(bundle: Path) -> None:
    """The forger changes a published protocol's votes and recomputes every digest and hash
    after it, and the head: the chain is whole again, but no longer passes through the heads
    the commission signed before."""
    from saylau.audit.chain import canonical_json, entry_hash_iso, sha256_hex

    with zipfile.ZipFile(bundle) as z:
        entries = [json.loads(x) for x in z.read("entries.jsonl").decode().splitlines()]
        states = [json.loads(x) for x in z.read("states.jsonl").decode().splitlines()]
        manifest = json.loads(z.read("bundle.json"))
    (protocol,) = [s for s in states if s["object_type"] == "protocol"]
    state = json.loads(protocol["state"])
    top = max(state["votes"], key=lambda k: state["votes"][k])
    state["votes"][top] += 1
    protocol["state"] = canonical_json(state)
    prev = "0" * 64
    for e in entries:
        if e["seq"] == protocol["seq"]:
            e["state_digest"] = sha256_hex(protocol["state"])
        e["prev_hash"] = prev
        e["entry_hash"] = prev = entry_hash_iso(
            prev, e["seq"], e["at"], e["actor"], e["action"], e["object_type"], e["object_id"],
            e["state_digest"],
        )  # fmt: skip
    manifest["head"]["hash"] = prev
    forged = bundle.with_name("forged.zip")
    with zipfile.ZipFile(forged, "w") as z:
        z.writestr("bundle.json", canonical_json(manifest) + "\n")
        z.writestr("entries.jsonl", "".join(canonical_json(e) + "\n" for e in entries))
        z.writestr("states.jsonl", "".join(canonical_json(s) + "\n" for s in states))
    done = _verify(str(forged))
    assert done.returncode == 1
    # The checkpoint of the signing came before the changed (publication) entry and still
    # holds; the publication's checkpoint signed the head that is that entry.
    (failure,) = done.stdout.splitlines()[1:]
    assert failure.endswith(
        f"of head {protocol['seq']}: the log does not pass through the signed head"
    )


def test_a_contest_whose_result_is_unpublished_stays_out(
    session: Session, uralsk: Uralsk, event_id: int, tmp_path: Path
) -> None:
    """Round 1 (a repeat voting) is published, round 2 elects but is not yet published: the
    bundle holds round 1's protocol but not the contest, whose state names the winner."""
    opened = open_uralsk_sitting(session, uralsk, event_id, absent=2)
    contest = opened.contests[2]
    c = [str(n) for n in opened.candidates[contest]]
    done = [
        protocols.submit_protocol(
            session=session,
            principal=CEC,
            submission=ProtocolSubmission(contest, round_no, counts(17, votes)),
            now=NOW,
        )
        for round_no, votes in ((1, {c[0]: 8, c[1]: 8, c[2]: 1}), (2, {c[0]: 10, c[1]: 7}))
    ]
    chair = commission_user(uralsk.chair_id, Role.CHAIR)
    first = done[0].protocol_id
    results.sign_protocol(session=session, principal=chair, protocol_id=first, now=NOW)
    results.publish_protocol(session=session, principal=chair, protocol_id=first, now=NOW)

    def exported(name: str) -> set[tuple[str, str]]:
        path = tmp_path / name
        export_bundle(session=session, path=path)
        with zipfile.ZipFile(path) as z:
            lines = z.read("states.jsonl").decode().splitlines()
        return {
            (s["object_type"], s["object_id"])
            for s in map(json.loads, lines)
            if s["object_type"] in ("protocol", "contest")
        }

    assert exported("before.zip") == {("protocol", str(first))}
    second = done[1].protocol_id
    results.sign_protocol(session=session, principal=chair, protocol_id=second, now=NOW)
    results.publish_protocol(session=session, principal=chair, protocol_id=second, now=NOW)
    assert exported("after.zip") == {
        ("protocol", str(first)),
        ("protocol", str(second)),
        ("contest", str(contest)),
    }
