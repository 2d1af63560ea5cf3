"""Who may read the audit trail (pure predicates); nobody may change it."""

from __future__ import annotations

from lms.accounts.permissions import is_admin


def can_view_audit(user) -> bool:
    """The whole change log, with who changed what: administrators."""
    return is_admin(user)
