"""Personal API tokens: creation, revocation, lookup and listing."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_babel import gettext as _
from sqlalchemy import or_, select, update

from lms.accounts.models import ApiToken, User
from lms.accounts.permissions import can_create_token, can_manage_token, can_view_tokens, is_system
from lms.accounts.services.passwords import _token_hash
from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import ValidationFailed
from lms.permissions import require, require_actor
from lms.validation import required_text

TOKEN_PREFIX = "lms_"  # noqa: S105 - a public prefix, not a secret
DEFAULT_DAYS = 90
DAYS_CHOICES = (30, 90, 180, 365)
# "Last used" is written at most this often, in its own short transaction.
LAST_USED_EVERY = dt.timedelta(minutes=1)


def create_api_token(
    actor: User,
    name: str,
    *,
    owner: User | None = None,
    days: int = DEFAULT_DAYS,
    now: dt.datetime | None = None,
) -> tuple[ApiToken, str]:
    """Create a personal API token of owner (the actor themself unless the system account acts
    for the CLI), valid for `days` (30, 90, 180 or 365); the raw value is returned once and
    stored hashed."""
    require_actor(actor)
    user = owner if owner is not None else actor
    require(can_create_token(actor, user))
    name = (name or "").strip()
    if not name:
        msg = _("Give the token a name, so you can recognise it later.")
        raise ValidationFailed(msg, {"name": [msg]})
    name = required_text(name, "name", 100, name_like=True)
    if days not in DAYS_CHOICES:
        msg = _("Choose how long the token lasts: 30, 90, 180 or 365 days.")
        raise ValidationFailed(msg, {"days": [msg]})
    now = now or utcnow()
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:100],
        prefix=raw[:12],
        token_hash=_token_hash(raw),
        created_at=now,
        expires_at=now + dt.timedelta(days=days),
    )
    db.session.add(token)
    db.session.flush()
    record(
        actor,
        "api_token.create",
        "api_token",
        token.id,
        after={"name": token.name, "prefix": token.prefix, "expires_at": token.expires_at},
    )
    return token, raw


def revoke_tokens_of(actor: User, user: User, *, reason: str) -> int:
    """Revoke every active token of a user (on a password change); returns how many."""
    now = utcnow()
    tokens = db.session.scalars(
        select(ApiToken).where(
            ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None), ApiToken.expires_at > now
        )
    ).all()
    for token in tokens:
        token.revoked_at = now
    db.session.flush()
    for token in tokens:
        record(
            actor,
            "api_token.revoke",
            "api_token",
            token.id,
            before={"revoked": False},
            after={"revoked": True},
            reason=reason,
        )
    return len(tokens)


def revoke_api_token(actor: User, token: ApiToken) -> None:
    """Revoke a token; it stops working at once."""
    require_actor(actor)
    require(can_manage_token(actor, token), private=True)
    if token.revoked_at is not None:
        return
    token.revoked_at = utcnow()
    db.session.flush()
    record(
        actor,
        "api_token.revoke",
        "api_token",
        token.id,
        before={"revoked": False},
        after={"revoked": True},
    )


def user_for_api_token(raw: str, *, now: dt.datetime | None = None) -> User | None:
    """The active user owning an active, unexpired token; the token's "last used" is saved."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(raw)))
    now = now or utcnow()
    if token is None or not token.active_at(now):
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.active or is_system(user):
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_EVERY:
        _mark_used(token.id, now)
    return user


def _mark_used(token_id: int, now: dt.datetime) -> None:
    """Save "last used" in a transaction of its own: read requests never commit theirs, and a
    request that fails must not lose it. The WHERE keeps it to once a minute across processes."""
    with db.engine.begin() as conn:
        conn.execute(
            update(ApiToken)
            .where(
                ApiToken.id == token_id,
                or_(
                    ApiToken.last_used_at.is_(None), ApiToken.last_used_at <= now - LAST_USED_EVERY
                ),
            )
            .values(last_used_at=now)
        )


def list_api_tokens(actor: User, owner: User):
    """The owner's API tokens, newest first (their names and prefixes, never the values)."""
    require_actor(actor)
    require(can_view_tokens(actor, owner))
    return select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())
