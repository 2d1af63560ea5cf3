"""Who may see and manage partner organisations and their people (pure predicates)."""

from __future__ import annotations

from lms.accounts.permissions import is_admin, is_referent, is_staff


def can_view_organisations(user) -> bool:
    """The list and pages of partner organisations: coordinators and admins."""
    return is_staff(user)


def can_view_organisation(user, org) -> bool:
    """One organisation's page: coordinators and admins, on any organisation."""
    return is_staff(user)


def can_manage_organisations(user) -> bool:
    """Register organisations: administrators."""
    return is_admin(user)


def can_edit_organisation(user, org) -> bool:
    """Change, deactivate or reactivate an organisation: administrators."""
    return is_admin(user)


def can_view_organisation_people(user, org) -> bool:
    """The people linked to an organisation: staff on any, a referent on their own only."""
    return is_staff(user) or (is_referent(user) and user.organisation_id == org.id)
