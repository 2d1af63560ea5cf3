"""Account operations: users, roles, passwords, one-time links and API tokens."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import SYSTEM_EMAIL, ApiToken, PasswordLink, Role, User, UserRole
from lms.accounts.passwords import MIN_LENGTH, hash_password, needs_rehash, verify_password
from lms.accounts.permissions import (
    can_create_token,
    can_create_user,
    can_deactivate_user,
    can_edit_user,
    can_manage_token,
    can_manage_users,
    can_send_password_link,
    can_view_tokens,
    is_system,
)
from lms.audit.services import changed, record, snapshot
from lms.db import db, utcnow
from lms.errors import Conflict, NotFound, ValidationFailed
from lms.organisations.models import Organisation
from lms.permissions import require, require_actor

USER_AUDIT_FIELDS = ["email", "full_name", "locale", "active", "organisation_id", "role_names"]


def _user_snapshot(user: User) -> dict:
    data = snapshot(user, ["email", "full_name", "locale", "active", "organisation_id"])
    data["role_names"] = sorted(r.value for r in user.roles)
    return data


def normalise_email(email: str) -> str:
    """Validate an email address and return it in lower case."""
    try:
        info = validate_email((email or "").strip(), check_deliverability=False)
    except EmailNotValidError as exc:
        raise ValidationFailed(
            _("The email address is not valid."), {"email": [_("The email address is not valid.")]}
        ) from exc
    return info.normalized.lower()


def get_user_by_email(email: str) -> User | None:
    """Find a user by email, whatever its case."""
    return db.session.scalar(select(User).where(User.email == (email or "").strip().lower()))


def _check_email_free(email: str, exclude_id: int | None = None) -> None:
    q = select(User.id).where(User.email == email)
    if exclude_id is not None:
        q = q.where(User.id != exclude_id)
    if db.session.scalar(q) is not None:
        msg = _("Another account already uses this email address.")
        raise ValidationFailed(msg, {"email": [msg]})


def _check_password(password: str) -> None:
    if len(password or "") < MIN_LENGTH:
        msg = _("The password must be at least %(n)d characters long.", n=MIN_LENGTH)
        raise ValidationFailed(msg, {"password": [msg]})


def _check_organisation(roles: set[Role], organisation_id: int | None) -> None:
    if Role.REFERENT in roles and organisation_id is None:
        msg = _("A company referent must belong to an organisation.")
        raise ValidationFailed(msg, {"organisation_id": [msg]})
    if organisation_id is not None and db.session.get(Organisation, organisation_id) is None:
        msg = _("The organisation does not exist.")
        raise ValidationFailed(msg, {"organisation_id": [msg]})


def _set_roles(user: User, roles: set[Role]) -> None:
    current = {r.role: r for r in user.role_rows}
    for role, row in current.items():
        if role not in roles:
            user.role_rows.remove(row)
    for role in roles - set(current):
        user.role_rows.append(UserRole(role=role))


def system_actor() -> User:
    """The built-in account that the CLI and the demo act as, created on first use.

    Commands run by an operator on the server (``flask lms create-admin``, ``token create``,
    ``demo``) have no logged-in person, yet every service takes an acting user and the audit
    trail names who did what. They act as this account: it holds the administrator role so
    the predicates let it set the platform up; it has no password, login and token checks
    refuse it and no password link or token can be made for it (so it can never be used to
    log in), and its reserved ``.invalid`` address cannot be given to a person. The
    predicates recognise it with ``is_system`` and refuse to let anyone edit it.
    """
    user = db.session.scalar(select(User).where(User.email == SYSTEM_EMAIL))
    if user is None:
        user = User(
            email=SYSTEM_EMAIL,
            full_name="Rencontrer LMS",
            locale="it",
            active=True,
            role_rows=[UserRole(role=Role.ADMIN)],
        )
        db.session.add(user)
        db.session.flush()  # built in, like a migration's seed row: no audit entry of its own
    return user


def create_user(
    actor: User,
    *,
    email: str,
    full_name: str,
    roles: set[Role],
    locale: str = "it",
    organisation_id: int | None = None,
    password: str | None = None,
    active: bool = True,
) -> User:
    """Create an account; without a password the user sets one through a one-time link."""
    require_actor(actor)
    require(can_create_user(actor))
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    if not full_name:
        msg = _("The full name is required.")
        raise ValidationFailed(msg, {"full_name": [msg]})
    if not roles:
        msg = _("Choose at least one role.")
        raise ValidationFailed(msg, {"roles": [msg]})
    if locale not in current_app.config["LANGUAGES"]:
        locale = "it"
    _check_email_free(email)
    _check_organisation(roles, organisation_id)
    user = User(
        email=email,
        full_name=full_name,
        locale=locale,
        organisation_id=organisation_id,
        active=active,
        role_rows=[],
    )
    if password is not None:
        _check_password(password)
        user.password_hash = hash_password(password)
    _set_roles(user, set(roles))
    db.session.add(user)
    db.session.flush()
    record(actor, "user.create", "user", user.id, None, _user_snapshot(user))
    return user


def update_user(
    actor: User,
    user: User,
    *,
    email: str,
    full_name: str,
    roles: set[Role],
    locale: str,
    organisation_id: int | None,
    active: bool,
) -> User:
    """Change an account's details and roles."""
    require_actor(actor)
    require(can_edit_user(actor, user))
    before = _user_snapshot(user)
    email = normalise_email(email)
    full_name = (full_name or "").strip()
    if not full_name:
        msg = _("The full name is required.")
        raise ValidationFailed(msg, {"full_name": [msg]})
    if not roles:
        msg = _("Choose at least one role.")
        raise ValidationFailed(msg, {"roles": [msg]})
    if user.id == actor.id and (Role.ADMIN not in roles or not active):
        raise Conflict(_("You cannot remove your own administrator role or deactivate yourself."))
    _check_email_free(email, exclude_id=user.id)
    _check_organisation(set(roles), organisation_id)
    user.email = email
    user.full_name = full_name
    user.locale = locale if locale in current_app.config["LANGUAGES"] else "it"
    user.organisation_id = organisation_id
    if user.active and not active:
        user.auth_version += 1
    user.active = active
    _set_roles(user, set(roles))
    db.session.flush()
    b, a = changed(before, _user_snapshot(user))
    if a:
        record(actor, "user.update", "user", user.id, b, a)
    return user


