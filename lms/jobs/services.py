"""Background jobs: created in the caller's transaction (add and flush only) and started once
it commits (lms.jobs.runner.dispatch); listed, read and retried by the people allowed to."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from flask_babel import gettext, lazy_gettext, ngettext
from sqlalchemy import Select, select, update
from sqlalchemy.orm.attributes import set_committed_value

from lms.accounts.models import User
from lms.db import after_commit, db, utcnow
from lms.errors import Conflict, ValidationFailed
from lms.jobs.models import ItemState, Job, JobItem, JobState
from lms.jobs.permissions import can_list_jobs, can_manage_job, can_operate_jobs, can_view_job
from lms.jobs.registry import job_kind
from lms.permissions import require, require_actor

# After-commit key (lms.db.after_commit): ids of the jobs to start once their rows are committed.
DISPATCH_KEY = "lms_jobs_dispatch"

KEY_LENGTH = 200
LABEL_LENGTH = 300


def enqueue(
    actor: User,
    kind: str,
    items: Iterable[tuple[str, str] | str],
    params: dict | None = None,
    *,
    title_params: dict | None = None,
    now: dt.datetime | None = None,
) -> Job:
    """Create a job of a registered kind with one item per (key, label) or key; add and flush only.
    It starts after the caller commits (RQ when REDIS_URL is set, otherwise in-process)."""
    require_actor(actor)
    if job_kind(kind) is None:
        raise ValueError(f"no job kind {kind!r} is registered")
    rows = [(item, item) if isinstance(item, str) else tuple(item) for item in items]
    if not rows:
        raise ValidationFailed(gettext("There is nothing to process."))
    keys = [str(key) for key, _label in rows]
    if len(set(keys)) != len(keys):
        raise ValueError("the items of a job need distinct keys")
    if any(len(key) > KEY_LENGTH for key in keys):
        raise ValueError(f"item keys are at most {KEY_LENGTH} characters")
    now = now or utcnow()
    job = Job(
        kind=kind,
        title_params={
            k: v if isinstance(v, int | float) else str(v) for k, v in (title_params or {}).items()
        },
        params=dict(params or {}),
        state=JobState.QUEUED,
        total=len(rows),
        created_by_id=actor.id,
        created_at=now,
    )
    db.session.add(job)
    db.session.flush()
    db.session.add_all(
        JobItem(job_id=job.id, position=position, key=key, label=str(label)[:LABEL_LENGTH])
        for position, (key, (_key, label)) in enumerate(zip(keys, rows, strict=True), 1)
    )
    db.session.flush()
    after_commit(DISPATCH_KEY, job.id)
    return job


def retry_failed(actor: User, job: Job) -> int:
    """Put the failed items of a finished job back in the queue; returns how many.
    Each gets the configured number of attempts again; it starts after the commit."""
    require_actor(actor)
    require(can_view_job(actor, job), private=True)
    require(can_manage_job(actor, job))
    if not job.is_finished or job.failed == 0:
        raise Conflict(gettext("This job has no failed items to retry."))
    count = job.failed
    db.session.execute(
        update(JobItem)
        .where(JobItem.job_id == job.id, JobItem.state == ItemState.FAILED)
        .values(state=ItemState.PENDING, finished_at=None)
        .execution_options(synchronize_session="fetch")
    )
    job.state = JobState.QUEUED
    job.failed = 0
    job.finished_at = None
    db.session.flush()
    after_commit(DISPATCH_KEY, job.id)
    return count


def jobs_of(actor: User) -> Select:
    """The actor's own jobs, newest first, as a select to paginate."""
    require_actor(actor)
    require(can_list_jobs(actor))
    return select(Job).where(Job.created_by_id == actor.id).order_by(Job.id.desc())


def items_of(actor: User, job: Job) -> list[JobItem]:
    """The items of a job the actor may follow, in order (one query); job.items holds them."""
    require(can_view_job(actor, job), private=True)
    items = list(
        db.session.scalars(
            select(JobItem).where(JobItem.job_id == job.id).order_by(JobItem.position)
        )
    )
    set_committed_value(job, "items", items)
    return items


def title_of(job: Job) -> str:
    """The job's title in the current language, from its kind's label."""
    kind = job_kind(job.kind)
    if kind is None:
        return gettext("Background job %(id)s", id=job.id)
    return gettext(kind.label, **(job.title_params or {}))


def progress_text(job: Job) -> str:
    """E.g. "12 of 40 completed, 1 failed"."""
    text = ngettext(
        "%(num)d of %(total)d completed",
        "%(num)d of %(total)d completed",
        job.done,
        total=job.total,
    )
    if job.failed:
        text += ", " + ngettext("%(num)d failed", "%(num)d failed", job.failed)
    return text


STATE_LABELS = {
    JobState.QUEUED: lazy_gettext("Waiting to start"),
    JobState.RUNNING: lazy_gettext("Running"),
    JobState.DONE: lazy_gettext("Completed"),
    JobState.FAILED: lazy_gettext("Failed"),
    JobState.PARTLY_FAILED: lazy_gettext("Completed with failures"),
}

ITEM_STATE_LABELS = {
    ItemState.PENDING: lazy_gettext("Waiting"),
    ItemState.RUNNING: lazy_gettext("In progress"),
    ItemState.DONE: lazy_gettext("Done"),
    ItemState.FAILED: lazy_gettext("Failed after every attempt"),
}


def state_label(state: JobState | ItemState) -> str:
    """The state of a job or of an item, in words of the current language."""
    labels = STATE_LABELS if isinstance(state, JobState) else ITEM_STATE_LABELS
    return str(labels[state])


def resume(actor: User, job: Job) -> None:
    """Start again a job whose runner died half-way (a worker killed, a server restarted):
    the item it was on and the waiting ones run again, after the commit. Only for a job no
    runner works on any more; a job that was never taken simply runs (once: it is claimed)."""
    require_actor(actor)
    require(can_manage_job(actor, job))
    if job.is_finished:
        raise Conflict(gettext("This job has already finished."))
    db.session.execute(
        update(JobItem)
        .where(JobItem.job_id == job.id, JobItem.state == ItemState.RUNNING)
        .values(state=ItemState.PENDING)
        .execution_options(synchronize_session="fetch")
    )
    job.state = JobState.QUEUED
    db.session.flush()
    after_commit(DISPATCH_KEY, job.id)


def unfinished_jobs(actor: User) -> list[Job]:
    """Every job still queued or running, oldest first (for the operator's `flask lms jobs`)."""
    require_actor(actor)
    require(can_operate_jobs(actor))
    return list(
        db.session.scalars(
            select(Job).where(Job.state.in_([JobState.QUEUED, JobState.RUNNING])).order_by(Job.id)
        )
    )
