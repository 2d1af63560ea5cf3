"""The fast paths of the attendance rules give the same figures as the rules applied cell by
cell (issue 12): the aggregate totals of the gradebook and the per-page lesson facts."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import insert

from courses.attendance import course_report, lessons_of, records_of, summarise
from courses.attendance_totals import attendance_totals
from courses.models import ROME, AttendanceRecord, AttendanceSource, AttendanceStatus, Course
from courses.services.enrolments import withdraw
from courses.services.lessons import cancel_lesson
from lms.accounts.models import Role
from lms.db import db, utcnow

START = dt.date(2025, 1, 1)
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=ROME)
STATUSES = [
    AttendanceStatus.PRESENT,
    AttendanceStatus.LATE,
    AttendanceStatus.LEFT_EARLY,
    AttendanceStatus.ABSENT,
    AttendanceStatus.EXCUSED,
    None,  # no record
]
TOTALS = (
    "planned_minutes",
    "planned_lessons",
    "held_minutes",
    "held_lessons",
    "attended_minutes",
    "attended_lessons",
)


def _course(make):
    """Lessons past, future (one on the day of NOW, later in the day), cancelled and short;
    trainees enrolled late, withdrawn early or late; records of every kind, some with more
    minutes than their lesson lasts (a lesson shortened afterwards)."""
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer], start_date=START, end_date=dt.date(2025, 12, 31))
    days = [dt.date(2025, 2, 3) + dt.timedelta(weeks=i) for i in range(10)]
    days += [dt.date(2025, 6, 1), dt.date(2025, 7, 7)]
    lessons = [
        make.lesson(course, trainer=trainer, date=d, end="11:00" if i % 4 == 0 else "13:00")
        for i, d in enumerate(days)
    ]
    make.lesson(course, trainer=trainer, date=dt.date(2025, 6, 1), start="14:00", end="16:00")
    cancel_lesson(make.coordinator(), lessons[2], course, "Aula non disponibile")
    joined = [START, START, dt.date(2025, 3, 1), dt.date(2025, 3, 10), START, START]
    enrolments = [make.enrolment(course, enrolled_on=d) for d in joined]
    withdraw(make.coordinator(), enrolments[4], course, "Trasferito", on=dt.date(2025, 2, 20))
    withdraw(make.coordinator(), enrolments[5], course, "Trasferito", on=dt.date(2025, 4, 1))
    rows, now = [], utcnow()
    for li, lesson in enumerate(lessons):
        for ei, e in enumerate(enrolments):
            status = STATUSES[(li * 5 + ei * 3) % len(STATUSES)]
            if status is None:
                continue
            minutes = 0
            if status in (AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY):
                minutes = 60 + 30 * ((li + ei) % 6)  # up to 210: over the 2 h lessons
            elif status == AttendanceStatus.PRESENT:
                minutes = 240
            rows.append(
                dict(
                    lesson_id=lesson.id,
                    enrolment_id=e.id,
                    status=status,
                    minutes=minutes,
                    note="",
                    source=AttendanceSource.REGISTER,
                    created_at=now,
                    updated_at=now,
                )
            )
    db.session.execute(insert(AttendanceRecord), rows)
    db.session.commit()
    return db.session.get(Course, course.id), enrolments


def test_aggregate_totals_equal_the_rules_cell_by_cell(app, make):
    course, enrolments = _course(make)
    lessons = lessons_of([course.id])[course.id]
    records = records_of([e.id for e in enrolments])
    totals = attendance_totals(course, enrolments, NOW)
    seen = set()
    for e in enrolments:
        full = summarise(e, lessons, records[e.id], NOW)
        fast = totals[e.id]
        assert [getattr(fast, k) for k in TOTALS] == [getattr(full, k) for k in TOTALS]
        assert (fast.percentage, fast.planned_percentage) == (
            full.percentage,
            full.planned_percentage,
        )
        seen.add(full.attended_minutes)
    assert len(seen) > 3  # the trainees differ: the comparison means something


def test_report_figures_do_not_depend_on_the_precomputed_lesson_facts(app, make):
    course, enrolments = _course(make)
    report = course_report(course, now=NOW)
    lessons = lessons_of([course.id])[course.id]
    for row in report.rows:
        alone = summarise(row.enrolment, lessons, row.records, NOW)  # facts computed inside
        assert alone == row.summary
    assert {r.enrolment.id for r in report.rows} == {e.id for e in enrolments}
    assert any(s > 0 for s in (t.excused for t in report.totals.values()))
