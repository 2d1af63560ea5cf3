"""Scoped loaders of the course pages and the API: an object outside the user's scope is a
404, exactly like a missing one (the rule is a courses.permissions predicate)."""

from __future__ import annotations

import decimal
from collections.abc import Callable

from sqlalchemy.orm import joinedload

from courses.models import Course, Enrolment, Lesson, Module
from lms.accounts.models import User
from lms.db import db
from lms.web import get_or_404

Visible = Callable[[object, object], bool] | None


def module_or_404(module_id: int, visible: Visible = None) -> Module:
    return get_or_404(Module, module_id, visible=visible)


def course_or_404(course_id: int, visible: Visible = None) -> Course:
    return get_or_404(Course, course_id, visible=visible)


def _with_course(model, ident: int, visible: Visible):
    # The course is loaded before the check and kept: the session's identity map holds rows
    # only while something refers to them, so the predicate's own lookup then costs nothing
    # (instead of a second SELECT after it).
    obj = db.session.get(model, ident)
    course = db.session.get(Course, obj.course_id) if obj is not None else None
    return get_or_404(model, ident, visible=visible), course


def lesson_or_404(lesson_id: int, visible: Visible = None) -> tuple[Lesson, Course]:
    return _with_course(Lesson, lesson_id, visible)


def enrolment_or_404(enrolment_id: int, visible: Visible = None) -> tuple[Enrolment, Course]:
    # As _with_course, and the trainee comes with the enrolment (no roles: pages about one
    # enrolment show none), kept while the enrolment refers to it: the predicates' and the
    # services' lookups of the trainee then cost nothing.
    obj = db.session.get(
        Enrolment, enrolment_id, options=[joinedload(Enrolment.user).lazyload(User.role_rows)]
    )
    course = db.session.get(Course, obj.course_id) if obj is not None else None
    return get_or_404(Enrolment, enrolment_id, visible=visible), course


def hours_to_minutes(value) -> int:
    """Hours typed in a form (decimals allowed) as whole minutes."""
    return int((decimal.Decimal(value) * 60).to_integral_value(decimal.ROUND_HALF_UP))
