"""Reads of grading: the grader check, the rubric, marks, history and submission of a grade,
and what a marker may see of them."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from assessments.models import (
    Assessment,
    Grade,
    GradeHistory,
    Mark,
    MarkerRole,
    Rubric,
    RubricCriterion,
    Submission,
)
from assessments.permissions import can_grade_assessment, can_view_mark
from assessments.services.common import active_enrolment, grade_of
from courses.attendance import eligibility
from courses.models import Course
from lms.db import db
from lms.errors import NotEligible, NotFound
from lms.permissions import require


def course_of(assessment: Assessment) -> Course:
    return db.session.get(Course, assessment.course_id)


def require_grader(actor, assessment: Assessment) -> Course:
    """Forbidden unless the actor grades this assessment's course; returns the course."""
    require(can_grade_assessment(actor, assessment))
    return course_of(assessment)


def assessment_rubric(assessment: Assessment) -> Rubric | None:
    return db.session.scalar(
        select(Rubric)
        .where(Rubric.assessment_id == assessment.id)
        .options(
            selectinload(Rubric.criteria).selectinload(RubricCriterion.levels),
            selectinload(Rubric.criteria).selectinload(RubricCriterion.framework_items),
        )
        .execution_options(populate_existing=True)
    )


def marks_of(grade: Grade) -> list[Mark]:
    return list(
        db.session.scalars(
            select(Mark)
            .where(Mark.grade_id == grade.id)
            .options(selectinload(Mark.levels), selectinload(Mark.marker))
            .order_by(Mark.role)
            .execution_options(populate_existing=True)
        )
    )


def grade_for_marking(actor, assessment: Assessment, trainee_id: int) -> Grade:
    """The grade a marker works on; observed tests get one on first use."""
    require_grader(actor, assessment)
    grade = grade_of(assessment, trainee_id)
    if grade is None:
        if active_enrolment(assessment, trainee_id) is None:
            raise NotFound()
        grade = grade_of(assessment, trainee_id, create=True)
    return grade


def check_final_eligibility(
    assessment: Assessment, trainee_id: int, now: dt.datetime | None = None
) -> None:
    """An observed final test (practical or oral) is only for trainees whose attendance meets
    the course's threshold, as the courses package counts it."""
    if not (assessment.is_final and assessment.is_observed):
        return
    enrolment = active_enrolment(assessment, trainee_id)
    if enrolment is None or not eligibility(enrolment, now).assessment.met:
        course = course_of(assessment)
        raise NotEligible(
            _(
                "This trainee's attendance is below %(pct)d%% of the course hours: they are not "
                "admitted to the final assessment.",
                pct=course.assessment_threshold_pct,
            )
        )


def my_role(actor, assessment: Assessment, marks: list[Mark]) -> MarkerRole | None:
    """Which mark the actor writes: their own, else the first free one; None when both marks
    of a double-marked grade belong to others."""
    by_role = {m.role: m for m in marks}
    for m in marks:
        if m.marker_id == actor.id:
            return m.role
    if MarkerRole.FIRST not in by_role:
        return MarkerRole.FIRST
    if not assessment.double_marking:
        return MarkerRole.FIRST  # single marking: the course's trainers share the one mark
    if MarkerRole.SECOND not in by_role:
        return MarkerRole.SECOND
    return None


def visible_marks(actor, assessment: Assessment, marks: list[Mark]) -> list[Mark]:
    """The marks the actor may read: with double marking, the other marker's stays hidden
    until both are complete, so the second marker grades blind."""
    return [m for m in marks if can_view_mark(actor, m, assessment, marks)]


def history_of(grade: Grade) -> list[GradeHistory]:
    return list(
        db.session.scalars(
            select(GradeHistory)
            .where(GradeHistory.grade_id == grade.id)
            .options(selectinload(GradeHistory.changed_by))
            .order_by(GradeHistory.changed_at, GradeHistory.id)
        )
    )


def visible_history(
    actor, assessment: Assessment, grade: Grade, marks: list[Mark]
) -> list[GradeHistory]:
    """The history a marker may read: while the second marker grades blind, only their own
    entries and the ones that carry no mark."""
    entries = history_of(grade)
    if visible_marks(actor, assessment, marks) == marks:
        return entries
    hidden = {m.id for m in marks if m.marker_id != actor.id}
    return [
        e
        for e in entries
        if e.mark_id not in hidden and not (e.changed_by_id != actor.id and e.mark_id)
    ]


def submission_for(grade: Grade) -> Submission | None:
    from assessments.models import SubmissionFile

    return db.session.scalar(
        select(Submission)
        .where(
            Submission.assessment_id == grade.assessment_id,
            Submission.trainee_id == grade.trainee_id,
        )
        .options(selectinload(Submission.files).selectinload(SubmissionFile.stored))
        .execution_options(populate_existing=True)
    )
