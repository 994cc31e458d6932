"""Time and peak memory of the kz2013 model alone (no database): structure, nominations,
simulation, each the median of N fresh runs in this process.

Usage: .venv/bin/python bench/scenario.py [N]   (default N = 5)
"""

from __future__ import annotations

import statistics
import sys
import time
import tracemalloc

from saylau.scenarios.kz2013.candidates import build_nominations
from saylau.scenarios.kz2013.simulate import simulate
from saylau.scenarios.kz2013.sources import load_districts, load_regions
from saylau.scenarios.kz2013.structure import build_structure

SEED = 2013


def one_run() -> dict[str, float]:
    times = {}
    start = time.perf_counter()
    structure = build_structure(SEED)
    times["structure"] = time.perf_counter() - start
    start = time.perf_counter()
    nominations = build_nominations(structure, SEED)
    times["nominations"] = time.perf_counter() - start
    start = time.perf_counter()
    simulate(structure, nominations, SEED)
    times["simulation"] = time.perf_counter() - start
    return times


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    load_regions(), load_districts()  # the source CSVs are read once per process (cached)
    samples = [one_run() for _ in range(runs)]
    print(f"kz2013 model, seed {SEED}: median of {runs} run(s)")
    for stage in ("structure", "nominations", "simulation"):
        print(f"  {stage:<12} {statistics.median(s[stage] for s in samples):.2f} s")
    total = statistics.median(sum(s.values()) for s in samples)
    print(f"  {'total':<12} {total:.2f} s")
    tracemalloc.start()
    one_run()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  peak traced memory of one run: {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    main()
