"""Loaders and response views shared by the assessments API routes."""

from __future__ import annotations

from assessments.models import Assessment
from assessments.permissions import can_view_assessment, can_view_questions
from courses.models import Course
from lms.db import db
from lms.web import get_or_404


class View:
    """A model object with extra attributes for a response schema; the object's own
    attributes show through (so one schema describes both)."""

    def __init__(self, obj, **extra):
        self._obj = obj
        self.__dict__.update(extra)

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._obj, name)


def assessment_or_404(assessment_id: int, visible=can_view_assessment) -> Assessment:
    """An assessment the user may see (its course's graders, or enrolled trainees once it is
    published); 404 for anyone else."""
    return get_or_404(Assessment, assessment_id, visible=visible)


def graded_assessment_or_404(assessment_id: int) -> Assessment:
    """An assessment seen by its course's trainers and staff only; 404 for anyone else."""
    return assessment_or_404(assessment_id, visible=can_view_questions)


def course_of(assessment: Assessment) -> Course:
    return db.session.get(Course, assessment.course_id)
