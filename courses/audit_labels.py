"""How the audited actions of courses read: courses, modules, lessons, registers, attendance."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from courses.models import (
    ATTENDANCE_LABELS,
    COURSE_STATUS_LABELS,
    ENROLMENT_STATUS_LABELS,
    MODE_LABELS,
    TOPIC_LABELS,
    AttendanceRecord,
    Course,
    Enrolment,
    Lesson,
)
from courses.permissions import can_view_course, can_view_lesson, can_view_register
from lms.accounts.models import User
from lms.audit.formatting import PERSON, show_choice, show_date, show_datetime, show_time
from lms.audit.registry import (
    Described,
    describe_each,
    int_ids,
    register_actions,
    register_fields,
)
from lms.db import db


def _courses(ids) -> dict[int, Course]:
    return {c.id: c for c in db.session.scalars(select(Course).where(Course.id.in_(ids)))}


def describe_courses(viewer, entries) -> dict[int, Described]:
    """The course named by its title and linked to its page: one query."""

    def one(e, c):
        link = ("courses.course", {"course_id": c.id}) if can_view_course(viewer, c) else None
        return Described({"course": c.title}, link)

    return describe_each(entries, _courses(int_ids(entries)), one)


def describe_lessons(viewer, entries) -> dict[int, Described]:
    """A lesson (or its register: same id) by its date and course, linked to its page."""
    lessons = {
        x.id: x for x in db.session.scalars(select(Lesson).where(Lesson.id.in_(int_ids(entries))))
    }
    courses = _courses({x.course_id for x in lessons.values()})  # permissions find them here

    def one(e, lesson):
        allowed = (can_view_register if e.object_type == "register" else can_view_lesson)(
            viewer, lesson
        )
        link = ("courses.lesson", {"lesson_id": lesson.id}) if allowed else None
        params = {"date": show_date(lesson.date), "course": courses[lesson.course_id].title}
        return Described(params, link)

    return describe_each(entries, lessons, one)


def describe_enrolments(viewer, entries) -> dict[int, Described]:
    """The trainee and the course of an enrolment: one query, the course page linked."""
    rows = db.session.execute(
        select(Enrolment.id, User.full_name, Course)
        .join(User, User.id == Enrolment.user_id)
        .join(Course, Course.id == Enrolment.course_id)
        .where(Enrolment.id.in_(int_ids(entries)))
    ).all()

    def one(e, row):
        _, name, course = row
        link = (
            ("courses.course", {"course_id": course.id})
            if can_view_course(viewer, course)
            else None
        )
        return Described({"name": name, "course": course.title}, link)

    return describe_each(entries, {r[0]: r for r in rows}, one)


def describe_attendance(viewer, entries) -> dict[int, Described]:
    """Whose attendance, at which lesson: one query, the lesson's register linked."""
    rows = db.session.execute(
        select(AttendanceRecord.id, User.full_name, Lesson, Course)
        .join(Enrolment, Enrolment.id == AttendanceRecord.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .join(Lesson, Lesson.id == AttendanceRecord.lesson_id)
        .join(Course, Course.id == Lesson.course_id)
        .where(AttendanceRecord.id.in_(int_ids(entries)))
    ).all()

    def one(e, row):
        _, name, lesson, course = row
        link = (
            ("courses.lesson", {"lesson_id": lesson.id})
            if can_view_register(viewer, lesson)
            else None
        )
        params = {"name": name, "date": show_date(lesson.date), "course": course.title}
        return Described(params, link)

    return describe_each(entries, {r[0]: r for r in rows}, one)


def init_app(app: Flask) -> None:
    register_actions(
        app,
        {
            "course.create": (_l("Course created"), _l("%(actor)s created the course %(course)s")),
            "course.update": (_l("Course changed"), _l("%(actor)s changed the course %(course)s")),
            "course.status": (
                _l("Course state changed"),
                _l("%(actor)s changed the state of the course %(course)s"),
            ),
            "course.modules": (
                _l("Course modules changed"),
                _l("%(actor)s changed the modules of the course %(course)s"),
            ),
        },
        describe=describe_courses,
    )
    register_actions(
        app,
        {
            "lesson.create": (
                _l("Lesson scheduled"),
                _l("%(actor)s scheduled the lesson of %(date)s of the course %(course)s"),
            ),
            "lesson.update": (
                _l("Lesson changed"),
                _l("%(actor)s changed the lesson of %(date)s of the course %(course)s"),
            ),
            "lesson.cancel": (
                _l("Lesson cancelled"),
                _l("%(actor)s cancelled the lesson of %(date)s of the course %(course)s"),
            ),
            "register.sign": (
                _l("Register signed"),
                _l("%(actor)s signed the register of the lesson of %(date)s"),
            ),
            "register.reopen": (
                _l("Register reopened"),
                _l("%(actor)s reopened the register of the lesson of %(date)s"),
            ),
        },
        describe=describe_lessons,
    )
    register_actions(
        app,
        {
            "enrolment.create": (
                _l("Trainee enrolled"),
                _l("%(actor)s enrolled %(name)s in the course %(course)s"),
            ),
            "enrolment.withdraw": (
                _l("Enrolment withdrawn"),
                _l("%(actor)s withdrew %(name)s from the course %(course)s"),
            ),
            "enrolment.reinstate": (
                _l("Enrolment reinstated"),
                _l("%(actor)s enrolled %(name)s again in the course %(course)s"),
            ),
            "enrolment.promote": (
                _l("Enrolment confirmed from the waiting list"),
                _l("%(actor)s moved %(name)s from the waiting list of the course %(course)s"),
            ),
        },
        describe=describe_enrolments,
    )
    register_actions(
        app,
        {
            "attendance.create": (
                _l("Attendance recorded"),
                _l("%(actor)s recorded the attendance of %(name)s at the lesson of %(date)s"),
            ),
            "attendance.update": (
                _l("Attendance changed"),
                _l("%(actor)s changed the attendance of %(name)s at the lesson of %(date)s"),
            ),
            "attendance.check_in": (
                _l("Check-in"),
                _l("%(actor)s checked in at the lesson of %(date)s"),
            ),
            "attendance.clamp": (
                _l("Attendance shortened to the lesson"),
                _l("%(actor)s shortened the attendance of %(name)s to the lesson of %(date)s"),
            ),
        },
        describe=describe_attendance,
    )
    register_actions(
        app,
        {
            "module.create": (_l("Module created"), _l("%(actor)s created a module")),
            "module.update": (_l("Module changed"), _l("%(actor)s changed a module")),
            "module.retire": (_l("Module retired"), _l("%(actor)s retired a module")),
            "module.restore": (_l("Module restored"), _l("%(actor)s put a module back in use")),
            "module.delete": (_l("Module deleted"), _l("%(actor)s deleted a module")),
            "material.create": (_l("Material added"), _l("%(actor)s added a material")),
            "material.update": (_l("Material changed"), _l("%(actor)s changed a material")),
            "material.move": (_l("Material moved"), _l("%(actor)s moved a material")),
            "material.delete": (_l("Material deleted"), _l("%(actor)s deleted a material")),
        },
    )
    register_fields(
        app,
        ["course"],
        {
            "title": _l("Title"),
            "edition": _l("Edition"),
            "description": _l("Description"),
            "start_date": (_l("Start date"), show_date),
            "end_date": (_l("End date"), show_date),
            "status": (_l("State"), show_choice(COURSE_STATUS_LABELS)),
            "capacity": _l("Places"),
            "assessment_threshold_pct": _l("Attendance needed for the assessment (%)"),
            "certification_threshold_pct": _l("Attendance needed for the certificate (%)"),
            "module_ids": _l("Modules"),
        },
    )
    register_fields(
        app,
        ["module"],
        {
            "code": _l("Code"),
            "title": _l("Title"),
            "topic_area": (_l("Topic area"), show_choice(TOPIC_LABELS)),
            "description": _l("Description"),
            "objectives": _l("Objectives"),
            "planned_minutes": _l("Planned minutes"),
            "retired_at": (_l("Retired on"), show_datetime),
        },
    )
    register_fields(
        app,
        ["lesson"],
        {
            "date": (_l("Date"), show_date),
            "start_time": (_l("Start time"), show_time),
            "end_time": (_l("End time"), show_time),
            "mode": (_l("Mode"), show_choice(MODE_LABELS)),
            "place": _l("Place"),
            "link": _l("Link"),
            "trainer_id": (_l("Trainer"), PERSON),
            "module_id": _l("Module"),
            "cancelled_at": (_l("Cancelled on"), show_datetime),
            "cancel_reason": _l("Reason"),
        },
    )
    register_fields(
        app,
        ["register"],
        {
            "signed_at": (_l("Signed on"), show_datetime),
            "signed_by_id": (_l("Signed by"), PERSON),
            "reopened_at": (_l("Reopened on"), show_datetime),
            "reopen_reason": _l("Reason"),
        },
    )
    register_fields(
        app,
        ["enrolment"],
        {
            "course_id": _l("Course"),
            "user_id": (_l("Trainee"), PERSON),
            "status": (_l("State"), show_choice(ENROLMENT_STATUS_LABELS)),
            "enrolled_on": (_l("Enrolled on"), show_date),
            "withdrawn_on": (_l("Withdrawn on"), show_date),
            "withdraw_reason": _l("Reason"),
        },
    )
    register_fields(
        app,
        ["attendance_record"],
        {
            "status": (_l("Attendance"), show_choice(ATTENDANCE_LABELS)),
            "minutes": _l("Minutes"),
            "note": _l("Note"),
            "checked_in_at": (_l("Checked in at"), show_datetime),
        },
    )
