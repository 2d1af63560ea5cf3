"""`flask lms worker`: an RQ worker for the background jobs of this app."""

from __future__ import annotations

import sys

import click
from flask import current_app
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
