"""Users: lookup, creation, changes, activation, language, login check and listing."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select

from lms.accounts.models import SYSTEM_EMAIL, Role, User, UserRole
from lms.accounts.passwords import hash_password, needs_rehash, verify_password
from lms.accounts.permissions import (
    can_create_user,
    can_deactivate_user,
    can_edit_user,
    can_manage_users,
    is_system,
)
from lms.accounts.services.passwords import _check_password
from lms.audit.services import changed, record, snapshot
from lms.db import db, utcnow
from lms.errors import Conflict, ValidationFailed
from lms.organisations.models import Organisation
from lms.permissions import require, require_actor
from lms.validation import optional_text, required_text, text_problem

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
    """Find a user by email, whatever its case (nobody, for a text no email can be)."""
    email = (email or "").strip().lower()
    if len(email) > 254 or text_problem(email, multiline=False):
        return None
    return db.session.scalar(select(User).where(User.email == email))


def _check_email_free(email: str, exclude_id: int | None = None) -> None:
    q = select(User.id).where(User.email == email)
    if exclude_id is not None:
        q = q.where(User.id != exclude_id)
    if db.session.scalar(q) is not None:
        msg = _("Another account already uses this email address.")
        raise ValidationFailed(msg, {"email": [msg]})


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
    full_name = required_text(full_name, "full_name", 200, name_like=True)
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
    full_name = required_text(full_name, "full_name", 200, name_like=True)
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
    if not active:
        from lms.accounts.services.sessions import end_sessions_of
        from lms.accounts.services.tokens import revoke_tokens_of

        end_sessions_of(actor, user, reason="account deactivated")
        revoke_tokens_of(actor, user, reason="account deactivated")
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
        search = optional_text(search, "q", 200, multiline=False)
        like = f"%{search.lower()}%"
        q = q.where(func.lower(User.full_name).like(like) | User.email.like(like))
    if role is not None:
        q = q.where(User.role_rows.any(UserRole.role == role))
    if organisation_id is not None:
        q = q.where(User.organisation_id == organisation_id)
    if active is not None:
        q = q.where(User.active.is_(active))
    return q


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


# --- the holder's data printed on certificates (issue) ---
TAX_CODE = re.compile(r"^[A-Z0-9]{16}$")


def set_holder_data(
    actor: User,
    user: User,
    *,
    birth_date: dt.date | None,
    birth_place: str | None,
    tax_code: str | None,
) -> User:
    """Date and place of birth and tax code (codice fiscale), each optional, audited."""
    require_actor(actor)
    require(can_edit_user(actor, user))
    fields = ["birth_date", "birth_place", "tax_code"]
    before = snapshot(user, fields)
    place = optional_text(birth_place, "birth_place", 120, name_like=True) or None
    code = (tax_code or "").strip().upper() or None
    if code is not None and not TAX_CODE.match(code):
        msg = _("The tax code has 16 letters and digits.")
        raise ValidationFailed(msg, {"tax_code": [msg]})
    user.birth_date, user.birth_place, user.tax_code = birth_date, place, code
    db.session.flush()
    b, a = changed(before, snapshot(user, fields))
    if a:
        record(actor, "user.holder_data", "user", user.id, b, a)
    return user
