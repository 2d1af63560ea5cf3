"""Load with wrk (Debian's package): one Lua script per endpoint sets the method, body and
session cookie, and prints the summary and latency percentiles as one JSON line at the end."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

LUA = """
wrk.method = %(method)s
wrk.headers["Cookie"] = %(cookie)s
%(body)s
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format(
    'BENCH {"requests": %%d, "duration_us": %%d, "p50": %%d, "p95": %%d, "p99": %%d, ' ..
    '"errors": %%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), e.connect + e.read + e.write + e.status + e.timeout))
end
"""


def lua_string(s: str) -> str:
    return "[==[" + s + "]==]"


def available() -> bool:
    return shutil.which("wrk") is not None


def run(
    url: str,
    *,
    cookie: str,
    method: str = "GET",
    body: str | None = None,
    clients: int = 16,
    duration: float = 20,
    threads: int = 2,
) -> dict:
    """req/s, p50/p95/p99 in ms and errors (socket errors and statuses >= 400)."""
    body_lua = ""
    if body is not None:
        body_lua = (
            f"wrk.body = {lua_string(body)}\n"
            'wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"'
        )
    script = LUA % {"method": lua_string(method), "cookie": lua_string(cookie), "body": body_lua}
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as fh:
        fh.write(script)
        path = fh.name
    try:
        out = subprocess.run(
            [
                "wrk",
                f"-t{min(threads, clients)}",
                f"-c{clients}",
                f"-d{max(1, round(duration))}s",
                "--timeout",
                "120s",
                "-s",
                path,
                url,
            ],
            capture_output=True,
            text=True,
            timeout=duration + 180,
            check=False,
        ).stdout
    finally:
        Path(path).unlink(missing_ok=True)
    line = next((ln for ln in out.splitlines() if ln.startswith("BENCH ")), None)
    if line is None:
        raise RuntimeError(f"wrk printed no summary:\n{out}")
    data = json.loads(line[6:])
    seconds = data["duration_us"] / 1e6
    return {
        "requests": data["requests"],
        "rps": data["requests"] / seconds if seconds else 0.0,
        "p50": data["p50"] / 1000,
        "p95": data["p95"] / 1000,
        "p99": data["p99"] / 1000,
        "errors": data["errors"],
    }
