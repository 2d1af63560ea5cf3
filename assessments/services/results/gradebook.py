"""The course gradebook: trainees by assessments, the weighted result, pass or fail, and
attendance eligibility alongside."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import Row, Select, select

from assessments.models import Assessment, Grade, GradeStatus
from assessments.permissions import (
    can_view_gradebook,
    can_view_gradebooks,
    sees_all_assessment_work,
)
from assessments.scoring import passed, weighted_result
from courses.attendance import eligibility_from, report_enrolments
from courses.attendance_totals import attendance_totals
from courses.models import Course, CourseTrainer, Enrolment
from lms.accounts.models import User
from lms.db import db, utcnow
from lms.permissions import require

# --- the course gradebook ------------------------------------------------------------------


# What a gradebook cell holds of a grade (a plain row with these attributes).
GRADE_COLUMNS = (Grade.id, Grade.assessment_id, Grade.trainee_id, Grade.status, Grade.score)


@dataclass
class GradebookRow:
    trainee: User
    enrolment: Enrolment
    cells: dict[int, Row | None]  # assessment id -> GRADE_COLUMNS of the grade, or None
    result: Decimal | None
    complete: bool
    passed: bool | None  # None while some assessment has no grade yet
    eligible: bool
    attendance_pct: float | None  # over the hours held so far
    planned_pct: float = 0.0  # over the hours planned: what admission counts
    threshold_pct: int = 0  # the course's threshold for admission to the final assessment


@dataclass
class Gradebook:
    course: Course
    assessments: list[Assessment]
    rows: list[GradebookRow]
    released_only: bool = False


def _row_result(
    assessments: list[Assessment], cells: dict[int, Row | None], counted: set[GradeStatus]
) -> tuple[Decimal | None, bool, bool | None]:
    parts, complete, ok = [], True, True
    for a in assessments:
        g = cells.get(a.id)
        if g is None or g.status not in counted or g.score is None:
            complete = False
            continue
        parts.append((g.score, a.max_points, a.weight))
        ok = ok and bool(passed(g.score, a.pass_mark))
    result = weighted_result(parts) if parts else None
    return result, complete, (ok if complete else (False if not ok else None))


def gradebook(
    actor,
    course: Course,
    *,
    released_only: bool = False,
    organisation_id: int | None = None,
    now: dt.datetime | None = None,
) -> Gradebook:
    """Trainees by assessments with the weighted result, pass or fail and attendance
    eligibility alongside, in a fixed number of queries whatever the cohort size.

    The weighted result counts graded and released grades (released only when asked); a
    trainee passes when every assessment is graded and each reaches its pass mark. For the
    course's trainers and staff (404 for anyone else).
    """
    require(can_view_gradebook(actor, course), private=True)
    now = now or utcnow()
    assessments = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.course_id == course.id)
            .order_by(Assessment.closes_at, Assessment.id)
        )
    )
    enrolments = report_enrolments(course, organisation_id=organisation_id, include_withdrawn=False)
    # only totals are shown: one aggregate query, not the per-lesson attendance grid
    totals = attendance_totals(course, enrolments, now)
    grades: dict[tuple[int, int], Row] = {}
    if assessments:
        # plain rows (the columns the grid reads), not ORM objects: many times faster
        for g in db.session.execute(
            select(*GRADE_COLUMNS).where(Grade.assessment_id.in_([a.id for a in assessments]))
        ):
            grades[(g.trainee_id, g.assessment_id)] = g
    counted = (
        {GradeStatus.RELEASED} if released_only else {GradeStatus.GRADED, GradeStatus.RELEASED}
    )
    rows = []
    for e in enrolments:
        user, summary = e.user, totals[e.id]
        el = eligibility_from(course, summary)
        cells = {a.id: grades.get((user.id, a.id)) for a in assessments}
        result, complete, ok = _row_result(assessments, cells, counted)
        rows.append(
            GradebookRow(
                trainee=user,
                enrolment=e,
                cells=cells,
                result=result,
                complete=complete,
                passed=ok,
                eligible=el.assessment.met,
                attendance_pct=summary.percentage,
                planned_pct=summary.planned_percentage,
                threshold_pct=el.assessment.pct,
            )
        )
    return Gradebook(course=course, assessments=assessments, rows=rows, released_only=released_only)


def gradebook_courses(actor) -> Select:
    """The courses whose gradebook the actor may open, newest first: every course for staff,
    a trainer's own courses."""
    require(can_view_gradebooks(actor))
    q = select(Course).order_by(Course.start_date.desc(), Course.id)
    if not sees_all_assessment_work(actor):
        q = q.where(
            Course.id.in_(select(CourseTrainer.course_id).where(CourseTrainer.user_id == actor.id))
        )
    return q
