"""Navigation entries and dashboard panels of the platform's own pages."""

from __future__ import annotations

from flask import Flask, request
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from lms.accounts.models import SYSTEM_EMAIL, Role, User, UserRole
from lms.accounts.permissions import can_manage_users
from lms.audit.models import AuditEntry
from lms.audit.permissions import can_view_audit
from lms.audit.views import action_label, object_label
from lms.dashboard.permissions import (
    sees_admin_panel,
    sees_coordinator_panel,
    sees_referent_panel,
)
from lms.db import db
from lms.navigation import NavItem, Panel, add_nav, add_panel
from lms.organisations.forms import size_label
from lms.organisations.models import Organisation
from lms.organisations.permissions import can_view_organisations
from lms.organisations.services import count_people_of, people_of
from lms.permissions import require
from lms.web import PageWindow


def admin_context(user) -> dict:
    """Counts of active people per role, organisations, accounts awaiting a password and
    the latest changes: two queries, whatever the data."""
    require(sees_admin_panel(user))
    people = (User.active.is_(True), User.email != SYSTEM_EMAIL)
    counters = db.session.execute(
        select(
            *(func.count().filter(UserRole.role == role) for role in Role),
            select(func.count(Organisation.id)).scalar_subquery(),
            select(func.count(Organisation.id))
            .where(Organisation.active.is_(True))
            .scalar_subquery(),
            select(func.count(User.id))
            .where(*people, User.password_hash.is_(None))
            .scalar_subquery(),
        )
        .select_from(UserRole)
        .join(User, User.id == UserRole.user_id)
        .where(*people)
    ).one()
    n_roles = len(Role)
    per_role = dict(zip(Role, counters[:n_roles], strict=True))
    org_total, org_active, pending = counters[n_roles:]
    latest = db.session.execute(
        select(AuditEntry, User.full_name, User.email)
        .outerjoin(User, User.id == AuditEntry.actor_id)
        .order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
        .limit(10)
    ).all()
    return {
        "role_counts": list(per_role.items()),
        "org_total": org_total,
        "org_active": org_active,
        "pending_passwords": pending or 0,
        "latest": [
            {
                "entry": entry,
                "actor_name": None if email == SYSTEM_EMAIL else name,
                "action": action_label(entry.action),
                "object": object_label(entry.object_type),
            }
            for entry, name, email in latest
        ],
    }


def coordinator_context(user) -> dict:
    """Active organisations with their number of active trainees, in one query."""
    require(sees_coordinator_panel(user))
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


PEOPLE_PAGE = 50  # people per page of the referent's panel, selected in SQL


def referent_context(user) -> dict:
    """The people of the referent's own organisation, and nobody else."""
    require(sees_referent_panel(user))
    organisation = db.session.get(Organisation, user.organisation_id)
    if organisation is None:
        return {"organisation": None, "employees": [], "pager": PageWindow(0, PEOPLE_PAGE, None)}
    window = PageWindow(
        count_people_of(user, organisation, exclude=user), PEOPLE_PAGE, request.args.get("persone")
    )
    employees = people_of(
        user, organisation, exclude=user, limit=window.limit, offset=window.offset
    )
    return {"organisation": organisation, "employees": employees, "pager": window}


def init_app(app: Flask) -> None:
    """Register the platform's navigation entries and dashboard panels."""
    app.jinja_env.globals["size_band_label"] = size_label

    add_nav(
        app, NavItem("users.index", label=lambda: _("Users"), visible=can_manage_users, order=900)
    )
    add_nav(
        app,
        NavItem(
            "organisations.index",
            label=lambda: _("Organisations"),
            visible=can_view_organisations,
            order=910,
        ),
    )
    add_nav(
        app,
        NavItem("audit.index", label=lambda: _("Change log"), visible=can_view_audit, order=920),
    )

    add_panel(
        app,
        Panel(
            "dashboard/admin_panel.html", visible=sees_admin_panel, context=admin_context, order=10
        ),
    )
    add_panel(
        app,
        Panel(
            "dashboard/coordinator_organisations.html",
            visible=sees_coordinator_panel,
            context=coordinator_context,
            order=20,
        ),
    )
    add_panel(
        app,
        Panel(
            "dashboard/referent_employees.html",
            visible=sees_referent_panel,
            context=referent_context,
            order=30,
        ),
    )
