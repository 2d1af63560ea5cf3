"""JSON routes of the courses package under /api/v1/ (same flow as the views)."""

from __future__ import annotations

import datetime as dt

from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from courses.attendance import attendance_summary, course_report, eligibility_from
from courses.models import AttendanceStatus, Course, Enrolment, Lesson, LessonMode, Module
from courses.permissions import (
    can_edit_course,
    can_take_register,
    can_view_course,
    can_view_course_report,
    can_view_enrolment,
    can_view_register,
    is_staff,
    report_scope,
)
from courses.schemas import (
    AttendanceRecordSchema,
    CourseSchema,
    EnrolmentSchema,
    LessonSchema,
    ModuleDetailSchema,
    ModuleSchema,
    summary_json,
)
from courses.services import catalogue, enrolments, lessons, registers
from courses.services.courses import create_course, has_employees_of, list_courses_for
from lms.accounts.models import Role, User
from lms.api import blueprint as api
from lms.api.pagination import paginate
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import login_required, roles_required

STAFF = (Role.ADMIN, Role.COORDINATOR)


def _user():
    return current_user._get_current_object()


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        raise ValidationFailed(_("Send a JSON object."))
    return data


def _date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed(fields={field: [_("Use the date format YYYY-MM-DD.")]}) from exc


def _time(value, field: str) -> dt.time:
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError as exc:
        raise ValidationFailed(fields={field: [_("Use the time format HH:MM.")]}) from exc


def _int(value, field: str, *, required: bool = True) -> int | None:
    if value is None and not required:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationFailed(fields={field: [_("Enter a whole number.")]})
    return value


def _course(course_id: int) -> Course:
    course = db.session.get(Course, course_id)
    if course is None:
        abort(404)
    return course


def _lesson(lesson_id: int) -> tuple[Lesson, Course]:
    lesson = db.session.get(Lesson, lesson_id)
    if lesson is None:
        abort(404)
    return lesson, db.session.get(Course, lesson.course_id)


# --- modules -------------------------------------------------------------------------------


@api.get("/modules")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
def api_modules():
    return paginate(catalogue.list_modules(), ModuleSchema(), "api.api_modules")


@api.get("/modules/<int:module_id>")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
def api_module(module_id: int):
    module = db.first_or_404(
        select(Module).where(Module.id == module_id).options(selectinload(Module.framework_items))
    )
    return ModuleDetailSchema().dump(module)


@api.post("/modules")
@roles_required(*STAFF)
def api_create_module():
    data = _body()
    module = catalogue.create_module(
        _user(),
        code=data.get("code", ""),
        title=data.get("title", ""),
        topic_area=data.get("topic_area", ""),
        planned_minutes=_int(data.get("planned_minutes"), "planned_minutes"),
        description=data.get("description", ""),
        objectives=data.get("objectives", ""),
        framework_item_ids=data.get("framework_item_ids") or [],
    )
    db.session.commit()
    module = db.session.scalar(
        select(Module).where(Module.id == module.id).options(selectinload(Module.framework_items))
    )
    return ModuleDetailSchema().dump(module), 201


# --- courses -------------------------------------------------------------------------------


@api.get("/courses")
@login_required
def api_courses():
    u = _user()
    q = list_courses_for(u)
    if u.has_role(Role.TRAINEE) and not (is_staff(u) or u.has_role(Role.TRAINER, Role.REFERENT)):
        q = (
            select(Course)
            .where(Course.id.in_(select(Enrolment.course_id).where(Enrolment.user_id == u.id)))
            .order_by(Course.id)
        )
    return paginate(q, CourseSchema(), "api.api_courses")


def _visible_course(course_id: int) -> Course:
    course = _course(course_id)
    u = _user()
    own = u.has_role(Role.REFERENT) and has_employees_of(course, u.organisation_id)
    enrolled = (
        db.session.scalar(
            select(Enrolment.id).where(Enrolment.course_id == course.id, Enrolment.user_id == u.id)
        )
        is not None
    )
    if not (can_view_course(u, course) or own or enrolled):
        abort(404)
    return course


@api.get("/courses/<int:course_id>")
@login_required
def api_course(course_id: int):
    return CourseSchema().dump(_visible_course(course_id))


