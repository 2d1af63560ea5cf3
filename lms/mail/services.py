"""Queue e-mail inside the caller's transaction; messages are rendered in the recipient's
language from templates/mail/<name>.html (blocks subject, text, html).

Nothing here reads the request: links are built from the LMS_BASE_URL setting, and the
rows queued in a transaction are sent by lms.mail.sending once it has committed.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from sqlalchemy import func, insert, select

from lms.db import after_commit, db, utcnow
from lms.mail.models import MailStatus, OutgoingMail
from lms.routing import absolute_url, base_url  # noqa: F401 - re-exported for callers

# After-commit key (lms.db.after_commit): ids of the rows queued in the current transaction.
QUEUED_KEY = "lms_mail_queued"


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def _clean_text(text: str) -> str:
    lines = [line.rstrip() for line in text.strip().splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)) + "\n"


def render(template: str, locale: str, context: dict | None = None) -> Rendered:
    """Render mail/<template>.html in the given language: subject, text and HTML parts."""
    env = current_app.jinja_env
    tmpl = env.get_template(f"mail/{template}.html")
    values = {
        "locale": locale,
        "base_url": base_url(),
        "body_name": current_app.config["TRAINING_BODY_NAME"],
        **(context or {}),
    }
    with force_locale(locale):
        subject = " ".join("".join(tmpl.blocks["subject"](tmpl.new_context(values))).split())
        text = _clean_text("".join(tmpl.blocks["text"](tmpl.new_context(values))))
        html = tmpl.render(subject=subject, **values)
    return Rendered(subject=subject, text=text, html=html)


def queue(
    recipient: str,
    subject: str,
    body_text: str,
    body_html: str | None = None,
    *,
    template: str = "custom",
    user_id: int | None = None,
    sensitive: bool = False,
    now: dt.datetime | None = None,
) -> OutgoingMail:
    """Add a message to the outgoing queue (add and flush only); it leaves after the commit."""
    now = now or utcnow()
    mail = OutgoingMail(
        recipient=recipient,
        user_id=user_id,
        template=template[:100],
        subject=subject[:300],
        body_text=body_text,
        body_html=body_html,
        sensitive=sensitive,
        attempts=0,
        next_attempt_at=now,
        created_at=now,
    )
    db.session.add(mail)
    db.session.flush()
    after_commit(QUEUED_KEY, mail.id)
    return mail


def notify(
    user,
    template: str,
    context: dict | None = None,
    *,
    sensitive: bool = False,
    now: dt.datetime | None = None,
) -> OutgoingMail:
    """Queue mail/<template>.html for a user, rendered in the user's own language."""
    locale = user.locale if user.locale in current_app.config["LANGUAGES"] else "it"
    parts = render(template, locale, {"user": user, **(context or {})})
    return queue(
        user.email,
        parts.subject,
        parts.text,
        parts.html,
        template=template,
        user_id=user.id,
        sensitive=sensitive,
        now=now,
    )


def notify_many(
    recipients: list[tuple[object, dict]],
    template: str,
    *,
    now: dt.datetime | None = None,
) -> list[int]:
    """Queue mail/<template>.html for several users at once, each rendered in their own
    language from (user, context) pairs: one INSERT for all the rows; returns their ids.
    They leave after the commit, as `queue` does."""
    now = now or utcnow()
    rows = []
    for user, context in recipients:
        locale = user.locale if user.locale in current_app.config["LANGUAGES"] else "it"
        parts = render(template, locale, {"user": user, **(context or {})})
        rows.append(
            {
                "recipient": user.email,
                "user_id": user.id,
                "template": template[:100],
                "subject": parts.subject[:300],
                "body_text": parts.text,
                "body_html": parts.html,
                "sensitive": False,
                "attempts": 0,
                "status": MailStatus.QUEUED,
                "next_attempt_at": now,
                "created_at": now,
            }
        )
    if not rows:
        return []
    ids = list(db.session.scalars(insert(OutgoingMail).returning(OutgoingMail.id), rows))
    for mail_id in ids:
        after_commit(QUEUED_KEY, mail_id)
    return ids


def count_sent(mail_ids: list[int]) -> int:
    """How many of these messages have left (after the commit that queued them)."""
    if not mail_ids:
        return 0
    return db.session.scalar(
        select(func.count()).where(
            OutgoingMail.id.in_(mail_ids), OutgoingMail.status == MailStatus.SENT
        )
    )
