"""Per-trainee attendance totals in one aggregate query, for pages that show only totals
(the gradebook): the rules of courses.attendance.summarise, without the per-lesson cells.

The attended minutes are summed in SQL (each record capped at its lesson's length, only
lessons held on or after the enrolment date and not after a withdrawal); the planned and held
minutes come from the lessons by date, with prefix sums.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_left, bisect_right
from itertools import accumulate

from sqlalchemy import case, func, or_, select

from courses.attendance import ATTENDED, AttendanceSummary, lesson_facts, lessons_of
from courses.models import AttendanceRecord, Course, Enrolment, EnrolmentStatus, Lesson
from lms.db import db


def attendance_totals(
    course: Course, enrolments: list[Enrolment], now: dt.datetime
) -> dict[int, AttendanceSummary]:
    """Each enrolment's planned, held and attended minutes and lessons (cells, excused,
    absent and unrecorded figures are left empty), by enrolment id; two queries."""
    facts = lesson_facts(lessons_of([course.id])[course.id], now)  # ordered by date
    dates = [f[1] for f in facts]
    planned = [0, *accumulate(f[2] for f in facts)]
    n_planned = list(range(len(facts) + 1))
    held = [0, *accumulate(f[2] if f[3] else 0 for f in facts)]
    n_held = [0, *accumulate(1 if f[3] else 0 for f in facts)]
    attended = _attended(course, {f[0]: f[2] for f in facts if f[3]})
    out = {}
    for e in enrolments:
        s = AttendanceSummary(enrolment_id=e.id)
        out[e.id] = s
        if e.status == EnrolmentStatus.WAITING:
            continue
        lo = bisect_left(dates, e.enrolled_on)
        hi = len(dates) if e.withdrawn_on is None else bisect_right(dates, e.withdrawn_on)
        if hi <= lo:
            continue
        s.planned_minutes, s.planned_lessons = planned[hi] - planned[lo], n_planned[hi] - lo
        s.held_minutes, s.held_lessons = held[hi] - held[lo], n_held[hi] - n_held[lo]
        s.attended_minutes, s.attended_lessons = attended.get(e.id, (0, 0))
    return out


def _attended(course: Course, lengths: dict[int, int]) -> dict[int, tuple[int, int]]:
    """Attended minutes and lessons by enrolment, over the held lessons given with their
    lengths (one aggregate query)."""
    if not lengths:
        return {}
    length = case(lengths, value=AttendanceRecord.lesson_id)
    counted = case((AttendanceRecord.minutes > length, length), else_=AttendanceRecord.minutes)
    q = (
        select(AttendanceRecord.enrolment_id, func.sum(counted), func.count())
        .join(Lesson, Lesson.id == AttendanceRecord.lesson_id)
        .join(Enrolment, Enrolment.id == AttendanceRecord.enrolment_id)
        .where(
            Enrolment.course_id == course.id,
            AttendanceRecord.lesson_id.in_(list(lengths)),
            AttendanceRecord.status.in_(list(ATTENDED)),
            AttendanceRecord.minutes > 0,
            Lesson.date >= Enrolment.enrolled_on,
            or_(Enrolment.withdrawn_on.is_(None), Lesson.date <= Enrolment.withdrawn_on),
        )
        .group_by(AttendanceRecord.enrolment_id)
    )
    return {eid: (int(total), int(n)) for eid, total, n in db.session.execute(q)}
