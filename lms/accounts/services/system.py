"""The built-in system account the CLI and the demo act as."""

from __future__ import annotations

from sqlalchemy import select

from lms.accounts.models import SYSTEM_EMAIL, Role, User, UserRole
from lms.db import db


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
