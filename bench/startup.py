"""Start-up time of `saylau --help` and `saylau count` as fresh processes (median wall time).

Usage: .venv/bin/python bench/startup.py [N]   (default N = 21 runs per command)

Byte-code is cached in a temporary PYTHONPYCACHEPREFIX (warmed up first), as on an installed
machine, even when the environment sets PYTHONDONTWRITEBYTECODE; the last rows run with
PYTHONDONTWRITEBYTECODE=1, so saylau's own modules are compiled on every start.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAYLAU = Path(sys.executable).with_name("saylau")
EXAMPLE = ROOT / "examples" / "kz-akim-2013-repeat-voting.json"
COMMANDS = {
    "saylau --help": [str(SAYLAU), "--help"],
    "saylau count examples/kz-akim-2013-repeat-voting.json": [str(SAYLAU), "count", str(EXAMPLE)],
}


def median_seconds(argv: list[str], env: dict[str, str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, env=env, stdout=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    with tempfile.TemporaryDirectory() as cache:
        warm = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
        warm["PYTHONPYCACHEPREFIX"] = cache
        cold = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        print(f"median of {runs} runs, {os.cpu_count()} CPUs, python {sys.version.split()[0]}")
        for label, argv in COMMANDS.items():
            subprocess.run(argv, env=warm, stdout=subprocess.DEVNULL, check=True)
            print(f"  {median_seconds(argv, warm, runs):6.3f} s  {label}")
        for label, argv in COMMANDS.items():
            print(
                f"  {median_seconds(argv, cold, runs):6.3f} s  {label}  (saylau not byte-compiled)"
            )


if __name__ == "__main__":
    main()
