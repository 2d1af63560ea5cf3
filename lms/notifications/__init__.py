"""In-app notifications: the list page, the API and the unread count in the page header.

The blueprint only; lms.create_app registers it with the views, the API routes and the
header count (lms.notifications.views.init_app).
"""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("notifications", __name__)
