"""`flask lms mail ...`: send what is waiting, list the queue."""

from __future__ import annotations

import click
from flask.cli import AppGroup

mail_group = AppGroup("mail", help="Outgoing e-mail.")


@mail_group.command("send-pending")
@click.option("--limit", default=500, show_default=True, help="Most messages sent in one run.")
def send_pending_command(limit: int):
    """Send every queued message that is due (first attempts and retries)."""
    from lms.mail.sending import send_pending

    sent, waiting = send_pending(limit=limit)
    click.echo(f"Sent: {sent}. Not sent (will be retried or have failed): {waiting}.")
    if waiting:
        raise SystemExit(1)


@mail_group.command("status")
def status_command():
    """Count the messages of the queue by state."""
    from sqlalchemy import func, select

    from lms.db import db
    from lms.mail.models import MailStatus, OutgoingMail

    counts = dict(
        db.session.execute(
            select(OutgoingMail.status, func.count()).group_by(OutgoingMail.status)
        ).all()
    )
    for status in MailStatus:
        click.echo(f"{status.value}: {counts.get(status, 0)}")
