"""Helpers of the assessment pages: scoped loading, the current user, form errors."""

from __future__ import annotations

from flask import abort
from flask_login import current_user

from assessments.models import Assessment
from assessments.permissions import can_view_assessments
from assessments.services.common import active_enrolment
from courses.models import Course
from lms.db import db


def user():
    return current_user._get_current_object()


def require(allowed: bool) -> None:
    """Answer 404 when the user may not see the object: its existence is private."""
    if not allowed:
        abort(404)


def course_or_404(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    require(course is not None)
    return course


def assessment_or_404(assessment_id: int) -> tuple[Assessment, Course]:
    assessment = db.session.get(Assessment, assessment_id)
    require(assessment is not None)
    return assessment, db.session.get(Course, assessment.course_id)


def staff_assessment_or_404(assessment_id: int) -> tuple[Assessment, Course]:
    """An assessment seen by its course's trainers and staff; 404 for anyone else."""
    assessment, course = assessment_or_404(assessment_id)
    require(can_view_assessments(user(), course))
    return assessment, course


def trainee_assessment_or_404(assessment_id: int) -> tuple[Assessment, Course]:
    """A published assessment of a course the user is enrolled in; 404 otherwise."""
    assessment, course = assessment_or_404(assessment_id)
    require(assessment.published and active_enrolment(assessment, user().id) is not None)
    return assessment, course


def apply_field_errors(form, fields: dict) -> bool:
    """Attach a service's field errors to a WTForm; True when any field took one."""
    placed = False
    for name, messages in fields.items():
        field = getattr(form, name, None)
        if field is not None and hasattr(field, "errors"):
            field.errors = list(field.errors) + [str(m) for m in messages]
            placed = True
    return placed


def int_or_none(value) -> int | None:
    value = (value or "").strip() if isinstance(value, str) else value
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
