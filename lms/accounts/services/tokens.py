"""Personal API tokens: creation, revocation, lookup and listing."""

from __future__ import annotations

import datetime as dt
import secrets

from flask_babel import gettext as _
from sqlalchemy import select

from lms.accounts.models import ApiToken, User
from lms.accounts.permissions import can_create_token, can_manage_token, can_view_tokens, is_system
from lms.accounts.services.passwords import _token_hash
from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import ValidationFailed
from lms.permissions import require, require_actor

TOKEN_PREFIX = "lms_"  # noqa: S105 - a public prefix, not a secret


def create_api_token(actor: User, name: str, *, owner: User | None = None) -> tuple[ApiToken, str]:
    """Create a personal API token of owner (the actor themself unless the system account acts
    for the CLI); the raw value is returned once and stored hashed."""
    require_actor(actor)
    user = owner if owner is not None else actor
    require(can_create_token(actor, user))
    name = (name or "").strip()
    if not name:
        msg = _("Give the token a name, so you can recognise it later.")
        raise ValidationFailed(msg, {"name": [msg]})
    raw = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        user_id=user.id,
        name=name[:100],
        prefix=raw[:12],
        token_hash=_token_hash(raw),
        created_at=utcnow(),
    )
    db.session.add(token)
    db.session.flush()
    record(
        actor,
        "api_token.create",
        "api_token",
        token.id,
        after={"name": token.name, "prefix": token.prefix},
    )
    return token, raw


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


def user_for_api_token(raw: str) -> User | None:
    """The active user owning an active token, marking the token as used."""
    if not raw or not raw.startswith(TOKEN_PREFIX):
        return None
    token = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _token_hash(raw)))
    if token is None or token.revoked_at is not None:
        return None
    user = db.session.get(User, token.user_id)
    if user is None or not user.active or is_system(user):
        return None
    now = utcnow()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=5):
        token.last_used_at = now
    return user


def list_api_tokens(actor: User, owner: User):
    """The owner's API tokens, newest first (their names and prefixes, never the values)."""
    require_actor(actor)
    require(can_view_tokens(actor, owner))
    return select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())
