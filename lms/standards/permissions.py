"""Who may read and maintain competence frameworks (pure predicates)."""

from __future__ import annotations

from lms.accounts.permissions import is_staff


def can_view_standards(user) -> bool:
    """Frameworks and their items are public reference texts: any logged-in user."""
    return user.is_authenticated


def can_manage_standards(user) -> bool:
    """Register frameworks, profiles, competences, abilities and knowledge items: the staff who
    align modules and rubrics to them (coordinators and admins)."""
    return is_staff(user)
