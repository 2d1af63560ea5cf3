"""E-mailed access: invitations sent by an administrator and self-service password reset.

Both send the one-time link of lms.accounts.services.create_password_link, rendered in the
recipient's language and queued in the caller's transaction (lms.mail).
"""

from __future__ import annotations

import datetime as dt

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import Select, exists, func, select

from lms.accounts.models import SYSTEM_EMAIL, User
from lms.accounts.permissions import can_manage_users
from lms.accounts.services import create_password_link, get_user_by_email
from lms.audit.services import record
from lms.db import db, utcnow
from lms.errors import Conflict
from lms.mail.models import MailStatus, OutgoingMail
from lms.mail.services import notify
from lms.permissions import require
from lms.routing import absolute_url

INVITATION = "invitation"
PASSWORD_RESET = "password_reset"  # noqa: S105 - a template name


def _link_context(raw: str) -> dict:
    return {
        "link": absolute_url("accounts.set_password", token=raw),
        "hours": current_app.config["PASSWORD_RESET_HOURS"],
        "login_link": absolute_url("accounts.login"),
    }


def invite(actor: User, user: User, *, now: dt.datetime | None = None) -> OutgoingMail:
    """E-mail the person a welcome message with a one-time link to set their password."""
    require(can_manage_users(actor))
    if not user.active:
        raise Conflict(_("Reactivate the account first: a deactivated person cannot log in."))
    raw = create_password_link(actor, user)
    mail = notify(user, INVITATION, _link_context(raw), sensitive=True, now=now)
    record(actor, "user.invite", "user", user.id, after={"mail_id": mail.id})
    return mail


def _already_invited():
    return exists().where(
        OutgoingMail.user_id == User.id,
        OutgoingMail.template == INVITATION,
        OutgoingMail.status != MailStatus.FAILED,
    )


def uninvited_users(actor: User) -> Select:
    """Active accounts with no password that have never been sent an invitation."""
    require(can_manage_users(actor))
    return (
        select(User)
        .where(
            User.active.is_(True),
            User.password_hash.is_(None),
            User.email != SYSTEM_EMAIL,  # the CLI's built-in account is nobody to invite
            ~_already_invited(),
        )
        .order_by(func.lower(User.full_name), User.id)
    )


def count_uninvited(actor: User) -> int:
    """How many accounts invite_all would write to."""
    query = uninvited_users(actor)
    return db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))


def invite_all(actor: User, *, now: dt.datetime | None = None) -> list[OutgoingMail]:
    """Invite every active account without a password that has not been invited yet."""
    users = list(db.session.scalars(uninvited_users(actor)))
    return [invite(actor, user, now=now) for user in users]


def request_password_reset(email: str, *, now: dt.datetime | None = None) -> None:
    """Mail a one-time link to the active account with this address; silent otherwise.

    The caller answers the same whatever happens here, so that nobody can learn which
    addresses have an account. One message per account per PASSWORD_RESET_INTERVAL_MINUTES.
    """
    user = get_user_by_email(email)
    if user is None or not user.active:
        return
    now = now or utcnow()
    since = now - dt.timedelta(minutes=current_app.config["PASSWORD_RESET_INTERVAL_MINUTES"])
    recent = db.session.scalar(
        select(OutgoingMail.id).where(
            OutgoingMail.user_id == user.id,
            OutgoingMail.template == PASSWORD_RESET,
            OutgoingMail.created_at > since,
        )
    )
    if recent is not None:
        return
    raw = create_password_link(user, user)  # the person asks for their own link
    notify(user, PASSWORD_RESET, _link_context(raw), sensitive=True, now=now)
