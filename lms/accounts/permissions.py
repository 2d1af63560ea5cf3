"""Who may do what with accounts, password links, API tokens and the CSV import, and the role
predicates every package builds on (pure functions of the user and the object).

The built-in system account (see :func:`lms.accounts.services.system_actor`) is the named
user the CLI and the demo act as: it holds the administrator role, cannot log in, and no
person may edit it, send it a password link or give it a token.
"""

from __future__ import annotations

from lms.accounts.models import SYSTEM_EMAIL, Role

STAFF = (Role.ADMIN, Role.COORDINATOR)


def is_system(user) -> bool:
    """The built-in account of the CLI and the demo (never a person; it cannot log in)."""
    return bool(user is not None and user.is_authenticated and user.email == SYSTEM_EMAIL)


def is_admin(user) -> bool:
    """Administrators manage accounts, organisations, standards and settings."""
    return user.is_authenticated and user.has_role(Role.ADMIN)


def is_staff(user) -> bool:
    """Coordinators and admins run the programme: the whole catalogue and every course."""
    return user.is_authenticated and user.has_role(*STAFF)


def is_coordinator(user) -> bool:
    return user.is_authenticated and user.has_role(Role.COORDINATOR)


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
    """Open the account pages: list, create, edit, import, deactivate, send access links."""
    return is_admin(user)


def can_create_user(user) -> bool:
    """Create an account (one by one or from a CSV file)."""
    return can_manage_users(user)


def can_import_users(user) -> bool:
    """Import accounts from a CSV file."""
    return can_manage_users(user)


def can_view_user(user, other) -> bool:
    """Oneself, or an administrator."""
    return user.is_authenticated and (user.id == other.id or is_admin(user))


def can_edit_user(user, other) -> bool:
    """Change an account's details, roles or state: administrators, never the system account."""
    return is_admin(user) and not is_system(other)


def can_deactivate_user(user, other) -> bool:
    """Deactivate an account: an administrator, on somebody else's account."""
    return can_edit_user(user, other) and user.id != other.id


def can_send_password_link(user, other) -> bool:
    """Create a one-time link to set a password: an administrator for an active person, or the
    person for themself (the self-service "forgot password")."""
    if is_system(other) or not other.active:
        return False
    return is_admin(user) or (user.is_authenticated and user.id == other.id)


def can_create_token(user, owner) -> bool:
    """A personal API token is created by its owner, or by the system account for the CLI."""
    if is_system(owner) or not owner.active:
        return False
    return user.is_authenticated and (user.id == owner.id or is_system(user))


def can_view_tokens(user, owner) -> bool:
    """One's own API tokens (their names and prefixes, never their values)."""
    return user.is_authenticated and user.id == owner.id


def can_manage_token(user, token) -> bool:
    """A personal API token is revoked by its owner (or by the system account)."""
    return user.is_authenticated and (token.user_id == user.id or is_system(user))


def can_manage_sessions(user, owner_id: int) -> bool:
    """A person sees and ends their own login sessions; an administrator (deactivating an
    account) and the system account end anyone's."""
    return user.is_authenticated and (user.id == owner_id or is_admin(user) or is_system(user))


def can_end_session(user, row) -> bool:
    """The sessions page lists and ends only one's own sessions."""
    return user.is_authenticated and row.user_id == user.id
