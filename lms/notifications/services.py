"""In-app notifications: added in the caller's transaction (add and flush only), listed and
marked read by their owner; each may also leave as an e-mail through lms.mail after the commit.

Title and text are stored as their English msgid with the parameters, so that each reader sees
them in their own language, whatever language the person who caused them was using.
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import LazyString, gettext, lazy_gettext
from sqlalchemy import Select, func, insert, select, update

from lms.accounts.models import User
from lms.db import db, utcnow
from lms.mail.services import notify, notify_many
from lms.notifications.models import Notification
from lms.notifications.permissions import is_notification_owner
from lms.permissions import require, require_actor
from lms.routing import absolute_url

Text = str | LazyString


def _msgid(text: Text) -> tuple[str, dict]:
    """The English msgid and the parameters of a (lazy) string."""
    if isinstance(text, LazyString):
        return str(text._args[0]), dict(text._kwargs)
    return str(text), {}


def _plain(params: dict) -> dict:
    """Parameters as JSON can keep them (strings and numbers)."""
    return {k: v if isinstance(v, int | float) else str(v) for k, v in params.items()}


def _fields(kind, title, text, link_endpoint, link_args, now) -> dict:
    """The columns of a notification but its reader: msgids and their parameters."""
    title_id, params = _msgid(title)
    text_id, text_params = _msgid(text)
    return {
        "kind": kind[:100],
        "title": title_id[:300],
        "text": text_id[:2000],
        "params": _plain({**params, **text_params}),
        "link_endpoint": link_endpoint,
        "link_args": link_args or {},
        "created_at": now,
    }


def notify_in_app(
    user: User,
    kind: str,
    title: Text,
    text: Text = "",
    *,
    link_endpoint: str | None = None,
    link_args: dict | None = None,
    email: bool = True,
    now: dt.datetime | None = None,
) -> Notification:
    """Add a notification for a user (and queue its e-mail copy); add and flush only."""
    now = now or utcnow()
    row = Notification(user_id=user.id, **_fields(kind, title, text, link_endpoint, link_args, now))
    db.session.add(row)
    db.session.flush()
    if email and user.active and current_app.config.get("BASE_URL"):
        _email_copy(user, row, now)
    return row


def notify_in_app_many(
    users: list[User],
    kind: str,
    title: Text,
    text: Text = "",
    *,
    link_endpoint: str | None = None,
    link_args: dict | None = None,
    email: bool = True,
    now: dt.datetime | None = None,
) -> int:
    """The same notification for several users (one each), with their e-mail copies: one
    INSERT for the notifications and one for the mails, whatever the number of users. Each
    reader sees it in their own language; add only. Returns how many were added."""
    if not users:
        return 0
    now = now or utcnow()
    row = _fields(kind, title, text, link_endpoint, link_args, now)
    db.session.execute(insert(Notification), [{**row, "user_id": u.id} for u in users])
    if email and current_app.config.get("BASE_URL"):
        # The mail needs only what the notice shows, not the stored row.
        notice = Notification(**row)
        context = _notice_context(notice)
        notify_many([(u, context) for u in users if u.active], "notice", now=now)
    return len(users)


def _notice_context(row: Notification) -> dict:
    """What the generic notice mail shows for a notification (rendered in the reader's
    language by lms.mail)."""
    url = None
    if row.link_endpoint:
        try:
            url = absolute_url(row.link_endpoint, **(row.link_args or {}))
        except Exception:  # an endpoint this app does not have: the mail goes without link
            url = None
    return {
        "heading": lazy_gettext(row.title, **row.params),
        "paragraphs": [lazy_gettext(row.text, **row.params)] if row.text else [],
        "action_url": url or absolute_url("notifications.index"),
        "action_label": lazy_gettext("Open the page"),
    }


def _email_copy(user: User, row: Notification, now: dt.datetime) -> None:
    """The notification as an e-mail (the generic notice), in the user's language."""
    notify(user, "notice", _notice_context(row), now=now)


def title_of(row: Notification) -> str:
    """The title in the current language."""
    return gettext(row.title, **(row.params or {}))


def text_of(row: Notification) -> str:
    """The text in the current language (empty when there is none)."""
    return gettext(row.text, **(row.params or {})) if row.text else ""


def unread_count(actor: User) -> int:
    """How many of the actor's notifications are unread (one query)."""
    require_actor(actor)
    return db.session.scalar(
        select(func.count(Notification.id)).where(
            Notification.user_id == actor.id, Notification.read_at.is_(None)
        )
    )


def list_for(actor: User, *, unread_only: bool = False) -> Select:
    """The actor's notifications, newest first, as a select to paginate."""
    require_actor(actor)
    query = select(Notification).where(Notification.user_id == actor.id)
    if unread_only:
        query = query.where(Notification.read_at.is_(None))
    return query.order_by(Notification.created_at.desc(), Notification.id.desc())


def mark_read(
    actor: User, notification: Notification, *, now: dt.datetime | None = None
) -> Notification:
    """Mark one of the actor's own notifications read (another person's: not found)."""
    require_actor(actor)
    require(is_notification_owner(actor, notification), private=True)
    if notification.read_at is None:
        notification.read_at = now or utcnow()
        db.session.flush()
    return notification


def mark_all_read(actor: User, *, now: dt.datetime | None = None) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    require_actor(actor)
    result = db.session.execute(
        update(Notification)
        .where(Notification.user_id == actor.id, Notification.read_at.is_(None))
        .values(read_at=now or utcnow())
        .execution_options(synchronize_session="fetch")
    )
    db.session.flush()
    return result.rowcount or 0