@api.post("/courses")
@roles_required(*STAFF)
def api_create_course():
    data = _body()
    course = create_course(
        _user(),
        title=data.get("title", ""),
        edition=data.get("edition", ""),
        description=data.get("description", ""),
        start_date=_date(data.get("start_date"), "start_date"),
        end_date=_date(data.get("end_date"), "end_date"),
        capacity=_int(data.get("capacity"), "capacity", required=False),
        assessment_threshold_pct=_int(
            data.get("assessment_threshold_pct", 70), "assessment_threshold_pct"
        ),
        certification_threshold_pct=_int(
            data.get("certification_threshold_pct", 75), "certification_threshold_pct"
        ),
        trainer_ids=data.get("trainer_ids") or [],
        module_ids=data.get("module_ids") or [],
    )
    db.session.commit()
    return CourseSchema().dump(course), 201


# --- lessons -------------------------------------------------------------------------------


@api.get("/courses/<int:course_id>/lessons")
@login_required
def api_lessons(course_id: int):
    course = _visible_course(course_id)
    q = select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.date, Lesson.start_time)
    return paginate(q, LessonSchema(), "api.api_lessons", course_id=course.id)


@api.post("/courses/<int:course_id>/lessons")
@roles_required(*STAFF)
def api_create_lessons(course_id: int):
    course = _course(course_id)
    if not can_edit_course(_user(), course):
        abort(404)
    data = _body()
    created = lessons.schedule_lessons(
        _user(),
        course,
        module_id=_int(data.get("module_id"), "module_id"),
        date=_date(data.get("date"), "date"),
        start_time=_time(data.get("start_time"), "start_time"),
        end_time=_time(data.get("end_time"), "end_time"),
        mode=data.get("mode", LessonMode.IN_PERSON.value),
        trainer_id=_int(data.get("trainer_id"), "trainer_id"),
        place=data.get("place", ""),
        link=data.get("link", ""),
        weeks=_int(data.get("weeks", 1), "weeks"),
    )
    db.session.commit()
    return {"items": LessonSchema().dump(created, many=True)}, 201


# --- enrolments ----------------------------------------------------------------------------


@api.get("/courses/<int:course_id>/enrolments")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.REFERENT)
def api_enrolments(course_id: int):
    course = _course(course_id)
    u = _user()
    own = u.has_role(Role.REFERENT) and has_employees_of(course, u.organisation_id)
    if not can_view_course_report(u, course, has_own_employees=own):
        abort(404)
    q = select(Enrolment).where(Enrolment.course_id == course.id).order_by(Enrolment.id)
    scope = report_scope(u, course)
    if scope is not None:
        q = q.join(User, User.id == Enrolment.user_id).where(User.organisation_id == scope)
    return paginate(q, EnrolmentSchema(), "api.api_enrolments", course_id=course.id)


@api.post("/courses/<int:course_id>/enrolments")
@roles_required(*STAFF)
def api_enrol(course_id: int):
    course = _course(course_id)
    data = _body()
    user = db.session.get(User, _int(data.get("user_id"), "user_id"))
    if user is None:
        raise ValidationFailed(fields={"user_id": [_("No such user.")]})
    e = enrolments.enrol(
        _user(), course, user, enrolled_on=_date(data.get("enrolled_on"), "enrolled_on")
    )
    db.session.commit()
    return EnrolmentSchema().dump(e), 201


@api.post("/enrolments/<int:enrolment_id>/withdraw")
@roles_required(*STAFF)
def api_withdraw(enrolment_id: int):
    e = db.get_or_404(Enrolment, enrolment_id)
    data = _body()
    enrolments.withdraw(
        _user(),
        e,
        _course(e.course_id),
        data.get("reason", ""),
        on=_date(data.get("withdrawn_on"), "withdrawn_on"),
    )
    db.session.commit()
    return EnrolmentSchema().dump(e)


@api.get("/enrolments/<int:enrolment_id>/attendance")
@login_required
def api_enrolment_attendance(enrolment_id: int):
    e = db.session.get(Enrolment, enrolment_id)
    if e is None:
        abort(404)
    course = _course(e.course_id)
    trainee = db.session.get(User, e.user_id)
    if not can_view_enrolment(_user(), e, course, trainee):
        abort(404)
    summary = attendance_summary(e)
    return {
        "enrolment": EnrolmentSchema().dump(e),
        **summary_json(summary, eligibility_from(course, summary)),
    }


