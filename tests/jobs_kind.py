"""A job kind for tests only (the app registers none of its own): each item adds one
in-app notice for the job's creator, then may fail as the job's params say.

params: {"flaky": {key: n}} fails the first n attempts of that item, {"broken": [key, ...]}
fails every attempt, {"crash": [...]} raises an unexpected error, {"wait": [...]} waits for
GATE to open first; a failure happens AFTER the notice was added (and flushed), so a
rolled-back attempt that left its row behind would show.
"""

from __future__ import annotations

import os
import signal
import threading
from collections import Counter

import pytest
import redis
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.db import db
from lms.errors import Conflict
from tests.conftest import make_test_app

KIND = "test.notices"
NOTICE_KIND = "test.job-item"
ATTEMPTS: Counter = Counter()  # item key -> attempts the handler saw (reset by register)
THREADS: list[str] = []  # the name of the thread each attempt ran in
GATE = threading.Event()  # items listed in params["wait"] wait for it (browser tests)


def handler(actor, item_key: str, *, flaky=None, broken=(), crash=(), wait=()):
    from lms.notifications.services import notify_in_app

    if item_key in wait and not GATE.wait(timeout=60):
        raise RuntimeError("the test never opened the gate")
    ATTEMPTS[item_key] += 1
    THREADS.append(threading.current_thread().name)
    row = notify_in_app(actor, NOTICE_KIND, _l("Notifications"), text=item_key, email=False)
    if item_key in broken:
        raise Conflict(f"{item_key} cannot be processed")
    if item_key in crash:
        raise RuntimeError("secret internal detail")
    if ATTEMPTS[item_key] <= (flaky or {}).get(item_key, 0):
        raise Conflict(f"{item_key} is not ready yet")
    return {"notification_id": row.id}


def register(app) -> None:
    from lms.jobs.registry import register_job_kind

    ATTEMPTS.clear()
    THREADS.clear()
    GATE.clear()
    register_job_kind(app, KIND, handler, label=_l("Test job for %(what)s"))


def notices_for(key: str) -> int:
    """How many notices an item's handler left in the database."""
    from lms.notifications.models import Notification

    return db.session.scalar(
        select(func.count()).where(Notification.kind == NOTICE_KIND, Notification.text == key)
    )


# --- the RQ path, against the real local Redis -----------------------------------------------

# A Redis database of its own, emptied before and after each test.
REDIS_URL = os.environ.get("LMS_TEST_REDIS_URL", "redis://127.0.0.1:6379/9")
QUEUE = "lms-jobs-test"


@pytest.fixture
def connection():
    client = redis.Redis.from_url(REDIS_URL)
    client.flushdb()
    yield client
    client.flushdb()
    client.close()


@pytest.fixture
def rq_app(database_url, tmp_path, connection):
    """A test app whose jobs go to RQ on the test Redis (run them with make_worker)."""
    app = make_test_app(database_url, tmp_path, REDIS_URL=REDIS_URL, JOBS_QUEUE=QUEUE)
    register(app)
    with app.app_context():
        yield app
        db.session.remove()


def work(app, connection) -> None:
    """Run the queue with an RQ worker in this process; pytest's signal handlers come back."""
    from lms.jobs.cli import make_worker

    saved = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
    try:
        assert make_worker(app, connection).work(burst=True)
    finally:
        for sig, handler in saved.items():
            signal.signal(sig, handler)
