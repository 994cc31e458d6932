"""Throughput and latency of the public site under load, beside a FastAPI hello-world measured
in the same run, and the static export's whole and incremental times (issue 10, Performance).

Usage: .venv/bin/python bench/web.py [--db URL] [--seconds N] [--connections N] [--repeat N]
                                     [--workers N] [--skip-static]
  --db          the national demo database (default sqlite:////tmp/saylau-bench-web.db; built
                with `saylau demo` when the file does not exist)
  --seconds     length of each load run (default 10); --connections (default 50)
  --repeat      runs per target (default 3): the medians are printed
  --workers     worker processes of `saylau serve` (default 1, as the hello-world)

Targets on 127.0.0.1: `/`, a contest page and `/api/v1/summary`, each driven by wrk (Debian
`wrk`; a Python asyncio load generator when wrk is missing) with keep-alive connections.
Targets: each page at least half the hello-world's requests/s, p99 under 250 ms. Pages are
cached per worker until the audit log's head moves (docs/web.md#caching), so this measures the
cached path after the first request; a publication in the middle of the run would refill it.

Then, on a copy of the database: `saylau publish-static` of the whole site (target < 30 s),
one protocol corrected, signed and published, and `publish-static --incremental` (< 1 s).
"""

from __future__ import annotations

import argparse
import asyncio
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAYLAU = str(Path(sys.executable).with_name("saylau"))
DEFAULT_DB = "sqlite:////tmp/saylau-bench-web.db"


def hello_app():  # type: ignore[no-untyped-def]
    from fastapi import FastAPI

    app = FastAPI()

    @app.get("/")
    def hello() -> dict[str, str]:
        return {"hello": "world"}

    return app


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_ready(port: int, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing listens on port {port}")


def _ms(text: str) -> float:
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text)
    if found is None:
        raise SystemExit(f"cannot read the latency {text!r}")
    number, unit = found.groups()
    return float(number) * {"us": 0.001, "ms": 1, "s": 1000, "m": 60000}[unit]


