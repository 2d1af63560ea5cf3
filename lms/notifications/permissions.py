"""Who may read and mark a notification: only the person it was written for."""

from __future__ import annotations

from lms.notifications.models import Notification


def is_notification_owner(user, notification: Notification) -> bool:
    return bool(user.is_authenticated) and notification.user_id == user.id


def can_read_notifications(user) -> bool:
    """Everyone logged in has a list of notifications (their own)."""
    return bool(user.is_authenticated)
