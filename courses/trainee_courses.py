"""A trainee's own courses with their attendance (the "my courses" page), by the rules of
courses.attendance, in a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from courses.attendance import (
    AttendanceSummary,
    Eligibility,
    eligibility_from,
    lessons_of,
    records_of,
    summarise,
)
from courses.models import Course, CourseStatus, Enrolment, Lesson
from lms.accounts.models import User
from lms.db import db, utcnow


@dataclass
class TraineeCourse:
    enrolment: Enrolment
    course: Course
    summary: AttendanceSummary
    eligibility: Eligibility
    next_lesson: Lesson | None


def courses_of_trainee(user: User, now: dt.datetime | None = None) -> list[TraineeCourse]:
    """A trainee's enrolments with their attendance, in a fixed number of queries."""
    now = now or utcnow()
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .join(Enrolment.course)
            # the pages show titles, dates and progress: the course's trainers are not loaded
            .options(contains_eager(Enrolment.course).lazyload(Course.trainer_links))
            # a draft course is not shown to its trainees
            .where(Enrolment.user_id == user.id, Course.status != CourseStatus.DRAFT)
            .order_by(Course.start_date.desc(), Course.id)
        ).unique()
    )
    lessons = lessons_of([e.course_id for e in enrolments])
    records = records_of([e.id for e in enrolments])
    out = []
    for e in enrolments:
        summary = summarise(e, lessons[e.course_id], records[e.id], now)
        upcoming = [
            s
            for s in lessons[e.course_id]
            if not s.is_cancelled and s.ends_at > now and e.counts_on(s.date)
        ]
        out.append(
            TraineeCourse(
                e,
                e.course,
                summary,
                eligibility_from(e.course, summary),
                upcoming[0] if upcoming else None,
            )
        )
    return out
