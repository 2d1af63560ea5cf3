"""Passwords: the length rule, changing one's own, and one-time password links."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import PasswordLink, User
from lms.accounts.passwords import MIN_LENGTH, hash_password, password_problems, verify_password
from lms.accounts.permissions import can_send_password_link
from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import NotFound, ValidationFailed
from lms.permissions import require, require_actor


def _check_password(password: str) -> None:
    """The length rule alone: for accounts made by the demo, the tests and the CLI."""
    if len(password or "") < MIN_LENGTH:
        msg = _("The password must be at least %(n)d characters long.", n=MIN_LENGTH)
        raise ValidationFailed(msg, {"password": [msg]})


def check_chosen_password(user: User, password: str, field: str = "new_password") -> None:
    """Every rule for a password a person chooses (lms.accounts.passwords.password_problems)."""
    problems = password_problems(
        password, name=user.full_name, email=user.email, current_hash=user.password_hash
    )
    if problems:
        raise ValidationFailed(problems[0], {field: problems})


def change_password(user: User, current: str, new: str, *, keep_tokens: bool = False) -> int:
    """Change one's own password after checking the current one. The API tokens are revoked
    too, unless the person keeps them explicitly; returns how many were revoked."""
    if not verify_password(user.password_hash, current):
        msg = _("The current password is not correct.")
        raise ValidationFailed(msg, {"current_password": [msg]})
    check_chosen_password(user, new)
    user.password_hash = hash_password(new)
    user.auth_version += 1
    db.session.flush()
    record(user, "user.password_change", "user", user.id)
    if keep_tokens:
        return 0
    from lms.accounts.services.tokens import revoke_tokens_of

    return revoke_tokens_of(user, user, reason="password change")


def _token_hash(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def create_password_link(actor: User, user: User) -> str:
    """Create a one-time link token for the user; returns the raw token (shown once).

    An administrator sends it to an active person; a person asking for a new password
    ("forgot password") acts as themself: ``create_password_link(user, user)``."""
    require_actor(actor)
    require(can_send_password_link(actor, user))
    raw = secrets.token_urlsafe(32)
    now = utcnow()
    hours = current_app.config["PASSWORD_RESET_HOURS"]
    db.session.add(
        PasswordLink(
            user_id=user.id,
            token_hash=_token_hash(raw),
            created_by_id=actor.id,
            created_at=now,
            expires_at=now + dt.timedelta(hours=hours),
        )
    )
    db.session.flush()
    record(actor, "user.password_link", "user", user.id, after={"expires_in_hours": hours})
    return raw


def find_password_link(raw: str) -> PasswordLink | None:
    """The unused, unexpired link for a raw token."""
    link = db.session.scalar(
        select(PasswordLink).where(PasswordLink.token_hash == _token_hash(raw or ""))
    )
    if link is None or link.used_at is not None or link.expires_at <= utcnow():
        return None
    return link


def use_password_link(raw: str, new_password: str) -> User:
    """Set the password through a one-time link; the link then stops working."""
    link = find_password_link(raw)
    if link is None:
        raise NotFound(_("This link is not valid: it may have expired or been used already."))
    user = db.session.get(User, link.user_id)
    check_chosen_password(user, new_password)
    user.password_hash = hash_password(new_password)
    user.auth_version += 1
    link.used_at = utcnow()
    # Any other outstanding link for this user stops working too.
    for other in db.session.scalars(
        select(PasswordLink).where(PasswordLink.user_id == user.id, PasswordLink.used_at.is_(None))
    ):
        other.used_at = link.used_at
    db.session.flush()
    record(user, "user.password_set", "user", user.id)
    from lms.accounts.services.sessions import end_sessions_of
    from lms.accounts.services.tokens import revoke_tokens_of

    revoke_tokens_of(user, user, reason="password set through a link")
    end_sessions_of(user, user, reason="password set through a link")
    return user
