"""Login sessions kept on the server: started at login, checked on every request, ended by
logout, password change, deactivation, "log out everywhere", idleness or age.

The browser's cookie (and the remember-me cookie) carries a random session id inside
Flask-Login's user id; the database keeps its SHA-256. A copied cookie stops working as soon
as its session ends, which a signed client-side cookie alone cannot do."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from sqlalchemy import select, update
from sqlalchemy.orm import contains_eager

from lms.accounts.models import User, UserSession
from lms.accounts.permissions import can_manage_sessions
from lms.audit.services import record
from lms.db import db, execute_aside, utcnow
from lms.permissions import require, require_actor
from lms.validation import without_controls

# "Last seen" is written at most this often.
SEEN_EVERY = dt.timedelta(minutes=1)


def _hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _limits(remember: bool) -> tuple[dt.timedelta, dt.timedelta]:
    """(idle timeout, absolute lifetime) from the settings."""
    cfg = current_app.config
    if remember:
        return (
            dt.timedelta(days=cfg["SESSION_REMEMBER_IDLE_DAYS"]),
            dt.timedelta(days=cfg["SESSION_REMEMBER_DAYS"]),
        )
    return (
        dt.timedelta(minutes=cfg["SESSION_IDLE_MINUTES"]),
        dt.timedelta(hours=cfg["SESSION_ABSOLUTE_HOURS"]),
    )


def start_session(
    user: User,
    *,
    remember: bool = False,
    user_agent: str = "",
    ip_address: str = "",
    now: dt.datetime | None = None,
) -> str:
    """Record a new login of user; returns the raw session id for the cookie."""
    now = now or utcnow()
    raw = secrets.token_urlsafe(32)
    _idle, lifetime = _limits(remember)
    db.session.add(
        UserSession(
            user_id=user.id,
            token_hash=_hash(raw),
            remember=remember,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
            user_agent=without_controls(user_agent or "")[:300],
            ip_address=without_controls(ip_address or "")[:45],
        )
    )
    db.session.flush()
    return raw


def alive(user_id: int, raw: str, *, now: dt.datetime | None = None) -> UserSession | None:
    """The live session of this raw id for this user, or None (unknown, ended, idle too
    long, too old), with its user and the user's roles loaded: one query on every request.
    A live session's "last seen" is saved at most once a minute."""
    if not raw:
        return None
    row = (
        db.session.scalars(
            select(UserSession)
            .join(UserSession.user)
            .where(UserSession.token_hash == _hash(raw), UserSession.user_id == user_id)
            .options(contains_eager(UserSession.user).joinedload(User.role_rows))
        )
        .unique()
        .first()
    )
    now = now or utcnow()
    if row is None or row.ended_at is not None:
        return None
    idle, _lifetime = _limits(row.remember)
    if now >= row.expires_at or now - row.last_seen_at >= idle:
        return None
    if now - row.last_seen_at >= SEEN_EVERY:
        execute_aside(
            update(UserSession)
            .where(UserSession.id == row.id, UserSession.last_seen_at <= now - SEEN_EVERY)
            .values(last_seen_at=now)
        )
    return row


def end_session(actor: User, row: UserSession, *, reason: str = "logout") -> None:
    """End one session (logout, or "end" on the sessions page)."""
    require_actor(actor)
    require(can_manage_sessions(actor, row.user_id), private=True)
    if row.ended_at is not None:
        return
    row.ended_at, row.end_reason = utcnow(), reason
    db.session.flush()
    record(actor, "session.end", "user", row.user_id, after={"session": row.id, "reason": reason})


def end_all_sessions(
    actor: User, user: User, *, reason: str, keep: UserSession | None = None
) -> int:
    """End every live session of user but `keep` ("log out everywhere else"); returns how
    many ended."""
    require_actor(actor)
    require(can_manage_sessions(actor, user.id), private=True)
    return end_sessions_of(actor, user, reason=reason, keep=keep)


def end_sessions_of(
    actor: User, user: User, *, reason: str, keep: UserSession | None = None
) -> int:
    """The same for services that already checked their own permission (deactivating an
    account, setting a password through a link)."""
    now = utcnow()
    rows = db.session.scalars(
        select(UserSession).where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
        )
    ).all()
    ended = [r for r in rows if keep is None or r.id != keep.id]
    for r in ended:
        r.ended_at, r.end_reason = now, reason
    db.session.flush()
    if ended:
        record(
            actor, "session.end_all", "user", user.id, after={"ended": len(ended), "reason": reason}
        )
    return len(ended)


def live_sessions(actor: User, user: User, *, now: dt.datetime | None = None) -> list[UserSession]:
    """The user's sessions that still work, most recently seen first."""
    require_actor(actor)
    require(can_manage_sessions(actor, user.id), private=True)
    now = now or utcnow()
    rows = db.session.scalars(
        select(UserSession)
        .where(
            UserSession.user_id == user.id,
            UserSession.ended_at.is_(None),
            UserSession.expires_at > now,
        )
        .order_by(UserSession.last_seen_at.desc())
    ).all()
    return [r for r in rows if now - r.last_seen_at < _limits(r.remember)[0]]
