"""Scoped loaders of the course pages and the API: an object outside the user's scope is a
404, exactly like a missing one (the rule is a courses.permissions predicate)."""

from __future__ import annotations

import decimal
from collections.abc import Callable

from courses.models import Course, Enrolment, Lesson, Module
from lms.db import db
from lms.web import get_or_404

Visible = Callable[[object, object], bool] | None


def module_or_404(module_id: int, visible: Visible = None) -> Module:
    return get_or_404(Module, module_id, visible=visible)


def course_or_404(course_id: int, visible: Visible = None) -> Course:
    return get_or_404(Course, course_id, visible=visible)


def lesson_or_404(lesson_id: int, visible: Visible = None) -> tuple[Lesson, Course]:
    lesson = get_or_404(Lesson, lesson_id, visible=visible)
    return lesson, db.session.get(Course, lesson.course_id)


def enrolment_or_404(enrolment_id: int, visible: Visible = None) -> tuple[Enrolment, Course]:
    enrolment = get_or_404(Enrolment, enrolment_id, visible=visible)
    return enrolment, db.session.get(Course, enrolment.course_id)


def hours_to_minutes(value) -> int:
    """Hours typed in a form (decimals allowed) as whole minutes."""
    return int((decimal.Decimal(value) * 60).to_integral_value(decimal.ROUND_HALF_UP))
