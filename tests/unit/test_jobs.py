"""Background jobs, in-process: created in the caller's transaction, run after its commit,
each item in its own transaction with bounded retries; who may follow and retry a job."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select

from lms.accounts.models import Role
from lms.db import db
from lms.errors import Conflict, Forbidden, NotFound, ValidationFailed
from lms.jobs import services
from lms.jobs.models import ItemState, Job, JobItem, JobState
from lms.jobs.permissions import can_retry_job, can_view_job
from lms.jobs.registry import register_job_kind
from lms.jobs.runner import backoff, run_job
from lms.notifications.models import Notification
from tests import jobs_kind
from tests.jobs_kind import KIND, notices_for

ITEMS = [("item:1", "Primo"), ("item:2", "Secondo"), ("item:3", "Terzo")]


@pytest.fixture
def kind(app):
    jobs_kind.register(app)
    return KIND


@pytest.fixture
def coordinator(make):
    return make.user(Role.COORDINATOR)


def _items(job):
    return list(
        db.session.scalars(
            select(JobItem).where(JobItem.job_id == job.id).order_by(JobItem.position)
        )
    )


def _reload(job):
    db.session.expire_all()
    return db.session.get(Job, job.id)


def test_a_job_runs_after_the_commit_and_every_item_is_done(kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS, title_params={"what": "tre avvisi"})
    assert job.state == JobState.QUEUED and job.total == 3
    assert notices_for("item:1") == 0  # nothing runs inside the caller's transaction
    db.session.commit()

    job = _reload(job)
    assert (job.state, job.done, job.failed) == (JobState.DONE, 3, 0)
    assert job.started_at is not None and job.finished_at is not None
    items = _items(job)
    assert [i.state for i in items] == [ItemState.DONE] * 3
    assert [i.attempts for i in items] == [1, 1, 1]
    for item in items:
        assert notices_for(item.key) == 1
        assert item.result == {
            "notification_id": db.session.scalar(
                select(Notification.id).where(Notification.text == item.key)
            )
        }
    assert services.title_of(job) == "Test job for tre avvisi"
    assert services.progress_text(job) == "3 di 3 completati"  # the default language


def test_a_rolled_back_enqueue_never_runs(kind, coordinator):
    services.enqueue(coordinator, kind, ITEMS)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0
    db.session.commit()  # a later commit does not start what was rolled back
    assert jobs_kind.ATTEMPTS == {}


def test_a_flaky_item_is_retried_within_the_bounds_and_succeeds(kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS, {"flaky": {"item:2": 2}})
    db.session.commit()

    job = _reload(job)
    assert (job.state, job.done, job.failed) == (JobState.DONE, 3, 0)
    second = _items(job)[1]
    assert (second.state, second.attempts, second.last_error) == (ItemState.DONE, 3, None)
    assert notices_for("item:2") == 1  # the two failed attempts left nothing behind


def test_an_item_that_always_fails_is_marked_failed_and_the_others_go_on(kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS, {"broken": ["item:2"]})
    db.session.commit()

    job = _reload(job)
    assert (job.state, job.done, job.failed) == (JobState.PARTLY_FAILED, 2, 1)
    first, second, third = _items(job)
    assert (first.state, third.state) == (ItemState.DONE, ItemState.DONE)
    assert second.state == ItemState.FAILED
    assert second.attempts == 3  # JOBS_MAX_ATTEMPTS
    assert second.last_error == "item:2 cannot be processed"
    assert second.result is None
    assert notices_for("item:2") == 0  # no partial rows from the failed item
    assert notices_for("item:1") == notices_for("item:3") == 1
    assert services.progress_text(job) == "2 di 3 completati, 1 non riuscito"


def test_the_number_of_attempts_is_a_setting(app, kind, coordinator):
    app.config["JOBS_MAX_ATTEMPTS"] = 1
    job = services.enqueue(coordinator, kind, ITEMS, {"flaky": {"item:1": 1}})
    db.session.commit()
    item = _items(_reload(job))[0]
    assert (item.state, item.attempts) == (ItemState.FAILED, 1)


def test_an_unexpected_error_is_logged_and_shown_in_plain_words(kind, coordinator, caplog):
    job = services.enqueue(coordinator, kind, ITEMS[:1], {"crash": ["item:1"]})
    db.session.commit()
    job = _reload(job)
    item = _items(job)[0]
    assert job.state == JobState.FAILED
    assert "secret internal detail" not in item.last_error
    assert item.last_error.startswith("Si è verificato un errore imprevisto")  # creator's language
    assert "secret internal detail" in caplog.text  # the traceback is in the log


def test_retry_runs_the_failed_items_again(kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS, {"flaky": {"item:3": 3}})
    db.session.commit()
    job = _reload(job)
    assert (job.state, job.failed) == (JobState.PARTLY_FAILED, 1)
    assert can_retry_job(coordinator, job)

    assert services.retry_failed(coordinator, job) == 1
    db.session.commit()

    job = _reload(job)
    assert (job.state, job.done, job.failed) == (JobState.DONE, 3, 0)
    third = _items(job)[2]
    assert (third.state, third.attempts, third.last_error) == (ItemState.DONE, 4, None)
    assert [notices_for(k) for k, _ in ITEMS] == [1, 1, 1]  # done items did not run again
    assert not can_retry_job(coordinator, job)
    with pytest.raises(Conflict):
        services.retry_failed(coordinator, job)


def test_who_may_follow_and_retry_a_job(app, kind, coordinator, make):
    admin, other = make.user(Role.ADMIN), make.user(Role.COORDINATOR)
    job = services.enqueue(coordinator, kind, ITEMS, {"broken": ["item:1"]})
    db.session.commit()
    job = _reload(job)
    assert can_view_job(coordinator, job) and can_view_job(admin, job)
    assert not can_view_job(other, job)
    with pytest.raises(NotFound):
        services.items_of(other, job)
    with pytest.raises(NotFound):
        services.retry_failed(other, job)
    assert can_retry_job(admin, job)
    assert services.jobs_of(other) is not None
    assert list(db.session.scalars(services.jobs_of(other))) == []
    assert list(db.session.scalars(services.jobs_of(coordinator))) == [job]


def test_a_kind_lets_more_people_follow_its_jobs_but_not_retry_them(app, coordinator, make):
    watcher = make.user(Role.COORDINATOR)
    register_job_kind(
        app,
        "test.watched",
        jobs_kind.handler,
        label="Watched",
        can_view=lambda user, job: user.id == watcher.id,
    )
    job = services.enqueue(coordinator, "test.watched", ITEMS[:1], {"broken": ["item:1"]})
    db.session.commit()
    job = _reload(job)
    assert can_view_job(watcher, job)
    assert len(services.items_of(watcher, job)) == 1
    assert not can_retry_job(watcher, job)
    with pytest.raises(Forbidden):
        services.retry_failed(watcher, job)


def test_bad_input_to_enqueue(kind, coordinator):
    with pytest.raises(ValidationFailed):
        services.enqueue(coordinator, kind, [])
    with pytest.raises(ValueError, match="distinct"):
        services.enqueue(coordinator, kind, [("a", "A"), ("a", "B")])
    with pytest.raises(ValueError, match="no job kind"):
        services.enqueue(coordinator, "no.such.kind", ITEMS)
    db.session.rollback()


def test_a_job_runs_once_even_if_dispatched_twice(app, kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS)
    db.session.commit()
    run_job(app, job.id)  # already done: the claim refuses it
    assert [notices_for(k) for k, _ in ITEMS] == [1, 1, 1]


def test_a_kind_missing_in_the_worker_fails_the_job_in_plain_words(app, kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS[:1])
    db.session.flush()
    job.kind = "gone.kind"  # e.g. a worker started without the package of this kind
    db.session.commit()
    job = _reload(job)
    assert job.state == JobState.FAILED
    assert _items(job)[0].last_error.startswith("Non è stato possibile eseguire l'attività")


def test_without_testing_and_without_redis_a_job_runs_in_a_thread_of_its_own(
    app, kind, coordinator, monkeypatch
):
    started = []
    original = threading.Thread.start

    def start(thread):
        started.append(thread)
        original(thread)

    monkeypatch.setattr(threading.Thread, "start", start)
    monkeypatch.setattr(app, "testing", False)
    job = services.enqueue(coordinator, kind, ITEMS)
    db.session.commit()
    monkeypatch.undo()
    (thread,) = started
    assert thread.daemon and thread.name == f"lms-job-{job.id}"
    thread.join()
    assert set(jobs_kind.THREADS) == {thread.name}  # the handler ran in that thread
    assert _reload(job).state == JobState.DONE


def test_the_finished_job_is_announced_to_its_creator(kind, coordinator):
    job = services.enqueue(coordinator, kind, ITEMS, {"broken": ["item:1"]})
    db.session.commit()
    notice = db.session.scalars(
        select(Notification).where(Notification.kind == "job.finished")
    ).one()
    assert notice.user_id == coordinator.id
    assert notice.link_args == {"job_id": job.id}


def test_backoff_doubles_and_is_capped():
    assert [backoff(2.0, n) for n in (1, 2, 3)] == [2.0, 4.0, 8.0]
    assert backoff(2.0, 20) == 60.0
    assert backoff(0.0, 3) == 0.0
