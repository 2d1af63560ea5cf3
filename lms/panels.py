"""Navigation entries and dashboard panels of the platform's own pages."""

from __future__ import annotations

from flask import Flask
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from lms.accounts.models import Role, User, UserRole
from lms.audit.models import AuditEntry
from lms.audit.views import action_label, object_label
from lms.db import db
from lms.navigation import NavItem, Panel, add_nav, add_panel
from lms.organisations.forms import size_label
from lms.organisations.models import Organisation


def _is_admin(user) -> bool:
    return user.has_role(Role.ADMIN)


def _is_staff(user) -> bool:
    return user.has_role(Role.ADMIN, Role.COORDINATOR)


def _is_coordinator(user) -> bool:
    return user.has_role(Role.COORDINATOR)


def _is_referent(user) -> bool:
    return user.has_role(Role.REFERENT)


def admin_context(user) -> dict:
    """Counts of active people per role, organisations, accounts awaiting a password and
    the latest changes: five queries, whatever the data."""
    per_role = dict(
        db.session.execute(
            select(UserRole.role, func.count())
            .join(User, User.id == UserRole.user_id)
            .where(User.active.is_(True))
            .group_by(UserRole.role)
        ).all()
    )
    org_total, org_active = db.session.execute(
        select(func.count(Organisation.id), func.count(Organisation.id).filter(Organisation.active))
    ).one()
    pending = db.session.scalar(
        select(func.count(User.id)).where(User.active.is_(True), User.password_hash.is_(None))
    )
    latest = db.session.execute(
        select(AuditEntry, User.full_name)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(10)
    ).all()
    return {
        "role_counts": [(role, per_role.get(role, 0)) for role in Role],
        "org_total": org_total,
        "org_active": org_active,
        "pending_passwords": pending or 0,
        "latest": [
            {
                "entry": entry,
                "actor_name": name,
                "action": action_label(entry.action),
                "object": object_label(entry.object_type),
            }
            for entry, name in latest
        ],
    }


def coordinator_context(user) -> dict:
    """Active organisations with their number of active trainees, in one query."""
    trainee = User.role_rows.any(UserRole.role == Role.TRAINEE)
    rows = db.session.execute(
        select(Organisation.id, Organisation.name, Organisation.size_band, func.count(User.id))
        .outerjoin(
            User,
            and_(User.organisation_id == Organisation.id, User.active.is_(True), trainee),
        )
        .where(Organisation.active.is_(True))
        .group_by(Organisation.id, Organisation.name, Organisation.size_band)
        .order_by(func.lower(Organisation.name), Organisation.id)
    ).all()
    return {"organisations": rows}


def referent_context(user) -> dict:
    """The people of the referent's own organisation, and nobody else."""
    if user.organisation_id is None:
        return {"organisation": None, "employees": []}
    organisation = db.session.get(Organisation, user.organisation_id)
    employees = db.session.scalars(
        select(User)
        .where(User.organisation_id == user.organisation_id, User.id != user.id)
        .order_by(func.lower(User.full_name), User.id)
    ).all()
    return {"organisation": organisation, "employees": employees}


def init_app(app: Flask) -> None:
    """Register the platform's navigation entries and dashboard panels."""
    app.jinja_env.globals["size_band_label"] = size_label

    add_nav(app, NavItem("users.index", label=lambda: _("Users"), visible=_is_admin, order=900))
    add_nav(
        app,
        NavItem(
            "organisations.index",
            label=lambda: _("Organisations"),
            visible=_is_staff,
            order=910,
        ),
    )
    add_nav(
        app, NavItem("audit.index", label=lambda: _("Change log"), visible=_is_admin, order=920)
    )

    add_panel(
        app,
        Panel("dashboard/admin_panel.html", visible=_is_admin, context=admin_context, order=10),
    )
    add_panel(
        app,
        Panel(
            "dashboard/coordinator_organisations.html",
            visible=_is_coordinator,
            context=coordinator_context,
            order=20,
        ),
    )
    add_panel(
        app,
        Panel(
            "dashboard/referent_employees.html",
            visible=_is_referent,
            context=referent_context,
            order=30,
        ),
    )