def run_wrk(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    if "Latency Distribution" not in out:
        raise SystemExit(f"{url}: wrk said\n{out}")
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))  # type: ignore[union-attr]
    p50 = _ms(re.search(r"\n\s+50%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    p99 = _ms(re.search(r"\n\s+99%\s+(\S+)", out).group(1))  # type: ignore[union-attr]
    if "Non-2xx" in out:
        raise SystemExit(f"{url}: non-2xx responses\n{out}")
    return rate, p50, p99


async def _python_load(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    host, port, path = re.fullmatch(r"http://([^:/]+):(\d+)(/.*)", url).groups()  # type: ignore[union-attr]
    request = f"GET {path} HTTP/1.1\r\nHost: {host}\r\n\r\n".encode()
    latencies: list[float] = []
    stop = time.monotonic() + seconds

    async def one() -> None:
        reader, writer = await asyncio.open_connection(host, int(port))
        while time.monotonic() < stop:
            started = time.perf_counter()
            writer.write(request)
            head = await reader.readuntil(b"\r\n\r\n")
            length = int(re.search(rb"content-length: (\d+)", head.lower()).group(1))  # type: ignore[union-attr]
            await reader.readexactly(length)
            latencies.append((time.perf_counter() - started) * 1000)
        writer.close()

    began = time.monotonic()
    await asyncio.gather(*(one() for _ in range(connections)))
    latencies.sort()
    return (
        len(latencies) / (time.monotonic() - began),
        latencies[len(latencies) // 2],
        latencies[min(len(latencies) - 1, len(latencies) * 99 // 100)],
    )


def load(url: str, seconds: int, connections: int) -> tuple[float, float, float]:
    if shutil.which("wrk"):
        return run_wrk(url, seconds, connections)
    return asyncio.run(_python_load(url, seconds, connections))


def ensure_demo(url: str) -> None:
    path = Path(url.removeprefix("sqlite:///"))
    if url.startswith("sqlite:///") and not path.exists():
        print(f"building the national demo in {path} …", flush=True)
        subprocess.run([SAYLAU, "demo", "--db", url], check=True, stdout=subprocess.DEVNULL)


def a_contest(url: str) -> int:
    from saylau.db.engine import make_engine, make_session_factory
    from saylau.services.views.results import results_view
    from saylau.services.views.values import Visibility

    with make_session_factory(make_engine(url))() as session:
        view = results_view(session=session, event_id=1, visibility=Visibility.PUBLIC, limit=1)
        return int(view.contests.items[0].id)


def serve_bench(args: argparse.Namespace) -> None:
    site_port, hello_port = free_port(), free_port()
    site = subprocess.Popen(
        [
            SAYLAU,
            "serve",
            "--db",
            args.db,
            "--port",
            str(site_port),
            "--workers",
            str(args.workers),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    hello = subprocess.Popen(
        [sys.executable, __file__, "--hello", str(hello_port), "--workers", str(args.workers)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_ready(site_port)
        wait_ready(hello_port)
        targets = {
            "hello-world": f"http://127.0.0.1:{hello_port}/",
            "/ (summary)": f"http://127.0.0.1:{site_port}/",
            "contest page": f"http://127.0.0.1:{site_port}/contests/{a_contest(args.db)}",
            "/api/v1/summary": f"http://127.0.0.1:{site_port}/api/v1/summary",
        }
        results: dict[str, list[tuple[float, float, float]]] = {name: [] for name in targets}
        for _ in range(args.repeat):
            for name, url in targets.items():
                load(url, 1, 4)  # warm the worker's cache and connections
                results[name].append(load(url, args.seconds, args.connections))
        tool = "wrk" if shutil.which("wrk") else "python asyncio"
        print(
            f"\n{tool}, {args.connections} connections, {args.seconds} s x {args.repeat},"
            f" {args.workers} worker(s); medians"
        )
        print(f"{'target':<18}{'req/s':>10}{'p50 ms':>10}{'p99 ms':>10}{'of hello':>10}")
        base = statistics.median(r[0] for r in results["hello-world"])
        for name, runs in results.items():
            rate = statistics.median(r[0] for r in runs)
            p50 = statistics.median(r[1] for r in runs)
            p99 = statistics.median(r[2] for r in runs)
            print(f"{name:<18}{rate:>10.0f}{p50:>10.1f}{p99:>10.1f}{rate / base:>10.0%}")
    finally:
        for process in (site, hello):
            process.terminate()
            process.wait()


def static_bench(args: argparse.Namespace) -> None:
    from saylau.db.engine import make_engine, make_session_factory
    from saylau.domain.election import ProtocolInput
    from saylau.services import protocols, results, users
    from saylau.services.views.results import results_view
    from saylau.services.views.values import Visibility

    with tempfile.TemporaryDirectory() as scratch:
        copy = Path(scratch) / "copy.db"
        shutil.copyfile(args.db.removeprefix("sqlite:///"), copy)
        url = f"sqlite:///{copy}"
        out = Path(scratch) / "site"
        started = time.perf_counter()
        said = subprocess.run(
            [SAYLAU, "publish-static", str(out), "--db", url], capture_output=True, text=True
        ).stdout.strip()
        print(f"\npublish-static (whole): {time.perf_counter() - started:.1f} s wall; {said}")
        engine = make_engine(url)
        with make_session_factory(engine)() as session:
            view = results_view(session=session, event_id=1, visibility=Visibility.PUBLIC, limit=1)
            c = view.contests.items[0]
            assert c.protocol is not None
            shown = results.show_protocol(session=session, protocol_id=c.protocol.id)
            cec = users.principal_of(session=session, name="demo-cec-admin")
            secretary = users.principal_of(session=session, name=f"demo-secretary-{c.council.kato}")
            done = protocols.correct_protocol(
                session=session,
                principal=cec,
                protocol_id=c.protocol.id,
                counts=ProtocolInput(
                    **dict(shown.counts), votes={str(n): v for n, _name, v in shown.votes}
                ),
                reason="bench: a clerical correction",
                now=c.protocol.published_at,
            )
            now = c.protocol.published_at
            results.sign_protocols(
                session=session, principal=secretary, protocol_ids=[done.protocol_id], now=now
            )
            results.publish_protocols(
                session=session, principal=cec, protocol_ids=[done.protocol_id], now=now
            )
        engine.dispose()
        started = time.perf_counter()
        said = subprocess.run(
            [SAYLAU, "publish-static", str(out), "--incremental", "--db", url],
            capture_output=True,
            text=True,
        ).stdout.strip()
        print(f"publish-static --incremental: {time.perf_counter() - started:.2f} s wall; {said}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--skip-static", action="store_true")
    parser.add_argument("--hello", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.hello:
        import uvicorn

        uvicorn.run(hello_app(), host="127.0.0.1", port=args.hello, log_level="warning")
        return
    ensure_demo(args.db)
    serve_bench(args)
    if not args.skip_static:
        static_bench(args)


if __name__ == "__main__":
    main()
