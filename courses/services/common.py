"""Helpers shared by the course services."""

from __future__ import annotations

from flask_babel import gettext as _

from courses.models import Course
from lms.errors import Conflict, ValidationFailed


def ensure_not_closed(course: Course) -> None:
    """A closed course is read-only."""
    if course.is_closed:
        raise Conflict(_("This course is closed: it can no longer be changed."))


def required_text(value: str | None, field: str, max_len: int | None = None) -> str:
    value = (value or "").strip()
    if not value:
        msg = _("This field is required.")
        raise ValidationFailed(msg, {field: [msg]})
    if max_len is not None and len(value) > max_len:
        msg = _("At most %(n)d characters.", n=max_len)
        raise ValidationFailed(msg, {field: [msg]})
    return value


def required_reason(reason: str | None, field: str = "reason") -> str:
    reason = (reason or "").strip()
    if len(reason) < 3:
        msg = _("Give a reason: it is kept in the audit trail.")
        raise ValidationFailed(msg, {field: [msg]})
    return reason[:500]
