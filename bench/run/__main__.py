"""`python -m bench.run --scale L [--database URL]`: load every measured page of a generated
database through gunicorn and wrk, and write bench/RESULTS.md.

Starts gunicorn (LMS_CONFIG=bench: the ceiling route /bench/ceiling and the X-Bench-Queries
header exist only there) against PostgreSQL and Redis, logs the bench accounts in, warms
every endpoint up, then loads each with wrk at --clients concurrent connections for
--duration seconds and prints one table: req/s, p50/p95/p99, errors, SQL statements per
request and req/s as a share of the logged-in ceiling measured in the same run. Records the
workers' resident memory after the warm-up and after 10,000 requests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path

from bench.common import write_section
from bench.generate.__main__ import bench_password
from bench.generate.plan import STAFF
from bench.run import endpoints, wrk
from bench.run.http import QUERIES_HEADER, Client, form_fields
from bench.run.server import ROOT, Server

RESULTS = ROOT / "bench" / "RESULTS.md"
DEFAULT_DB = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_L"
MEMORY_AFTER = 10_000
HEADER = [
    "# Benchmark results",
    "",
    "Written by `python -m bench.run` (see README.md): one section per scale, on a database "
    "made by `python -m bench.generate --scale S|M|L`. Figures depend on the machine and on "
    "what else runs on it; the load average at the end of each run is given.",
]
WARMUP = 3


def _probe(client: Client, ep, body: str | None) -> dict:
    data = body.encode() if body is not None else None
    status, headers, payload, seconds = client.request(ep.path, data)
    return {
        "status": status,
        "queries": headers.get(QUERIES_HEADER, "?"),
        "bytes": len(payload),
        "ms": seconds * 1000,
    }


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.run", description=__doc__)
    p.add_argument(
        "--scale",
        choices=["tiny", "M", "L"],
        default="L",
        help="the scale the database was generated at (reported only; S, the demo alone, "
        "has no featured courses to measure)",
    )
    p.add_argument("--database", default=os.environ.get("LMS_BENCH_DATABASE_URL", DEFAULT_DB))
    p.add_argument(
        "--redis", default=os.environ.get("LMS_BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    )
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--port", type=int, default=8765)
    p.add_argument("--duration", type=float, default=20, help="seconds of load per endpoint")
    p.add_argument("--clients", type=int, default=16)
    p.add_argument(
        "--only",
        action="append",
        default=[],
        help="measure endpoints whose name contains this (repeatable); the "
        "ceilings are always measured",
    )
    p.add_argument(
        "--memory-after",
        type=int,
        default=MEMORY_AFTER,
        help="requests after which worker memory is read again (topping up if needed)",
    )
    p.add_argument("--results", default=str(RESULTS))
    p.add_argument("--note", default="", help="a line written under the table")
    args = p.parse_args(argv)
    if not wrk.available():
        print("wrk is not installed: apt-get install -y wrk", file=sys.stderr)
        return 2
    if not args.database.startswith("postgresql"):
        print(
            "the runner measures PostgreSQL: give --database postgresql+psycopg://...",
            file=sys.stderr,
        )
        return 2
    eps = endpoints.discover(args.database)
    if args.only:
        eps = [
            e
            for e in eps
            if e.name.startswith("ceiling") or any(o.lower() in e.name.lower() for o in args.only)
        ]
    password = bench_password(ROOT / "instance")
    server = Server(args.database, args.redis, args.workers, args.port)
    # Stopped by a signal: still stop gunicorn (the finally below).
    signal.signal(signal.SIGTERM, lambda *_a: sys.exit(143))
    log = Path(tempfile.gettempdir()) / f"bench-run-{os.getpid()}.log"
    server.start(log)
    try:
        rows, memory = _measure(server, eps, password, args)
    finally:
        server.stop()
    write_section(
        Path(args.results), HEADER, f"Scale {args.scale}", _report(rows, memory, args, argv)
    )
    return 0


def _measure(server: Server, eps, password: str, args):
    emails = {k: e for k, e, _n, _r in STAFF}
    clients: dict[str | None, Client] = {None: Client(server.base)}
    for key in {e.login for e in eps if e.login} | {"trainee"}:
        clients[key] = Client(server.base)
        clients[key].login(emails[key], password)
    bodies: dict[str, str] = {}
    probes: dict[str, dict] = {}
    served = 0
    for ep in eps:  # warm-up: each worker imports, compiles templates and fills its caches
        c = clients[ep.login]
        if ep.form_of:
            _s, _h, page, _t = c.request(ep.form_of)
            bodies[ep.name] = urllib.parse.urlencode(
                form_fields(page.decode("utf-8", "replace"), ep.path)
            )
        for _ in range(WARMUP):
            probes[ep.name] = _probe(c, ep, bodies.get(ep.name))
            served += 1
    server.drain()
    memory = {"after warm-up": (served, server.worker_rss_mib())}
    later = f"after {args.memory_after:,} requests"
    rows = []
    for ep in eps:
        print(f"-- {ep.name}: {ep.method} {ep.path}", flush=True)
        result = wrk.run(
            server.base + ep.path,
            cookie=clients[ep.login].cookie,
            method=ep.method,
            body=bodies.get(ep.name),
            clients=args.clients,
            duration=args.duration,
        )
        served += result["requests"]
        result["drain"] = server.drain()
        rows.append((ep, probes[ep.name], result))
        if later not in memory and served >= args.memory_after:
            memory[later] = (served, server.worker_rss_mib())
    if later not in memory:  # top up on the trainee's dashboard
        ep = endpoints.Endpoint("dashboard: trainee", "trainee", "/")
        deadline = time.monotonic() + 600
        while served < args.memory_after and time.monotonic() < deadline:
            r = wrk.run(
                server.base + ep.path,
                cookie=clients["trainee"].cookie,
                clients=args.clients,
                duration=30,
            )
            served += r["requests"]
            server.drain()
        memory[later] = (served, server.worker_rss_mib())
    memory["at the end"] = (served, server.worker_rss_mib())
    return rows, memory


def _report(rows, memory, args, argv) -> str:
    ceiling = next((r["rps"] for ep, _p, r in rows if ep.name == "ceiling (logged in)"), 0.0)
    lines = [
        f"Measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC on "
        f"{len(os.sched_getaffinity(0))} CPUs (`nproc`), {platform.machine()}, "
        f"load average {' '.join(f'{x:.1f}' for x in os.getloadavg())} at the end, "
        f"Python {platform.python_version()}, PostgreSQL, gunicorn {args.workers} sync workers, "
        f"wrk {args.clients} connections x {args.duration:g} s per endpoint, scale {args.scale}.",
        "",
        f"Command: `python -m bench.run {' '.join(argv)}`".rstrip() + "",
        "",
        "| endpoint | req/s | p50 ms | p95 ms | p99 ms | errors | SQL | of ceiling | one request |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for ep, probe, r in rows:
        share = f"{r['rps'] / ceiling:.1%}" if ceiling else "-"
        one = f"HTTP {probe['status']}, {probe['bytes'] / 1024:,.0f} KiB, {probe['ms']:,.0f} ms"
        lines.append(
            f"| {ep.name} | {r['rps']:,.1f} | {r['p50']:,.0f} | {r['p95']:,.0f} | "
            f"{r['p99']:,.0f} | {r['errors']} | {probe['queries']} | {share} | {one} |"
        )
    lines += [
        "",
        "SQL: statements of one request (X-Bench-Queries, counted by a SQLAlchemy "
        "event listener of the benchmark configuration). One request: the last warm-up "
        "request, alone. Errors: socket errors, time-outs and statuses of 400 or more.",
        "",
        "Worker memory (resident, MiB, per worker):",
        "",
    ]
    for label, (served, rss) in memory.items():
        lines.append(
            f"- {label} ({served:,} requests served): " + ", ".join(f"{x:.0f}" for x in rss)
        )
    if args.note:
        lines += ["", args.note]
    return lines


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
