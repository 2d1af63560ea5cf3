"""Who may read and manage competence standards: pure predicates of the user and framework."""

from __future__ import annotations

from lms.accounts.permissions import is_admin
from lms.standards.models import Framework, FrameworkStatus


def can_view_standards(user) -> bool:
    """Everyone logged in reads frameworks, profiles and items."""
    return bool(user.is_authenticated)


def can_manage_standards(user) -> bool:
    """Admins create, import, publish and retire frameworks."""
    return is_admin(user)


def can_edit_framework(user, framework: Framework) -> bool:
    """Only a draft is edited; a published framework never changes."""
    return can_manage_standards(user) and framework.status == FrameworkStatus.DRAFT


def can_publish_framework(user, framework: Framework) -> bool:
    return can_edit_framework(user, framework)


def can_retire_framework(user, framework: Framework) -> bool:
    return can_manage_standards(user) and framework.status == FrameworkStatus.PUBLISHED


def can_version_framework(user, framework: Framework) -> bool:
    """A new version is copied from a published (or retired) framework."""
    return can_manage_standards(user) and framework.status != FrameworkStatus.DRAFT


def sees_draft_frameworks(user) -> bool:
    """Drafts are the admins' work: only they see them in lists and pages."""
    return can_manage_standards(user)


def can_view_framework(user, framework: Framework) -> bool:
    """Published and retired frameworks: everyone logged in; drafts: the admins."""
    if not can_view_standards(user):
        return False
    return framework.status != FrameworkStatus.DRAFT or sees_draft_frameworks(user)
