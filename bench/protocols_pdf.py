"""Render every round protocol of the national demo to PDF (docs/documents.md).

Usage: .venv/bin/python bench/protocols_pdf.py [--db URL] [--lang kk|ru|en] [--jobs N] [--out DIR]
  --db    a database `saylau demo` made (default: a new SQLite demo in a temporary directory)
  --jobs  worker processes (default 1); each reuses one font configuration and stylesheet
  --out   keep the PDFs there (default: written to a temporary directory and dropped)

The sheets are read in bulk (services.views.protocol_sheets: five statements for all of
them), then rendered one by one. Prints the number of protocols, the time to read them, the
total wall time of rendering, and the median, 95th percentile and maximum per protocol.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

SEED = 2013
BASE_URL = "http://127.0.0.1:8000"


def _render(args: tuple[list[object], str, str]) -> list[tuple[int, float, int]]:
    """(protocol id, seconds, bytes) of each sheet, written to `out`."""
    from saylau.documents.protocols import sheet_pdf

    sheets, lang, out = args
    done = []
    for sheet in sheets:
        start = time.perf_counter()
        data = sheet_pdf(sheet, lang=lang, base_url=BASE_URL)  # type: ignore[arg-type]
        Path(out, f"protocol-{sheet.id}-{lang}.pdf").write_bytes(data)  # type: ignore[attr-defined]
        done.append((sheet.id, time.perf_counter() - start, len(data)))  # type: ignore[attr-defined]
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db")
    parser.add_argument("--lang", default="kk", choices=["kk", "ru", "en"])
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--out")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as directory:
        url = options.db
        if url is None:
            url = f"sqlite:///{directory}/demo.db"
            saylau = str(Path(sys.executable).with_name("saylau"))
            subprocess.run(
                [saylau, "demo", "--seed", str(SEED), "--db", url, "--json"],
                check=True,
                capture_output=True,
            )
        out = options.out or directory
        Path(out).mkdir(parents=True, exist_ok=True)
        from saylau.db.engine import make_engine, make_session_factory
        from saylau.services.views.protocol_sheets import protocol_sheets
        from saylau.services.views.values import Visibility

        start = time.perf_counter()
        with make_session_factory(make_engine(url))() as session:
            sheets = protocol_sheets(session=session, visibility=Visibility.STAFF)
        read = time.perf_counter() - start
        start = time.perf_counter()
        jobs = max(1, options.jobs)
        slices = [(list(sheets[i::jobs]), options.lang, out) for i in range(jobs)]
        if jobs == 1:
            done = _render(slices[0])  # type: ignore[arg-type]
        else:
            with ProcessPoolExecutor(jobs) as pool:
                done = [d for part in pool.map(_render, slices) for d in part]  # type: ignore[arg-type]
        total = time.perf_counter() - start
    times = sorted(t for _, t, _ in done)
    sizes = [n for _, _, n in done]
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{len(done):,} protocols ({options.lang}), {jobs} process(es)")
    print(f"  read the sheets   {read:7.2f} s")
    print(f"  render (total)    {total:7.2f} s")
    print(
        f"  per protocol      median {statistics.median(times) * 1000:.0f} ms,"
        f" p95 {p95 * 1000:.0f} ms, max {times[-1] * 1000:.0f} ms"
    )
    print(f"  PDF size          median {statistics.median(sizes) / 1000:.1f} kB")


if __name__ == "__main__":
    main()
