"""Helpers shared by the benchmarks: wall-time measurement and a SQL statement counter."""

from __future__ import annotations

import statistics
import time

from sqlalchemy import event


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median and best wall time of fn() in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


class QueryCounter:
    """Counts the SQL statements an engine runs inside a with-block."""

    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args, **kwargs):
        self.n += 1
