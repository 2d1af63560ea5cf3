"""Translated names of roles, for pages and exports."""

from flask_babel import lazy_gettext as _l

from lms.accounts.models import Role

ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.COORDINATOR: _l("Coordinator"),
    Role.TRAINER: _l("Trainer"),
    Role.ASSESSOR: _l("Assessor"),
    Role.TRAINEE: _l("Trainee"),
    Role.REFERENT: _l("Company referent"),
}


def role_label(role: Role | str) -> str:
    """The translated name of a role."""
    if isinstance(role, str):
        role = Role(role)
    return str(ROLE_LABELS[role])


def role_labels(user) -> str:
    """The translated names of a user's roles, in a stable order, separated by commas."""
    return ", ".join(role_label(r) for r in sorted(user.roles, key=lambda r: r.value))
