"""What attendance reveals: a course's report (scoped to the reader), one enrolment's
summary, a trainee's own courses. The rules themselves live in courses.attendance."""

from __future__ import annotations

import datetime as dt

from courses.attendance import (
    AttendanceSummary,
    CourseReport,
    Eligibility,
    attendance_summary,
    course_report,
    eligibility_from,
)
from courses.models import Course, Enrolment
from courses.permissions import can_view_course_report, can_view_enrolment, report_scope
from courses.trainee_courses import TraineeCourse, courses_of_trainee
from lms.accounts.models import User
from lms.db import db
from lms.permissions import require, require_actor


def attendance_report(
    actor: User, course: Course, *, now: dt.datetime | None = None
) -> tuple[CourseReport, int | None]:
    """The course's attendance report as the actor may see it, and the organisation it is
    limited to (None: everyone); others are told the course does not exist."""
    require_actor(actor)
    require(can_view_course_report(actor, course), private=True)
    scope = report_scope(actor, course)
    return course_report(course, organisation_id=scope, now=now), scope


def enrolment_attendance(
    actor: User, enrolment: Enrolment, *, now: dt.datetime | None = None
) -> tuple[AttendanceSummary, Eligibility]:
    """One enrolment's attendance summary and eligibility (the trainee, staff, the course's
    trainers, the referent of the trainee's company)."""
    require_actor(actor)
    require(can_view_enrolment(actor, enrolment), private=True)
    summary = attendance_summary(enrolment, now)
    return summary, eligibility_from(db.session.get(Course, enrolment.course_id), summary)


def my_courses(actor: User, *, now: dt.datetime | None = None) -> list[TraineeCourse]:
    """The actor's own enrolments with their attendance (nobody else's)."""
    require_actor(actor)
    return courses_of_trainee(actor, now)
