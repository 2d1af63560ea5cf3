"""`flask lms worker` (an RQ worker for the background jobs of this app) and `flask lms jobs`."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import AppGroup
from rq import SimpleWorker


class AppWorker(SimpleWorker):
    """Runs each RQ job inside an app context of the given app (one job at a time; start
    several workers, on this host or others, for more at once)."""

    def __init__(self, *args, app, **kwargs):
        super().__init__(*args, **kwargs)
        self.app = app

    def perform_job(self, *args, **kwargs):
        with self.app.app_context():
            return super().perform_job(*args, **kwargs)


def make_worker(app, connection) -> AppWorker:
    """A worker bound to the app's job queue on the given Redis connection."""
    from lms.jobs.runner import job_queue

    return AppWorker([job_queue(app, connection)], connection=connection, app=app)


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop once the queue is empty.")
def worker_command(burst: bool):
    """Run the background jobs queued on Redis (LMS_REDIS_URL) until stopped."""
    from lms.jobs.runner import redis_connection

    app = current_app._get_current_object()
    if not app.config.get("REDIS_URL"):
        click.echo(
            "LMS_REDIS_URL is not set: without Redis, background jobs run inside the app "
            "process and need no worker.",
            err=True,
        )
        sys.exit(1)
    connection = redis_connection(app)
    try:
        make_worker(app, connection).work(burst=burst)
    finally:
        connection.close()


jobs_group = AppGroup("jobs", help="Background jobs.")


@jobs_group.command("list")
def list_command():
    """List the jobs still queued or running."""
    from lms.accounts.services import system_actor
    from lms.jobs.services import unfinished_jobs

    rows = unfinished_jobs(system_actor())
    for job in rows:
        started = f"{job.started_at:%Y-%m-%d %H:%M} UTC" if job.started_at else "-"
        click.echo(
            f"{job.id}\t{job.kind}\t{job.state.value}\t{job.done + job.failed}/{job.total}"
            f"\tstarted {started}"
        )
    if not rows:
        click.echo("No job is queued or running.")


@jobs_group.command("resume")
@click.argument("job_ids", nargs=-1, type=int, required=True)
def resume_command(job_ids: tuple[int, ...]):
    """Start again jobs whose worker died half-way (see `flask lms jobs list`)."""
    from lms.accounts.services import system_actor
    from lms.audit.context import client_address
    from lms.db import db
    from lms.errors import DomainError
    from lms.jobs.models import Job
    from lms.jobs.services import resume

    client_address.set("cli")
    actor = system_actor()
    failed = False
    for job_id in job_ids:
        job = db.session.get(Job, job_id)
        if job is None:
            click.echo(f"No job {job_id}.", err=True)
            failed = True
            continue
        try:
            resume(actor, job)
        except DomainError as err:
            click.echo(f"Job {job_id}: {err.message}", err=True)
            failed = True
            continue
        click.echo(f"Job {job_id} queued again.")
    db.session.commit()
    if failed:
        sys.exit(1)
