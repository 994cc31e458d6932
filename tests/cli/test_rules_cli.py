"""`saylau rules list` and `saylau rules show NAME`."""

from __future__ import annotations

import json
import subprocess
import sys

from saylau.rules.presets import load_rule_set, preset_names

CLI = [sys.executable, "-c", "from saylau.cli.main import main; main()"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], capture_output=True, text=True)


def test_list_names_every_preset_with_title_and_source() -> None:
    done = _run("rules", "list")
    assert done.returncode == 0
    rows = [line.split("\t") for line in done.stdout.splitlines()]
    assert [r[0] for r in rows] == preset_names()
    assert len(rows) == 5
    kz = dict((r[0], r) for r in rows)["kz-akim-2013"]
    assert "No. 555 of 24 April 2013" in kz[2]
    assert all(len(r) == 3 and r[1] and r[2] for r in rows)


def test_show_prints_inline_json_that_loads_to_the_same_rule_set() -> None:
    for name in preset_names():
        done = _run("rules", "show", name)
        assert done.returncode == 0
        shown = json.loads(done.stdout)
        assert shown["name"] == name
        assert load_rule_set(shown) == load_rule_set(name)


def test_show_unknown_preset_exits_1_listing_presets() -> None:
    done = _run("rules", "show", "xx")
    assert done.returncode == 1  # not found, as everywhere (docs/architecture.md#exit-codes)
    assert done.stdout == ""
    assert done.stderr.startswith(
        "error: rules: unknown preset 'xx'; presets: de-bundesversammlung,"
    )
