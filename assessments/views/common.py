"""Scoped loaders of the assessment pages, built on the predicates (404 outside the user's
scope), and small form parsing helpers. The current user, 404 and form errors come from
lms.web."""

from __future__ import annotations

from assessments.models import Assessment
from assessments.permissions import can_take_assessment, can_view_assessment, can_view_questions
from courses.models import Course
from lms.db import db
from lms.web import get_or_404


def assessment_or_404(assessment_id: int, visible=can_view_assessment) -> tuple[Assessment, Course]:
    """An assessment the user may see (its course's graders, or an enrolled trainee once
    published), with its course; 404 otherwise."""
    assessment = get_or_404(Assessment, assessment_id, visible=visible)
    return assessment, db.session.get(Course, assessment.course_id)


def staff_assessment_or_404(assessment_id: int) -> tuple[Assessment, Course]:
    """An assessment seen by its course's trainers and staff; 404 for anyone else."""
    return assessment_or_404(assessment_id, visible=can_view_questions)


def trainee_assessment_or_404(assessment_id: int) -> tuple[Assessment, Course]:
    """A published assessment of a course the user is enrolled in; 404 otherwise."""
    return assessment_or_404(assessment_id, visible=can_take_assessment)


def int_or_none(value) -> int | None:
    """A whole number typed in a form, or None."""
    value = (value or "").strip() if isinstance(value, str) else value
    try:
        return int(value) if value not in (None, "") else None
    except (TypeError, ValueError):
        return None
