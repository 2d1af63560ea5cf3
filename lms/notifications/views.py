"""The notifications page (/notifiche) and the unread count shown in every page's header."""

from __future__ import annotations

from flask import Flask, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from werkzeug.routing import BuildError

from lms.db import db
from lms.notifications import bp, services
from lms.notifications.models import Notification
from lms.notifications.permissions import is_notification_owner
from lms.security import login_required
from lms.web import acting_user, get_or_404

PER_PAGE = 20


def link_of(row: Notification) -> str | None:
    """Where the notification leads, or None when its page is not (or no longer) there."""
    if not row.link_endpoint:
        return None
    try:
        return url_for(row.link_endpoint, **(row.link_args or {}))
    except BuildError:
        return None


def init_app(app: Flask) -> None:
    """Register the table, the pages, the API routes, the predicates and the header count:
    every page gets the logged-in user's unread count, in one query."""
    from lms.notifications import api as _api  # noqa: F401 - routes on the API blueprint
    from lms.notifications import permissions
    from lms.permissions import expose

    app.register_blueprint(bp)
    expose(app, permissions)

    @app.context_processor
    def unread_notifications():
        if not current_user.is_authenticated:
            return {}
        return {"unread_notifications": services.unread_count(acting_user())}


@bp.get("/notifiche")
@login_required
def index():
    query = services.list_for(acting_user())
    pager = db.paginate(query, per_page=PER_PAGE, max_per_page=100, error_out=False)
    rows = [
        {
            "n": n,
            "title": services.title_of(n),
            "text": services.text_of(n),
            "link": link_of(n),
        }
        for n in pager.items
    ]
    return render_template("notifications/index.html", rows=rows, pager=pager)


@bp.post("/notifiche/<int:notification_id>/letta")
@login_required
def mark_read(notification_id: int):
    row = get_or_404(Notification, notification_id, visible=is_notification_owner)
    services.mark_read(acting_user(), row)
    db.session.commit()
    flash(_("The notification is marked as read."), "success")
    return redirect(url_for("notifications.index"), 303)


@bp.post("/notifiche/lette")
@login_required
def mark_all_read():
    count = services.mark_all_read(acting_user())
    db.session.commit()
    flash(
        ngettext(
            "%(num)d notification marked as read.", "%(num)d notifications marked as read.", count
        ),
        "success",
    )
    return redirect(url_for("notifications.index"), 303)
