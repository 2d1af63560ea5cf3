"""Running a job: each item in its own transaction, retried a bounded number of times.

The handler's work and the item's "done" are committed together; on an error the whole
transaction is rolled back (nothing the handler wrote survives), the item waits and is tried
again, up to JOBS_MAX_ATTEMPTS times, and then is marked failed with a short, user-safe
message (the traceback goes to the log only); the job goes on with the next item.

Where it runs (dispatch, after the commit that created or retried the job):
* REDIS_URL set: one RQ job per Job on the JOBS_QUEUE queue, run by `flask lms worker`
  (on this host or others); one Job's items run in order in one worker;
* otherwise, under TESTING: synchronously, right after the commit;
* otherwise (`make run`): a daemon thread of this process, with its own app context.
A job is claimed with a compare-and-set from queued to running, so that a duplicate dispatch
never runs it twice.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable

from flask import Flask, current_app
from flask_babel import force_locale, gettext
from sqlalchemy import func, select, update

from lms.accounts.models import User
from lms.db import db, utcnow
from lms.errors import DomainError
from lms.jobs.models import ItemState, Job, JobItem, JobState
from lms.jobs.registry import JobKind, job_kind

log = logging.getLogger(__name__)

LONGEST_WAIT = 60.0  # seconds between two attempts of one item, at most
ERROR_LENGTH = 500


def backoff(delay: float, tries: int) -> float:
    """Seconds to wait after the n-th failed attempt: delay, 2 x delay, 4 x delay, ..."""
    return min(delay * (2 ** max(tries - 1, 0)), LONGEST_WAIT)


def user_message(exc: Exception) -> str:
    """What the person who started the job may read about a failure."""
    if isinstance(exc, DomainError):
        return str(exc.message)[:ERROR_LENGTH]
    return gettext("An unexpected error occurred; the details are in the server log.")


# --- dispatch --------------------------------------------------------------------------------


def dispatch(job_ids: list[int]) -> None:
    """Start the jobs just committed (the after-commit action of lms.jobs.services)."""
    app = current_app._get_current_object()
    for job_id in dict.fromkeys(job_ids):
        if app.config.get("REDIS_URL"):
            send_to_queue(app, job_id)
        elif app.testing:
            run_job(app, job_id)
        else:
            threading.Thread(
                target=run_job, args=(app, job_id), name=f"lms-job-{job_id}", daemon=True
            ).start()


def redis_connection(app: Flask):
    """A Redis client for the configured REDIS_URL."""
    import redis

    return redis.Redis.from_url(app.config["REDIS_URL"])


def job_queue(app: Flask, connection):
    """The RQ queue this app's jobs go to."""
    from rq import Queue

    return Queue(app.config["JOBS_QUEUE"], connection=connection)


def send_to_queue(app: Flask, job_id: int) -> None:
    """One RQ job for the whole Job: its items run in order, with the runner's own retries."""
    connection = redis_connection(app)
    try:
        job_queue(app, connection).enqueue(
            "lms.jobs.runner.run_queued",
            job_id,
            job_timeout=app.config["JOBS_TIMEOUT"],
            result_ttl=0,
            description=f"lms job {job_id}",
        )
    finally:
        connection.close()


def run_queued(job_id: int) -> None:
    """The function an RQ worker calls, inside the app context of `flask lms worker`."""
    run_job(current_app._get_current_object(), job_id)


# --- running ---------------------------------------------------------------------------------


def run_job(app: Flask, job_id: int, *, sleep: Callable[[float], None] = time.sleep) -> None:
    """Run a queued job to its end, in an app context (and database session) of its own."""
    with app.app_context():
        try:
            if _claim(job_id):
                _run(job_id, sleep)
        except Exception:
            log.exception("background job %s stopped", job_id)
            db.session.rollback()
            _give_up(job_id)
        finally:
            db.session.remove()


def _claim(job_id: int) -> bool:
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.state == JobState.QUEUED)
        .values(state=JobState.RUNNING, started_at=utcnow(), finished_at=None)
    )
    db.session.commit()
    if result.rowcount != 1:
        log.info("background job %s is not queued (already taken or gone)", job_id)
        return False
    return True


