"""Wall time and peak memory of the full `saylau demo` (the 2013 national cycle).

Usage: .venv/bin/python bench/demo.py [N] [--profile]
  N           runs per backend (default 3): SQLite (a new file each run), and PostgreSQL when
              SAYLAU_BENCH_DATABASE_URL names a server (a scratch database is made and dropped).
  --profile   also run once in this process under cProfile on SQLite and print the top entries.

saylau's bytecode is written first (as installing it would). Each run is a fresh
`saylau demo --json` process; its peak memory is the maximum resident set
size that resource.getrusage reports for it. Targets (issue 4): SQLite < 5 s (ceiling 10 s),
PostgreSQL < 15 s, peak memory < 500 MB.

On SQLite each run also measures, on the database that demo just wrote:
  floor   copying every row into a fresh SQLite file with plain executemany in one transaction,
          plus SHA-256 of every audit state: what storing the demo's data costs at the least;
          the demo's time is printed as a multiple of it (target, issue 7: at most 3x);
  verify  a fresh `saylau verify` process on it (target, issue 7: at most 1 s).
"""

from __future__ import annotations

import cProfile
import hashlib
import io
import json
import os
import pstats
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED = 2013
# Runs one demo as a child and prints its wall time and peak RSS (kB on Linux) as JSON.
_CHILD = """
import json, resource, subprocess, sys, time
start = time.perf_counter()
done = subprocess.run(sys.argv[1:], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
seconds = time.perf_counter() - start
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
print(json.dumps({"rc": done.returncode, "seconds": seconds, "peak_kb": usage.ru_maxrss,
                  "cpu": usage.ru_utime + usage.ru_stime, "out": done.stdout.decode()}))
"""


def demo_argv(url: str) -> list[str]:
    saylau = Path(sys.executable).with_name("saylau")
    return [str(saylau), "demo", "--seed", str(SEED), "--db", url, "--json"]


def run_once(url: str) -> tuple[float, float, int, dict[str, object]]:
    """Wall seconds, CPU seconds, peak RSS (kB) and the JSON output of one run of `argv`."""
    return run_child(demo_argv(url), url)


def run_child(argv: list[str], url: str) -> tuple[float, float, int, dict[str, object]]:
    done = subprocess.run(
        [sys.executable, "-c", _CHILD, *argv], capture_output=True, text=True, check=True
    )
    result = json.loads(done.stdout)
    if result["rc"] != 0:
        raise SystemExit(f"{argv[1]} failed on {url} (exit {result['rc']})")
    out = json.loads(result["out"]) if argv[1] == "demo" else {}
    return result["seconds"], result["cpu"], result["peak_kb"], out


def floor_seconds(path: str, directory: str) -> tuple[float, float]:
    """Copy every row of the SQLite file at `path` into a fresh file (same tables, plain
    executemany, one transaction) and hash every audit state; the wall and CPU seconds."""
    copy_path = Path(directory) / "floor.db"
    copy_path.unlink(missing_ok=True)
    source = sqlite3.connect(path)
    tables = source.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
    ).fetchall()
    start, cpu = time.perf_counter(), time.process_time()
    target = sqlite3.connect(copy_path)
    with target:
        for name, sql in tables:
            target.execute(sql)
            rows = source.execute(f'SELECT * FROM "{name}"').fetchall()
            if rows:
                marks = ", ".join("?" * len(rows[0]))
                target.executemany(f'INSERT INTO "{name}" VALUES ({marks})', rows)
        for (state,) in source.execute("SELECT state FROM audit_entry"):
            hashlib.sha256(state.encode("utf-8")).hexdigest()
    seconds, cpu = time.perf_counter() - start, time.process_time() - cpu
    target.close()
    source.close()
    return seconds, cpu


def verify_seconds(url: str) -> tuple[float, float]:
    saylau = Path(sys.executable).with_name("saylau")
    seconds, cpu, _peak, _out = run_child([str(saylau), "verify", "--db", url], url)
    return seconds, cpu


def _runs(times: list[float]) -> str:
    return (
        f"median {statistics.median(times):6.2f} s  (runs: {', '.join(f'{t:.2f}' for t in times)})"
    )