# --- attendance ----------------------------------------------------------------------------


@api.get("/courses/<int:course_id>/attendance")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.REFERENT)
def api_course_attendance(course_id: int):
    """The attendance report of a course: trainees by lessons, with totals and eligibility."""
    course = _course(course_id)
    u = _user()
    own = u.has_role(Role.REFERENT) and has_employees_of(course, u.organisation_id)
    if not can_view_course_report(u, course, has_own_employees=own):
        abort(404)
    report = course_report(course, organisation_id=report_scope(u, course))
    return {
        "course": CourseSchema().dump(course),
        "lessons": LessonSchema().dump(report.lessons, many=True),
        "trainees": [
            {
                "enrolment_id": row.enrolment.id,
                "user_id": row.user.id,
                "full_name": row.user.full_name,
                "organisation_id": row.user.organisation_id,
                "status": row.enrolment.status.value,
                "enrolled_on": row.enrolment.enrolled_on.isoformat(),
                "below_threshold": row.below_threshold,
                "lessons": [
                    {"lesson_id": sid, "status": st.value if st else None, "minutes": m}
                    for sid, (st, m) in row.summary.cells.items()
                ],
                **summary_json(row.summary, row.eligibility),
            }
            for row in report.rows
        ],
        "totals": {
            str(sid): {
                "present": t.present,
                "absent": t.absent,
                "excused": t.excused,
                "unrecorded": t.unrecorded,
                "minutes": t.minutes,
            }
            for sid, t in report.totals.items()
        },
    }


@api.get("/lessons/<int:lesson_id>/attendance")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
def api_session_attendance(lesson_id: int):
    lesson, course = _lesson(lesson_id)
    if not can_view_register(_user(), lesson, course):
        abort(404)
    return _register_json(lesson)


def _register_json(lesson: Lesson) -> dict:
    reg = registers.get_register(lesson)
    rows = registers.register_rows(lesson)
    return {
        "lesson": LessonSchema().dump(lesson),
        "register": {
            "signed_at": reg.signed_at.isoformat() if reg.signed_at else None,
            "version": reg.version_id,
        },
        "records": [
            {
                "enrolment_id": r.enrolment.id,
                "user_id": r.user.id,
                "full_name": r.user.full_name,
                "record": AttendanceRecordSchema().dump(r.record) if r.record else None,
            }
            for r in rows
        ],
    }


@api.put("/lessons/<int:lesson_id>/attendance")
@roles_required(Role.ADMIN, Role.COORDINATOR, Role.TRAINER)
def api_write_attendance(lesson_id: int):
    """Bulk write of a lesson's attendance: each line carries the record version it replaces."""
    lesson, course = _lesson(lesson_id)
    u = _user()
    if not can_view_register(u, lesson, course):
        abort(404)
    data = _body()
    items = data.get("records")
    if not isinstance(items, list):
        raise ValidationFailed(fields={"records": [_("Send a list of records.")]})
    rows = []
    for n, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationFailed(fields={f"records.{n}": [_("Send a JSON object.")]})
        try:
            status = AttendanceStatus(item.get("status"))
        except ValueError as exc:
            raise ValidationFailed(fields={f"records.{n}.status": [_("Unknown status.")]}) from exc
        rows.append(
            registers.RowInput(
                enrolment_id=_int(item.get("enrolment_id"), f"records.{n}.enrolment_id"),
                status=status,
                minutes=_int(item.get("minutes"), f"records.{n}.minutes", required=False),
                note=str(item.get("note") or ""),
                seen_version=_int(item.get("version") or 0, f"records.{n}.version"),
            )
        )
    if not can_take_register(u, lesson, course):
        abort(403)
    changed = registers.save_register(
        u,
        lesson,
        course,
        rows,
        register_version=_int(data.get("register_version"), "register_version", required=False),
        source=registers.AttendanceSource.API,
    )
    if data.get("sign"):
        registers.sign_register(u, lesson, course)
    db.session.commit()
    return {"changed": changed, **_register_json(lesson)}


@api.post("/check-in")
@login_required
def api_check_in():
    data = _body()
    _lesson, rec = registers.check_in(
        _user(),
        str(data.get("code", "")),
        lesson_id=_int(data.get("lesson_id"), "lesson_id", required=False),
    )
    db.session.commit()
    return AttendanceRecordSchema().dump(rec), 201