def _run(job_id: int, sleep: Callable[[float], None]) -> None:
    job = db.session.get(Job, job_id)
    kind = job_kind(job.kind)
    actor_id, params = job.created_by_id, dict(job.params or {})
    item_ids = list(
        db.session.scalars(
            select(JobItem.id)
            .where(
                JobItem.job_id == job_id,
                JobItem.state.in_([ItemState.PENDING, ItemState.RUNNING]),
            )
            .order_by(JobItem.position)
        )
    )
    db.session.commit()
    if kind is None:
        log.error("background job %s: kind %s is not registered here", job_id, job.kind)
        _give_up(job_id)
        return
    for item_id in item_ids:
        _run_item(kind, job_id, item_id, actor_id, params, sleep)
    _finish(job_id)


def _run_item(
    kind: JobKind,
    job_id: int,
    item_id: int,
    actor_id: int,
    params: dict,
    sleep: Callable[[float], None],
) -> None:
    config = current_app.config
    max_attempts = max(int(config["JOBS_MAX_ATTEMPTS"]), 1)
    for tries in range(1, max_attempts + 1):
        item = db.session.get(JobItem, item_id)
        item.state = ItemState.RUNNING
        item.attempts += 1
        key = item.key
        db.session.commit()
        actor = db.session.get(User, actor_id)
        locale = actor.locale if actor.locale in config["LANGUAGES"] else "it"
        with force_locale(locale):
            try:
                result = kind.handler(actor, key, **params)
                item = db.session.get(JobItem, item_id)
                item.state = ItemState.DONE
                item.result = result
                item.last_error = None
                item.finished_at = utcnow()
                db.session.execute(update(Job).where(Job.id == job_id).values(done=Job.done + 1))
                db.session.commit()
                return
            except Exception as exc:
                db.session.rollback()
                last = tries == max_attempts
                log.exception(
                    "background job %s, item %s, attempt %d%s failed",
                    job_id,
                    key,
                    tries,
                    " (last)" if last else "",
                )
                message = user_message(exc)
        item = db.session.get(JobItem, item_id)
        item.last_error = message
        if last:
            item.state = ItemState.FAILED
            item.finished_at = utcnow()
            db.session.execute(update(Job).where(Job.id == job_id).values(failed=Job.failed + 1))
            db.session.commit()
            return
        item.state = ItemState.PENDING
        db.session.commit()
        sleep(backoff(float(config["JOBS_RETRY_DELAY"]), tries))


def _finish(job_id: int) -> None:
    """Count the items and close the job: done, failed or partly failed."""
    counts = dict(
        db.session.execute(
            select(JobItem.state, func.count())
            .where(JobItem.job_id == job_id)
            .group_by(JobItem.state)
        ).all()
    )
    done, failed = counts.get(ItemState.DONE, 0), counts.get(ItemState.FAILED, 0)
    if failed == 0:
        state = JobState.DONE
    elif done == 0:
        state = JobState.FAILED
    else:
        state = JobState.PARTLY_FAILED
    job = db.session.get(Job, job_id)
    job.done, job.failed, job.state, job.finished_at = done, failed, state, utcnow()
    db.session.commit()
    _tell_creator(job_id)


def _give_up(job_id: int) -> None:
    """The runner itself failed (or the kind is unknown here): every unfinished item fails."""
    try:
        message = gettext("The job could not run; the details are in the server log.")
        db.session.execute(
            update(JobItem)
            .where(
                JobItem.job_id == job_id, JobItem.state.in_([ItemState.PENDING, ItemState.RUNNING])
            )
            .values(state=ItemState.FAILED, last_error=message, finished_at=utcnow())
        )
        db.session.commit()
        _finish(job_id)
    except Exception:
        db.session.rollback()
        log.exception("background job %s could not be closed", job_id)


def _tell_creator(job_id: int) -> None:
    """An in-app notice to the person who started the job, with a link to its page."""
    from flask_babel import lazy_gettext as _l

    from lms.notifications.services import notify_in_app

    job = db.session.get(Job, job_id)
    creator = db.session.get(User, job.created_by_id)
    if creator is None or not creator.active:
        return
    if job.state == JobState.DONE:
        title = _l(
            "A background job has finished: %(done)s of %(total)s completed.",
            done=job.done,
            total=job.total,
        )
    else:
        title = _l(
            "A background job has finished with failures: %(done)s of %(total)s completed, %(failed)s failed.",
            done=job.done,
            total=job.total,
            failed=job.failed,
        )
    notify_in_app(
        creator,
        "job.finished",
        title,
        link_endpoint="jobs.detail",
        link_args={"job_id": job.id},
        email=False,
    )
    db.session.commit()
