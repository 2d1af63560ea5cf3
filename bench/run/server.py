"""The server under test: gunicorn with several sync workers, the benchmark configuration,
PostgreSQL and Redis; and the resident memory of its workers (from /proc)."""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Server:
    def __init__(self, database: str, redis: str, workers: int, port: int):
        self.database, self.redis, self.workers, self.port = database, redis, workers, port
        self.base = f"http://127.0.0.1:{port}"
        self.proc: subprocess.Popen | None = None

    def start(self, log: Path) -> None:
        try:
            urllib.request.urlopen(self.base + "/", timeout=2)  # noqa: S310 - loopback
        except urllib.error.HTTPError as err:
            raise RuntimeError(f"something already answers on {self.base}") from err
        except OSError:
            pass  # nothing listens: good
        else:
            raise RuntimeError(f"something already answers on {self.base}")
        env = dict(os.environ)
        env.update(
            {
                "LMS_CONFIG": "bench",
                "LMS_DATABASE_URL": self.database,
                "LMS_REDIS_URL": self.redis,
                "LMS_SECRET_KEY": "bench-" + secrets.token_hex(16),
                "LMS_BASE_URL": self.base,
            }
        )
        gunicorn = Path(sys.executable).with_name("gunicorn")
        cmd = [str(gunicorn), "--workers", str(self.workers), "--bind", f"127.0.0.1:{self.port}"]
        cmd += ["--timeout", "120", "--log-level", "warning", "wsgi:app"]
        self.log = log.open("ab")
        self.proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=self.log, stderr=self.log)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start (see {log})")
            try:
                with urllib.request.urlopen(self.base + "/bench/ceiling", timeout=5) as resp:  # noqa: S310 - http on loopback
                    if resp.status == 200 and len(self.worker_pids()) >= self.workers:
                        return
            except OSError:
                pass
            time.sleep(0.5)
        raise RuntimeError(f"gunicorn did not answer within 60 s (see {log})")

    def worker_pids(self) -> list[int]:
        """The gunicorn master's children."""
        if self.proc is None:
            return []
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.proc.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def _processes(self) -> dict[int, tuple[int, int]]:
        """pid -> (parent pid, CPU ticks used) of every process on the machine."""
        out = {}
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            out[int(stat.parent.name)] = (int(fields[1]), int(fields[11]) + int(fields[12]))
        return out

    def cpu_ticks(self) -> int:
        """CPU time (user + system, clock ticks) used so far by the workers and their own
        children (the PDF renderer runs in a child process)."""
        procs = self._processes()
        family, total, grew = {self.proc.pid} if self.proc else set(), 0, True
        while grew:
            grew = False
            for pid, (ppid, _ticks) in procs.items():
                if ppid in family and pid not in family:
                    family.add(pid)
                    grew = True
        for pid in family:
            if self.proc and pid != self.proc.pid and pid in procs:
                total += procs[pid][1]
        return total + len(family)  # a process born or ended counts as activity

    def drain(self, limit: float = 180) -> float:
        """Wait until the workers are idle: wrk stops with requests in flight (and in the
        listen queue), which sync workers still serve, and which would otherwise slow the
        next endpoint. Idle: no CPU used by any worker for a second. Returns the seconds."""
        started = time.monotonic()
        last, still = self.cpu_ticks(), 0
        while time.monotonic() - started < limit:
            time.sleep(0.5)
            now = self.cpu_ticks()
            still = still + 1 if now == last else 0
            if still >= 2:
                break
            last = now
        return time.monotonic() - started

    def worker_rss_mib(self) -> list[float]:
        """Resident memory of each worker in MiB (VmRSS)."""
        out = []
        for pid in self.worker_pids():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmRSS:"):
                        out.append(int(line.split()[1]) / 1024)
            except OSError:
                continue
        return out

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.send_signal(signal.SIGQUIT)  # quick shutdown: nothing to finish
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc = None
        self.log.close()
