"""The benchmark configuration's hooks (LMS_CONFIG=bench only, see bench/README.md)."""

from __future__ import annotations

BENCH_CEILING_PATH = "/bench/ceiling"
BENCH_QUERIES_HEADER = "X-Bench-Queries"


def bench_hooks(app) -> None:
    """Benchmark configuration only: GET /bench/ceiling answers "ok" through the whole stack
    (sessions, locale, security headers) without touching the database, and every response
    carries the number of SQL statements its request ran (X-Bench-Queries). Registered
    before every other hook, so the count covers them all."""
    import threading

    from sqlalchemy import event
    from sqlalchemy.engine import Engine

    counter = threading.local()

    def _count(*_args, **_kwargs):
        counter.n = getattr(counter, "n", 0) + 1

    if not event.contains(Engine, "before_cursor_execute", _count):
        event.listen(Engine, "before_cursor_execute", _count)

    @app.before_request
    def _reset_count():
        counter.n = 0

    @app.after_request
    def _queries_header(response):
        response.headers[BENCH_QUERIES_HEADER] = str(getattr(counter, "n", 0))
        return response

    app.add_url_rule(
        BENCH_CEILING_PATH, "bench_ceiling", lambda: ("ok", 200, {"Content-Type": "text/plain"})
    )
