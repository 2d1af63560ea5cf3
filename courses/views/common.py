"""Helpers of the course pages: scoped loading, form errors, breadcrumbs."""

from __future__ import annotations

import decimal

from flask import abort
from flask_login import current_user

from courses.models import Course, Lesson
from lms.db import db
from lms.errors import ValidationFailed


def apply_field_errors(form, err: ValidationFailed, aliases: dict | None = None) -> bool:
    """Attach a service's field errors to the form; True when any field took one."""
    placed = False
    for name, messages in err.fields.items():
        name = (aliases or {}).get(name, name)
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [str(m) for m in messages]
            placed = True
    return placed


def course_or_404(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    return course


def lesson_or_404(lesson_id: int) -> tuple[Lesson, Course]:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        abort(404)
    return lesson, db.session.get(Course, lesson.course_id)


def require(allowed: bool) -> None:
    """Answer 404 when the user may not see the object: its existence is private."""
    if not allowed:
        abort(404)


def hours_to_minutes(value) -> int:
    return int((decimal.Decimal(value) * 60).to_integral_value(decimal.ROUND_HALF_UP))


def user():
    return current_user._get_current_object()
