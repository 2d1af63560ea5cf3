"""Sending what was queued: after the transaction commits, and again by `flask lms mail
send-pending` for messages whose attempt failed.

Every change of a row's state is its own short transaction on a separate connection
(`engine.begin()`), never the caller's session: a failure to send can never undo the change
that caused the message. A row is claimed with a compare-and-set on `attempts`, so the
after-commit dispatch and a concurrent send-pending never both send it; a process that dies
between sending and recording may send it again once its lease (LEASE) has run out.
"""

from __future__ import annotations

import datetime as dt
import logging
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr

from flask import current_app
from sqlalchemy import select, update

from lms.db import db, register_after_commit, utcnow
from lms.mail.models import MailStatus, OutgoingMail
from lms.mail.services import QUEUED_KEY
from lms.mail.transport import Transport, transport_for

log = logging.getLogger(__name__)

LEASE = dt.timedelta(minutes=10)  # a claimed row is retried after this if the process died
FIRST_RETRY = dt.timedelta(minutes=1)
LONGEST_WAIT = dt.timedelta(hours=6)


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next attempt: 1, 2, 4, ... minutes, at most six hours."""
    return min(FIRST_RETRY * (2 ** max(attempts - 1, 0)), LONGEST_WAIT)


def build_message(row, sender: str) -> EmailMessage:
    """The MIME message of a queued row: a text part and, when present, an HTML alternative."""
    message = EmailMessage()
    message["From"] = sender
    message["To"] = row.recipient
    message["Subject"] = row.subject
    message["Date"] = format_datetime(row.created_at)
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid(idstring=f"lms{row.id}", domain=domain)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content(row.body_text)
    if row.body_html:
        message.add_alternative(row.body_html, subtype="html")
    return message


def _claim(mail_id: int, attempts: int, now: dt.datetime) -> bool:
    with db.engine.begin() as conn:
        result = conn.execute(
            update(OutgoingMail)
            .where(
                OutgoingMail.id == mail_id,
                OutgoingMail.status == MailStatus.QUEUED,
                OutgoingMail.attempts == attempts,
            )
            .values(attempts=attempts + 1, next_attempt_at=now + LEASE)
        )
        return result.rowcount == 1


def _finish(mail_id: int, values: dict) -> None:
    with db.engine.begin() as conn:
        conn.execute(update(OutgoingMail).where(OutgoingMail.id == mail_id).values(**values))


def _send_one(row, now: dt.datetime, transport: Transport) -> bool:
    """Claim, send and record one row; True when it was sent. Failures are logged, not raised."""
    if not _claim(row.id, row.attempts, now):
        return False
    attempts = row.attempts + 1
    config = current_app.config
    try:
        message = build_message(row, config["MAIL_FROM"])
        transport.send(message, f"{row.created_at:%Y%m%dT%H%M%S}-{row.id:06d}")
    except Exception as exc:
        give_up = attempts >= config["MAIL_MAX_ATTEMPTS"]
        log.warning(
            "e-mail %s (%s) not sent, attempt %d%s: %s",
            row.id,
            row.template,
            attempts,
            ", giving up" if give_up else "",
            exc,
        )
        failed = {
            "status": MailStatus.FAILED if give_up else MailStatus.QUEUED,
            "last_error": f"{type(exc).__name__}: {exc}"[:500],
            "next_attempt_at": now + backoff(attempts),
        }
        if give_up and row.sensitive:
            failed.update(body_text="", body_html=None)  # a link that never left dies here
        _finish(row.id, failed)
        return False
    done = {"status": MailStatus.SENT, "sent_at": utcnow(), "last_error": None}
    if row.sensitive:
        done.update(body_text="", body_html=None)
    _finish(row.id, done)
    return True


def _rows(where, limit: int | None = None) -> list:
    query = select(OutgoingMail.__table__).where(where).order_by(OutgoingMail.id).limit(limit)
    with db.engine.connect() as conn:
        return list(conn.execute(query))


def _send_rows(rows: list, now: dt.datetime, transport: Transport | None) -> int:
    if not rows:
        return 0
    own = transport is None
    transport = transport or transport_for(current_app.config)
    try:
        return sum(_send_one(row, now, transport) for row in rows)
    finally:
        if own:
            transport.close()


def dispatch(
    ids: list[int], *, now: dt.datetime | None = None, transport: Transport | None = None
) -> int:
    """Send the rows just committed (first attempt only); returns how many were sent."""
    if not ids:
        return 0
    rows = _rows(
        OutgoingMail.id.in_(sorted(set(ids)))
        & (OutgoingMail.status == MailStatus.QUEUED)
        & (OutgoingMail.attempts == 0)
    )
    return _send_rows(rows, now or utcnow(), transport)


def send_pending(
    *, now: dt.datetime | None = None, limit: int = 500, transport: Transport | None = None
) -> tuple[int, int]:
    """Retry every queued message that is due; returns (sent, still waiting or failed)."""
    now = now or utcnow()
    rows = _rows(
        (OutgoingMail.status == MailStatus.QUEUED) & (OutgoingMail.next_attempt_at <= now), limit
    )
    sent = _send_rows(rows, now, transport)
    return sent, len(rows) - sent


def _dispatch_committed(ids: list[int]) -> None:
    try:
        dispatch(ids)
    except Exception:  # the change is committed; the rows stay queued for send-pending
        log.exception("e-mail dispatch after commit failed; send-pending will retry")


def install_hooks() -> None:
    """Send after every commit what its transaction queued; forget it on rollback."""
    register_after_commit(QUEUED_KEY, _dispatch_committed)
