"""Helpers shared by the course services."""

from __future__ import annotations

from flask_babel import gettext as _

from courses.models import Course
from lms.errors import Conflict


def ensure_not_closed(course: Course) -> None:
    """A closed course is read-only."""
    if course.is_closed:
        raise Conflict(_("This course is closed: it can no longer be changed."))
