"""Who may do what with accounts and API tokens, and the role predicates every package
builds on (pure functions of the user and the object)."""

from __future__ import annotations

from lms.accounts.models import Role

STAFF = (Role.ADMIN, Role.COORDINATOR)


def is_admin(user) -> bool:
    """Administrators manage accounts, organisations, standards and settings."""
    return user.is_authenticated and user.has_role(Role.ADMIN)


def is_staff(user) -> bool:
    """Coordinators and admins run the programme: the whole catalogue and every course."""
    return user.is_authenticated and user.has_role(*STAFF)


def is_trainer(user) -> bool:
    return user.is_authenticated and user.has_role(Role.TRAINER)


def is_assessor(user) -> bool:
    return user.is_authenticated and user.has_role(Role.ASSESSOR)


def is_trainee(user) -> bool:
    return user.is_authenticated and user.has_role(Role.TRAINEE)


def is_referent(user) -> bool:
    """A partner company's HR referent (always tied to one organisation)."""
    return (
        user.is_authenticated and user.has_role(Role.REFERENT) and user.organisation_id is not None
    )


def can_manage_users(user) -> bool:
    """Create, edit, import, deactivate accounts and send access links."""
    return is_admin(user)


def can_view_user(user, other) -> bool:
    """Oneself, or an administrator."""
    return user.is_authenticated and (user.id == other.id or is_admin(user))


def can_manage_token(user, token) -> bool:
    """A personal API token is managed by its owner only."""
    return user.is_authenticated and token.user_id == user.id
