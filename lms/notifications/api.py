"""Notification routes of the JSON API: the caller's own notifications, marked read."""

from __future__ import annotations

from marshmallow import Schema, fields

from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.notifications import services
from lms.notifications.models import Notification
from lms.notifications.permissions import is_notification_owner
from lms.notifications.views import link_of
from lms.security import login_required
from lms.web import acting_user, get_or_404


class NotificationSchema(Schema):
    id = fields.Integer()
    kind = fields.String()
    title = fields.Function(services.title_of)
    text = fields.Function(services.text_of)
    url = fields.Function(link_of, allow_none=True)
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)


class NotificationQuerySchema(Schema):
    unread = fields.Boolean(load_default=False)


@api.get("/notifications")
@login_required
@endpoint(
    query=NotificationQuerySchema,
    response=NotificationSchema,
    paginated=True,
    summary="The caller's notifications, newest first",
)
def notifications_list(args):
    return services.list_for(acting_user(), unread_only=args.get("unread", False))


@api.post("/notifications/<int:notification_id>/read")
@login_required
@endpoint(response=NotificationSchema, summary="Mark one of the caller's notifications read")
def notifications_read(notification_id: int):
    row = get_or_404(Notification, notification_id, visible=is_notification_owner)
    services.mark_read(acting_user(), row)
    db.session.commit()
    return row
