"""Background jobs on RQ, against the real local Redis: the job waits on the queue after the
commit, an RQ worker in this process runs it against the test app, retries stay bounded."""

from __future__ import annotations

from rq import Queue
from sqlalchemy import select

from lms.accounts.models import Role
from lms.db import db
from lms.jobs import services
from lms.jobs.models import ItemState, Job, JobItem, JobState
from tests import jobs_kind
from tests.jobs_kind import KIND, QUEUE, connection, notices_for, rq_app, work

ITEMS = [("item:1", "Primo"), ("item:2", "Secondo"), ("item:3", "Terzo")]
__all__ = ["connection", "rq_app"]  # fixtures


def _job(job_id):
    db.session.expire_all()
    return db.session.get(Job, job_id)


def _states(job_id):
    return list(
        db.session.scalars(
            select(JobItem.state).where(JobItem.job_id == job_id).order_by(JobItem.position)
        )
    )


def test_the_job_waits_on_the_queue_until_a_worker_runs_it(rq_app, connection, make):
    coordinator = make.user(Role.COORDINATOR)
    job = services.enqueue(coordinator, KIND, ITEMS)
    assert Queue(QUEUE, connection=connection).count == 0  # nothing leaves before the commit
    db.session.commit()
    job_id = job.id

    assert Queue(QUEUE, connection=connection).count == 1  # one RQ job for the whole Job
    assert _job(job_id).state == JobState.QUEUED
    assert notices_for("item:1") == 0

    work(rq_app, connection)

    job = _job(job_id)
    assert (job.state, job.done, job.failed) == (JobState.DONE, 3, 0)
    assert _states(job_id) == [ItemState.DONE] * 3
    assert [notices_for(k) for k, _ in ITEMS] == [1, 1, 1]
    assert Queue(QUEUE, connection=connection).count == 0


def test_on_rq_a_flaky_item_is_retried_and_a_broken_one_fails_alone(rq_app, connection, make):
    coordinator = make.user(Role.COORDINATOR)
    params = {"flaky": {"item:1": 2}, "broken": ["item:3"]}
    job_id = services.enqueue(coordinator, KIND, ITEMS, params).id
    db.session.commit()

    work(rq_app, connection)

    job = _job(job_id)
    assert (job.state, job.done, job.failed) == (JobState.PARTLY_FAILED, 2, 1)
    assert _states(job_id) == [ItemState.DONE, ItemState.DONE, ItemState.FAILED]
    assert [notices_for(k) for k, _ in ITEMS] == [1, 1, 0]  # the failed item left nothing
    assert jobs_kind.ATTEMPTS == {"item:1": 3, "item:2": 1, "item:3": 3}

    # Retrying puts the job back on the queue; the worker tries the failed item again only.
    services.retry_failed(coordinator, job)
    db.session.commit()
    assert _job(job_id).state == JobState.QUEUED
    work(rq_app, connection)
    assert _job(job_id).state == JobState.PARTLY_FAILED
    assert jobs_kind.ATTEMPTS == {"item:1": 3, "item:2": 1, "item:3": 6}


def test_flask_lms_worker_runs_the_queue(rq_app, connection, make):
    coordinator = make.user(Role.COORDINATOR)
    job_id = services.enqueue(coordinator, KIND, ITEMS[:1]).id
    db.session.commit()

    result = rq_app.test_cli_runner().invoke(args=["lms", "worker", "--burst"])

    assert result.exit_code == 0, result.output
    assert _job(job_id).state == JobState.DONE


def test_flask_lms_worker_needs_redis(app):
    result = app.test_cli_runner().invoke(args=["lms", "worker", "--burst"])
    assert result.exit_code == 1
    assert "LMS_REDIS_URL is not set" in result.output


def test_a_job_whose_worker_died_is_resumed_from_the_cli(rq_app, connection, make):
    from lms.jobs.runner import _claim

    coordinator = make.user(Role.COORDINATOR)
    job_id = services.enqueue(coordinator, KIND, ["item:1", "item:2"]).id
    db.session.commit()
    connection.delete(f"rq:queue:{QUEUE}")  # the queue lost it (Redis restarted) ...
    assert _claim(job_id)  # ... and a runner took it, then died before its first item
    cli = rq_app.test_cli_runner()
    assert (
        f"{job_id}\ttest.notices\trunning\t0/2" in cli.invoke(args=["lms", "jobs", "list"]).output
    )

    result = cli.invoke(args=["lms", "jobs", "resume", str(job_id)])

    assert result.exit_code == 0, result.output
    assert _job(job_id).state == JobState.QUEUED
    work(rq_app, connection)
    assert _job(job_id).state == JobState.DONE
    assert _states(job_id) == [ItemState.DONE, ItemState.DONE]
    assert "No job is queued or running." in cli.invoke(args=["lms", "jobs", "list"]).output
    again = cli.invoke(args=["lms", "jobs", "resume", str(job_id), "999999"])
    assert again.exit_code == 1
    assert "Questa attività è già terminata." in again.output and "No job 999999." in again.output


WORKER_PROCESS = """
import sys
from lms.db import db
from tests import jobs_kind
from tests.conftest import make_test_app
from tests.jobs_kind import REDIS_URL, QUEUE, work
import pathlib, redis

database_url, tmp = sys.argv[1], pathlib.Path(sys.argv[2])
app = make_test_app(database_url, tmp, REDIS_URL=REDIS_URL, JOBS_QUEUE=QUEUE)
jobs_kind.register(app)
connection = redis.Redis.from_url(REDIS_URL)
with app.app_context():
    work(app, connection)
    db.engine.dispose()
connection.close()
"""


def test_a_worker_in_another_process_runs_the_job(rq_app, connection, make, database_url, tmp_path):
    """As a worker on another host would: it shares only the database and Redis."""
    import subprocess
    import sys
    from pathlib import Path

    coordinator = make.user(Role.COORDINATOR)
    job_id = services.enqueue(coordinator, KIND, ITEMS, {"broken": ["item:2"]}).id
    db.session.commit()

    root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", WORKER_PROCESS, database_url, str(tmp_path / "worker")],
        cwd=root,
        capture_output=True,
        text=True,
        timeout=120,
    )

    assert done.returncode == 0, done.stderr[-2000:]
    job = _job(job_id)
    assert (job.state, job.done, job.failed) == (JobState.PARTLY_FAILED, 2, 1)
    assert [notices_for(k) for k, _ in ITEMS] == [1, 0, 1]
    assert jobs_kind.ATTEMPTS == {}  # none of it ran in this process