def set_active(actor: User, user: User, active: bool) -> User:
    """Deactivate or reactivate an account; deactivation ends its sessions and tokens."""
    require_actor(actor)
    require(can_edit_user(actor, user))
    if user.id == actor.id and not active:
        raise Conflict(_("You cannot deactivate your own account."))
    require(active or can_deactivate_user(actor, user))
    if user.active == active:
        return user
    user.active = active
    if not active:
        user.auth_version += 1
    db.session.flush()
    record(
        actor,
        "user.activate" if active else "user.deactivate",
        "user",
        user.id,
        {"active": not active},
        {"active": active},
    )
    return user


def set_locale(user: User, locale: str) -> None:
    """Store the user's preferred language."""
    if locale in current_app.config["LANGUAGES"] and user.locale != locale:
        record(user, "user.locale", "user", user.id, {"locale": user.locale}, {"locale": locale})
        user.locale = locale
        db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The active user with these credentials, or None (never saying which part was wrong)."""
    user = get_user_by_email(email)
    if user is None or is_system(user):
        verify_password(None, password)
        return None
    if not verify_password(user.password_hash, password) or not user.active:
        return None
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utcnow()
    db.session.flush()
    return user


def change_password(user: User, current: str, new: str) -> None:
    """Change one's own password after checking the current one."""
    if not verify_password(user.password_hash, current):
        msg = _("The current password is not correct.")
        raise ValidationFailed(msg, {"current_password": [msg]})
    _check_password(new)
    user.password_hash = hash_password(new)
    user.auth_version += 1
    db.session.flush()
    record(user, "user.password_change", "user", user.id)


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
    _check_password(new_password)
    user = db.session.get(User, link.user_id)
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
    return user


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


def list_users(
    actor: User,
    *,
    search: str = "",
    role: Role | None = None,
    organisation_id: int | None = None,
    active: bool | None = None,
):
    """A filtered select of users, ordered by name (administrators only)."""
    require_actor(actor)
    require(can_manage_users(actor))
    q = select(User).where(User.email != SYSTEM_EMAIL).order_by(func.lower(User.full_name), User.id)
    if search:
        like = f"%{search.strip().lower()}%"
        q = q.where(func.lower(User.full_name).like(like) | User.email.like(like))
    if role is not None:
        q = q.where(User.role_rows.any(UserRole.role == role))
    if organisation_id is not None:
        q = q.where(User.organisation_id == organisation_id)
    if active is not None:
        q = q.where(User.active.is_(active))
    return q


def list_api_tokens(actor: User, owner: User):
    """The owner's API tokens, newest first (their names and prefixes, never the values)."""
    require_actor(actor)
    require(can_view_tokens(actor, owner))
    return select(ApiToken).where(ApiToken.user_id == owner.id).order_by(ApiToken.id.desc())


@dataclass
class ImportRow:
    line: int
    data: dict[str, str]
    errors: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    rows: list[ImportRow]
    file_errors: list[str]

    @property
    def ok(self) -> bool:
        return not self.file_errors and all(not r.errors for r in self.rows)

    @property
    def bad_rows(self) -> list[ImportRow]:
        return [r for r in self.rows if r.errors]
