"""Wall time of `saylau bundle export` and of `python -m saylau.audit.verify_bundle` on the
national demo (docs/observer-bundle.md).

Usage: .venv/bin/python bench/bundle.py [N]
  N   runs of each (default 3), as fresh processes, on one SQLite demo database made first.
Prints the medians and the runs (wall, then CPU: user + system), and the bundle's size.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SEED = 2013


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def timed(argv: list[str]) -> tuple[float, float, str]:
    """Wall and CPU (user + system) seconds of one run of `argv`, and what it printed."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} failed (exit {done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return seconds, cpu, done.stdout


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    saylau = str(Path(sys.executable).with_name("saylau"))
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/demo.db"
        bundle = f"{directory}/demo.zip"
        timed([saylau, "demo", "--seed", str(SEED), "--db", url, "--json"])
        exports: list[tuple[float, float]] = []
        verifies: list[tuple[float, float]] = []
        out = ""
        for _ in range(runs):
            Path(bundle).unlink(missing_ok=True)
            seconds, cpu, _ = timed([saylau, "bundle", "export", "-o", bundle, "--db", url])
            exports.append((seconds, cpu))
            seconds, cpu, out = timed([sys.executable, "-m", "saylau.audit.verify_bundle", bundle])
            verifies.append((seconds, cpu))
        size = Path(bundle).stat().st_size
    print(f"saylau demo --seed {SEED} (SQLite): {runs} run(s) each")
    for label, pairs in (("bundle export", exports), ("verify_bundle", verifies)):
        for kind, times in (("", [w for w, _ in pairs]), ("  CPU", [c for _, c in pairs])):
            print(
                f"  {kind or label:<14} median {statistics.median(times):6.2f} s"
                f"  (runs: {', '.join(f'{t:.2f}' for t in times)})"
            )
    print(f"  bundle size    {size / 1e6:.1f} MB")
    print(f"  {out.strip()}")


if __name__ == "__main__":
    main()