def bench(label: str, urls: list[str], directory: str | None = None) -> dict[str, object]:
    """`directory` given (SQLite): also the floor and verify of each run's database. Wall
    time is the target's measure; CPU time (user + system) is printed too, because on a shared
    machine it is the steadier of the two."""
    times, cpus, peaks, summary = [], [], [], None
    floors: list[tuple[float, float]] = []
    verifies: list[tuple[float, float]] = []
    for url in urls:
        seconds, cpu, peak_kb, out = run_once(url)
        times.append(seconds)
        cpus.append(cpu)
        peaks.append(peak_kb)
        summary = out["summary"]
        if directory is not None:
            floors.append(floor_seconds(url.removeprefix("sqlite:///"), directory))
            verifies.append(verify_seconds(url))
    print(f"  {label:<11} {_runs(times)}  peak RSS {max(peaks) / 1024:6.1f} MB")
    print(f"  {'  CPU':<11} {_runs(cpus)}")
    if floors:
        for name, pairs, target in (
            ("floor", floors, ""),
            ("verify", verifies, "  (target <= 1 s)"),
        ):
            print(f"  {name:<11} {_runs([w for w, _ in pairs])}{target}")
            print(f"  {'  CPU':<11} {_runs([c for _, c in pairs])}")
        for name, demo_times, floor_times in (
            ("demo/floor", times, [w for w, _ in floors]),
            ("  CPU", cpus, [c for _, c in floors]),
        ):
            ratios = [t / f for t, f in zip(demo_times, floor_times, strict=True)]
            print(
                f"  {name:<11} median {statistics.median(ratios):6.2f} x"
                f"  (runs: {', '.join(f'{r:.2f}' for r in ratios)}; target <= 3)"
            )
    assert summary is not None
    return summary


def postgres_urls(server_url: str, runs: int) -> tuple[list[str], str]:
    """A scratch database on the server; every run replaces the previous run's demo."""
    from sqlalchemy import make_url, text

    from saylau.db.engine import make_engine

    name = f"saylau_bench_{uuid.uuid4().hex[:10]}"
    server = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    server.dispose()
    url = make_url(server_url).set(database=name).render_as_string(hide_password=False)
    return [url] * runs, name


def drop_postgres(server_url: str, name: str) -> None:
    from sqlalchemy import text

    from saylau.db.engine import make_engine

    server = make_engine(server_url, isolation_level="AUTOCOMMIT")
    with server.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


def profile(directory: str) -> None:
    """The demo in this process under cProfile; the top entries by cumulative time."""
    from rich.console import Console

    from saylau.cli.demo import run_demo

    url = f"sqlite:///{directory}/profile.db"
    profiler = cProfile.Profile()
    profiler.enable()
    run_demo(SEED, url, Console(file=io.StringIO()))
    profiler.disable()
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("cumulative").print_stats(r"saylau|sqlalchemy/orm/session.py", 30)


def compile_saylau() -> None:
    """Write saylau's bytecode first, as installing a package does: with an editable install
    and PYTHONDONTWRITEBYTECODE set, every run would otherwise compile all of saylau's modules
    anew (about 0.1 s), which is no cost of the demo or of verify."""
    import compileall

    import saylau

    compileall.compile_dir(Path(saylau.__file__).parent, quiet=1)


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    runs = int(args[0]) if args else 3
    compile_saylau()
    print(f"saylau demo --seed {SEED}: {runs} run(s) per backend, {os.cpu_count()} CPUs")
    with tempfile.TemporaryDirectory() as directory:
        sqlite_urls = [f"sqlite:///{directory}/demo-{n}.db" for n in range(runs)]
        summaries = {"sqlite": bench("SQLite", sqlite_urls, directory)}
        server_url = os.environ.get("SAYLAU_BENCH_DATABASE_URL")
        if server_url:
            urls, name = postgres_urls(server_url, runs)
            try:
                summaries["postgresql"] = bench("PostgreSQL", urls)
            finally:
                drop_postgres(server_url, name)
            same = summaries["sqlite"] == summaries["postgresql"]
            print(f"  same summary on SQLite and PostgreSQL: {'yes' if same else 'NO'}")
        if "--profile" in sys.argv:
            profile(directory)


if __name__ == "__main__":
    main()
