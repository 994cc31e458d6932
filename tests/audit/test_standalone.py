"""Guard: saylau.audit is what an outside verifier reuses, so it imports the standard library,
`cryptography` (signatures) and itself only; chain.py the standard library alone."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

AUDIT = Path(__file__).resolve().parents[2] / "src" / "saylau" / "audit"

# Which saylau modules, and which third-party top-level packages, importing it loads.
_PROBE = """
import sys
before = set(sys.modules)
import importlib
importlib.import_module(sys.argv[1])
new = set(sys.modules) - before
print(" ".join(sorted(n for n in new if n.startswith("saylau"))))
print(" ".join(sorted({n.split(".")[0] for n in new} - set(sys.stdlib_module_names) - {"saylau"})))
"""


def _loads(module: str) -> tuple[list[str], list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, module], capture_output=True, text=True, check=True
    )
    saylau_mods, others = [*done.stdout.split("\n"), ""][:2]
    return saylau_mods.split(), others.split()


def test_chain_loads_nothing_but_the_stdlib() -> None:
    assert _loads("saylau.audit.chain") == (["saylau", "saylau.audit", "saylau.audit.chain"], [])


@pytest.mark.parametrize("path", sorted(p.name for p in AUDIT.glob("*.py")))
def test_each_module_loads_only_saylau_audit_and_cryptography(path: str) -> None:
    module = f"saylau.audit.{path.removesuffix('.py')}".removesuffix(".__init__")
    saylau_mods, others = _loads(module)
    assert [m for m in saylau_mods if m != "saylau" and not m.startswith("saylau.audit")] == []
    # _openssl and _cffi_backend are extension modules that cryptography loads.
    assert set(others) <= {"cryptography", "_cffi_backend", "_openssl"}
