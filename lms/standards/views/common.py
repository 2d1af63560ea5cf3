"""Scoped loaders and breadcrumbs of the standards pages (404 outside the reader's scope)."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from lms.db import db
from lms.standards.models import Framework, FrameworkItem, Profile
from lms.standards.permissions import can_view_framework
from lms.web import acting_user, get_or_404, require_visible


def framework_or_404(framework_id: int) -> Framework:
    """A framework the reader may see (drafts: admins only); 404 otherwise."""
    return get_or_404(Framework, framework_id, visible=can_view_framework)


def profile_or_404(profile_id: int) -> tuple[Profile, Framework]:
    profile = get_or_404(Profile, profile_id)
    framework = db.session.get(Framework, profile.framework_id)
    require_visible(can_view_framework(acting_user(), framework))
    return profile, framework


def item_or_404(item_id: int) -> tuple[FrameworkItem, Framework]:
    item = get_or_404(FrameworkItem, item_id)
    framework = db.session.get(Framework, item.framework_id)
    require_visible(can_view_framework(acting_user(), framework))
    return item, framework


def crumbs(framework: Framework | None = None, *extra) -> list[tuple[str, str | None]]:
    """Home / Competence frameworks / the framework / ... (the last one is the page)."""
    out = [
        (_("Home"), url_for("core.dashboard")),
        (_("Competence frameworks"), url_for("standards.index")),
    ]
    if framework is not None:
        out.append(
            (
                _("%(code)s, version %(version)s", code=framework.code, version=framework.version),
                url_for("standards.framework", framework_id=framework.id),
            )
        )
    return out + list(extra)
