"""The assessments block of the trainee's course page (courses' page, filled through
lms.navigation.add_block): the course's published assessments with the trainee's state, and
the released grade for the trainee only. One query."""

from __future__ import annotations

from sqlalchemy import select

from assessments.models import Assessment, Grade, GradeStatus
from assessments.services.results.lists import MyAssessment
from courses.models import Course, Enrolment
from courses.permissions import can_view_trainee_course
from lms.db import db
from lms.permissions import require, require_actor


def assessments_of_enrolment(viewer, enrolment: Enrolment) -> list[MyAssessment]:
    """The published assessments of the enrolment's course with the trainee's state; the grade
    only for the trainee, once released (a referent never sees grades)."""
    require_actor(viewer)
    require(can_view_trainee_course(viewer, enrolment), private=True)
    course = db.session.get(Course, enrolment.course_id)
    # one query: each published assessment with the trainee's grade, if any (one per pair)
    rows = db.session.execute(
        select(Assessment, Grade)
        .outerjoin(
            Grade,
            (Grade.assessment_id == Assessment.id) & (Grade.trainee_id == enrolment.user_id),
        )
        .where(Assessment.course_id == course.id, Assessment.published.is_(True))
        .order_by(Assessment.closes_at, Assessment.id)
    ).all()
    own = viewer.id == enrolment.user_id
    out = []
    for a, g in rows:
        status = g.status if g else GradeStatus.NOT_SUBMITTED
        if status in (GradeStatus.IN_GRADING, GradeStatus.GRADED):
            status = GradeStatus.SUBMITTED  # grading drafts stay private
        shown = g if (own and status == GradeStatus.RELEASED) else None
        out.append(MyAssessment(a, course, shown, status))
    return out
