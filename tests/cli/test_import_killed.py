"""A `saylau import` killed (SIGKILL) inside its transaction leaves nothing of the file, the log
still verifies, and the same command then succeeds."""

from __future__ import annotations

import json
import signal
from pathlib import Path

import pytest
from killing import CLI, kill_while_writing, run, scalar

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


def _count(url: str, table: str) -> int:
    return int(scalar(url, f"SELECT count(*) FROM {table}"))


@pytest.mark.slow
def test_killed_import_stores_nothing_and_can_be_run_again(admin_url: str, tmp_path: Path) -> None:
    url = admin_url
    path = _big_file(tmp_path / "territories.csv")
    command = [*CLI, "import", "territories", str(path), "--db", url, "--json"]
    assert kill_while_writing(command, url, "territory", poll=0.02) == -signal.SIGKILL

    assert (_count(url, "territory"), _count(url, "audit_entry")) == (0, 1)  # the admin
    verify = run([*CLI, "verify", "--db", url])
    assert (verify.returncode, verify.stdout) == (
        0,
        "ok: 1 entries, chain intact, 1 objects match\n",
    )

    again = run(command)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["stored"] == {"territory": NUM_RURAL + 2}
    assert _count(url, "audit_entry") == 1 + NUM_RURAL + 2
