"""Time to export the national demo as open data (docs/open-data.md).

Usage: .venv/bin/python bench/export.py [N]
  N   runs (default 5) on one SQLite demo database made first.
Prints medians and runs: in one process, each step — reading the public record (the read
model), the NIST report (built, checked against the schema and its references, serialised),
the CSV files — and `open_data_artefacts` as a whole (record, report, CSVs, digests); then the
commands as fresh processes, wall and CPU: `saylau export cdf --validate`, `saylau export csv`.
Also the files' sizes.
"""

from __future__ import annotations

import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from saylau.db.engine import make_engine, make_session_factory
from saylau.domain.election import EventId
from saylau.exports.artefacts import cdf_artefact, csv_artefacts, open_data_artefacts, public_record

SEED = 2013


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run(argv: list[str]) -> tuple[float, float]:
    """Wall and CPU (user + system) seconds of one run of `argv`."""
    start, cpu = time.perf_counter(), _children_cpu()
    done = subprocess.run(argv, capture_output=True, text=True)
    seconds, cpu = time.perf_counter() - start, _children_cpu() - cpu
    if done.returncode != 0:
        raise SystemExit(
            f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}"
        )
    return seconds, cpu


def steps_of_one_run(session: Any) -> tuple[dict[str, tuple[float, float]], dict[str, int]]:
    """Wall and CPU seconds of each step of one export in this process, and the files' sizes."""
    took: dict[str, tuple[float, float]] = {}
    found: dict[str, Any] = {}
    steps: dict[str, Callable[[], Any]] = {
        "read the public record": lambda: public_record(session=session, event_id=EventId(1)),
        "NIST report, checked": lambda: cdf_artefact(found["view"], validate=True),
        "CSV files": lambda: csv_artefacts(found["view"]),
        "open_data_artefacts (all)": lambda: open_data_artefacts(
            session=session, event_id=EventId(1)
        ),
    }
    for (label, step), key in zip(steps.items(), ("view", "report", "files", "all"), strict=True):
        start, cpu = time.perf_counter(), time.process_time()
        found[key] = step()
        took[label] = (time.perf_counter() - start, time.process_time() - cpu)
    return took, {a.name: len(a.data) for a in (found["report"], *found["files"])}


def line(label: str, times: list[float]) -> None:
    print(
        f"  {label:<36} median {statistics.median(times):6.2f} s"
        f"  (runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    saylau = str(Path(sys.executable).with_name("saylau"))
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/demo.db"
        run([saylau, "demo", "--seed", str(SEED), "--db", url])
        engine = make_engine(url)
        steps: dict[str, list[tuple[float, float]]] = {}
        sizes: dict[str, int] = {}
        for _ in range(runs):
            with make_session_factory(engine)() as session:
                took, sizes = steps_of_one_run(session)
            for label, pair in took.items():
                steps.setdefault(label, []).append(pair)
        engine.dispose()
        commands: dict[str, list[tuple[float, float]]] = {}
        for _ in range(runs):
            for label, argv in (
                ("export cdf --validate", ["cdf", "-o", f"{directory}/r.json", "--validate"]),
                ("export csv", ["csv", "-o", f"{directory}/csv"]),
            ):
                commands.setdefault(label, []).append(run([saylau, "export", *argv, "--db", url]))
    print(f"saylau demo --seed {SEED} (SQLite): {runs} run(s) each")
    print(" in one process:")
    for label, pairs in steps.items():
        line(f"{label}, wall", [w for w, _ in pairs])
        line(f"{label}, CPU", [c for _, c in pairs])
    print(" as commands (fresh processes):")
    for label, pairs in commands.items():
        line(f"saylau {label}, wall", [w for w, _ in pairs])
        line(f"saylau {label}, CPU", [c for _, c in pairs])
    print(" sizes: " + ", ".join(f"{name} {n / 1e6:.2f} MB" for name, n in sizes.items()))


if __name__ == "__main__":
    main()
