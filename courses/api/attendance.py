"""Attendance through the API: a course's report, a lesson's register, self check-in."""

from __future__ import annotations

from types import SimpleNamespace

from courses.models import AttendanceSource
from courses.permissions import (
    can_check_in,
    can_view_attendance_reports,
    can_view_course_report,
    can_view_lessons,
    can_view_register,
    can_view_unsigned_registers,
)
from courses.schemas import (
    AttendanceRecordSchema,
    AttendanceWriteInSchema,
    CheckInSchema,
    CourseAttendanceSchema,
    LessonRegisterSchema,
    RegisterWriteResultSchema,
    UnsignedRegistersSchema,
)
from courses.services import checkin, registers, reports, unsigned
from courses.views.common import course_or_404, lesson_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import allowed_if
from lms.web import acting_user


@api.get("/courses/<int:course_id>/attendance")
@allowed_if(can_view_attendance_reports)
@endpoint(response=CourseAttendanceSchema, summary="A course's attendance report")
def api_course_attendance(course_id: int):
    """The attendance report of a course: trainees by lessons, with totals and eligibility."""
    course = course_or_404(course_id, can_view_course_report)
    report, _scope = reports.attendance_report(acting_user(), course)
    return report


def _register(lesson, **extra) -> SimpleNamespace:
    reg, rows = registers.lesson_register(acting_user(), lesson)
    return SimpleNamespace(lesson=lesson, register=reg, records=rows, **extra)


@api.get("/lessons/<int:lesson_id>/attendance")
@allowed_if(can_view_lessons)
@endpoint(response=LessonRegisterSchema, summary="A lesson's register")
def api_session_attendance(lesson_id: int):
    lesson, _course = lesson_or_404(lesson_id, can_view_register)
    return _register(lesson)


@api.put("/lessons/<int:lesson_id>/attendance")
@allowed_if(can_view_lessons)
@endpoint(
    body=AttendanceWriteInSchema,
    response=RegisterWriteResultSchema,
    summary="Write a lesson's attendance in bulk (optionally sign)",
)
def api_write_attendance(lesson_id: int, data):
    """Bulk write of a lesson's attendance: each line carries the record version it replaces."""
    lesson, course = lesson_or_404(lesson_id, can_view_register)
    u = acting_user()
    if data["sign"]:
        registers.check_can_sign(u, lesson)
    rows = [
        registers.RowInput(
            enrolment_id=line["enrolment_id"],
            status=line["status"],
            minutes=line["minutes"],
            note=line["note"],
            seen_version=line["version"] or 0,
        )
        for line in data["records"]
    ]
    changed = registers.save_register(
        u,
        lesson,
        course,
        rows,
        register_version=data["register_version"],
        source=AttendanceSource.API,
    )
    if data["sign"]:
        registers.sign_register(u, lesson, course)
    db.session.commit()
    return _register(lesson, changed=changed)


@api.get("/registers/unsigned")
@allowed_if(can_view_unsigned_registers)
@endpoint(response=UnsignedRegistersSchema, summary="Unsigned registers of past lessons")
def api_unsigned_registers():
    """A trainer's own lessons, or every lesson for coordinators; oldest first, first 20."""
    return unsigned.unsigned_registers(acting_user())


@api.post("/check-in")
@allowed_if(can_check_in)
@endpoint(body=CheckInSchema, response=AttendanceRecordSchema, status=201, summary="Check in")
def api_check_in(data):
    _lesson, rec = checkin.check_in(acting_user(), data["code"], lesson_id=data["lesson_id"])
    db.session.commit()
    return rec
