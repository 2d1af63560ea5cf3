"""Which platform blocks of the dashboard a user sees (pure predicates)."""

from __future__ import annotations

from lms.accounts.permissions import is_admin, is_coordinator, is_referent


def can_view_dashboard(user) -> bool:
    """The home page: any logged-in user."""
    return user.is_authenticated


def sees_admin_panel(user) -> bool:
    """Counts of people and organisations and the latest changes: administrators."""
    return is_admin(user)


def sees_coordinator_panel(user) -> bool:
    """Active organisations with their trainees: coordinators."""
    return is_coordinator(user)


def sees_referent_panel(user) -> bool:
    """The people of one's own organisation: company referents."""
    return is_referent(user)
