"""The course predicates, with one object inside and one outside each role's scope, and
services refusing an actor outside their scope without changing anything."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from courses import permissions as p
from courses.models import AttendanceRecord, AttendanceStatus, Course, CourseStatus, Enrolment
from courses.models import Module as CourseModuleRow
from courses.services import catalogue, checkin, reports
from courses.services.courses import set_status, update_course
from courses.services.enrolments import enrol, withdraw
from courses.services.lessons import cancel_lesson
from courses.services.registers import RowInput, save_register
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import Forbidden, NotFound

NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=dt.UTC)


@dataclass
class World:
    admin: object
    coordinator: object
    trainer: object  # teaches `mine`
    other_trainer: object  # teaches `theirs`
    trainee: object  # enrolled in `mine`, works for `org`
    stranger: object  # a trainee enrolled nowhere
    referent: object  # of `org`
    other_referent: object  # of an organisation with nobody enrolled
    assessor: object
    mine: Course
    theirs: Course
    lesson: object  # of `mine`, taught by `trainer`
    their_lesson: object  # of `theirs`
    enrolment: Enrolment  # trainee in `mine`
    their_enrolment: Enrolment  # someone else's in `theirs`, from another company


@pytest.fixture
def w(app, make) -> World:
    org = make.organisation()
    trainer, other_trainer = make.user(Role.TRAINER), make.user(Role.TRAINER)
    start = dt.date(2025, 1, 1)
    mine = make.course(trainers=[trainer], start_date=start, end_date=dt.date(2025, 12, 31))
    theirs = make.course(trainers=[other_trainer], start_date=start, end_date=dt.date(2025, 12, 31))
    trainee = make.user(Role.TRAINEE, organisation=org)
    return World(
        admin=make.user(Role.ADMIN),
        coordinator=make.user(Role.COORDINATOR),
        trainer=trainer,
        other_trainer=other_trainer,
        trainee=trainee,
        stranger=make.user(Role.TRAINEE),
        referent=make.user(Role.REFERENT, organisation=org),
        other_referent=make.user(Role.REFERENT),
        assessor=make.user(Role.ASSESSOR),
        mine=mine,
        theirs=theirs,
        lesson=make.lesson(mine, trainer=trainer, date=dt.date(2025, 3, 3)),
        their_lesson=make.lesson(theirs, trainer=other_trainer, date=dt.date(2025, 3, 3)),
        enrolment=make.enrolment(mine, trainee),
        their_enrolment=make.enrolment(
            theirs, make.user(Role.TRAINEE, organisation=make.organisation())
        ),
    )


def test_anonymous_may_do_nothing(w):
    anon = AnonymousUserMixin()
    assert not p.can_view_catalogue(anon)
    assert not p.can_list_courses(anon)
    assert not p.can_read_course(anon, w.mine)
    assert not p.can_view_enrolment(anon, w.enrolment)
    assert not p.can_view_lesson(anon, w.lesson)
    assert not p.can_view_course_report(anon, w.mine)
    assert not p.can_check_in(anon)


def test_catalogue(w):
    module = db.session.get(CourseModuleRow, 1)
    for staff in (w.admin, w.coordinator):
        assert p.can_view_catalogue(staff) and p.can_manage_catalogue(staff)
        assert p.can_edit_module(staff, module)
    assert p.can_view_catalogue(w.trainer) and p.can_view_module(w.trainer, module)
    assert not p.can_manage_catalogue(w.trainer) and not p.can_edit_module(w.trainer, module)
    for other in (w.trainee, w.referent, w.assessor):
        assert not p.can_view_catalogue(other) and not p.can_view_module(other, module)


def test_courses_staff_see_everything_and_edit_until_closed(w):
    for staff in (w.admin, w.coordinator):
        for course in (w.mine, w.theirs):
            assert p.can_view_course(staff, course) and p.can_read_course(staff, course)
            assert p.can_manage_course(staff, course) and p.can_edit_course(staff, course)
    set_status(w.coordinator, w.mine, CourseStatus.CLOSED)
    assert p.can_manage_course(w.coordinator, w.mine)
    assert not p.can_edit_course(w.coordinator, w.mine)
    assert not p.can_manage_enrolments(w.coordinator, w.mine)
    assert not p.can_take_register(w.coordinator, w.lesson)
    assert not p.can_reopen_register(w.coordinator, w.lesson)


def test_courses_trainers_see_their_own(w):
    assert p.is_course_trainer(w.trainer, w.mine) and not p.is_course_trainer(w.trainer, w.theirs)
    assert p.can_view_course(w.trainer, w.mine) and not p.can_view_course(w.trainer, w.theirs)
    assert p.can_read_course(w.trainer, w.mine) and not p.can_read_course(w.trainer, w.theirs)
    assert not p.can_manage_course(w.trainer, w.mine)
    assert p.can_view_course_report(w.trainer, w.mine)
    assert not p.can_view_course_report(w.trainer, w.theirs)
    assert p.report_scope(w.trainer, w.mine) is None


def test_courses_trainees_and_referents_read_only_what_concerns_them(w):
    assert p.can_read_course(w.trainee, w.mine) and not p.can_read_course(w.trainee, w.theirs)
    assert not p.can_view_course(w.trainee, w.mine)
    assert not p.can_read_course(w.stranger, w.mine)
    assert p.can_read_course(w.referent, w.mine) and not p.can_read_course(w.referent, w.theirs)
    assert not p.can_read_course(w.other_referent, w.mine)
    assert p.can_view_course_report(w.referent, w.mine)
    assert not p.can_view_course_report(w.referent, w.theirs)
    assert not p.can_view_course_report(w.trainee, w.mine)
    assert p.report_scope(w.referent, w.mine) == w.referent.organisation_id
    assert not p.can_list_courses(w.trainee) and p.can_list_courses(w.referent)
    assert not p.can_read_course(w.assessor, w.mine)


def test_enrolments(w):
    assert p.can_view_enrolment(w.trainee, w.enrolment)
    assert not p.can_view_enrolment(w.trainee, w.their_enrolment)
    assert not p.can_view_enrolment(w.stranger, w.enrolment)
    assert p.can_view_enrolment(w.trainer, w.enrolment)
    assert not p.can_view_enrolment(w.trainer, w.their_enrolment)
    assert p.can_view_enrolment(w.referent, w.enrolment)
    assert not p.can_view_enrolment(w.referent, w.their_enrolment)
    assert p.can_view_enrolment(w.coordinator, w.their_enrolment)
    assert p.can_manage_enrolments(w.coordinator, w.mine)
    assert not p.can_manage_enrolments(w.trainer, w.mine)
    assert p.can_view_enrolments(w.referent, w.mine)
    assert not p.can_view_enrolments(w.other_referent, w.mine)


def test_lessons_registers_and_check_in(w, make):
    # A trainer who teaches one lesson of a course they are not assigned to sees that lesson.
    guest = make.user(Role.TRAINER)
    guest_lesson = make.lesson(w.theirs, trainer=guest, date=dt.date(2025, 3, 4))
    assert p.can_view_lesson(guest, guest_lesson) and p.can_take_register(guest, guest_lesson)
    assert not p.can_view_lesson(guest, w.their_lesson)
    assert p.can_view_register(w.trainer, w.lesson) and p.can_take_register(w.trainer, w.lesson)
    assert not p.can_view_register(w.trainer, w.their_lesson)
    assert not p.can_take_register(w.trainer, w.their_lesson)
    assert p.can_run_checkin(w.trainer, w.lesson) and not p.can_run_checkin(
        w.trainer, w.their_lesson
    )
    assert not p.can_reopen_register(w.trainer, w.lesson)
    assert p.can_reopen_register(w.coordinator, w.lesson)
    assert p.can_edit_lesson(w.coordinator, w.lesson) and not p.can_edit_lesson(w.trainer, w.lesson)
    for outsider in (w.trainee, w.referent, w.assessor):
        assert not p.can_view_lesson(outsider, w.lesson)
        assert not p.can_take_register(outsider, w.lesson)
        assert not p.can_export_register(outsider, w.lesson)
    assert p.can_check_in(w.trainee) and not p.can_check_in(w.trainer)
    assert p.can_view_my_courses(w.trainee) and not p.can_view_my_courses(w.coordinator)
    assert p.can_view_todays_lessons(w.trainer) and not p.can_view_todays_lessons(w.trainee)


# --- services refuse actors outside their scope, and change nothing ---------------------------


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_enrol_by_a_trainer_is_refused(w, make):
    newcomer = make.user(Role.TRAINEE)
    before = (_count(Enrolment), _count(AuditEntry))
    with pytest.raises(Forbidden):
        enrol(w.trainer, w.mine, newcomer)
    with pytest.raises(Forbidden):
        withdraw(w.referent, w.enrolment, w.mine, "Non frequenta più")
    with pytest.raises(Forbidden):
        enrol(None, w.mine, w.stranger)
    db.session.rollback()
    assert (_count(Enrolment), _count(AuditEntry)) == before
    assert db.session.get(Enrolment, w.enrolment.id).withdrawn_on is None


def test_register_of_another_course_is_not_found(w):
    rows = [RowInput(w.their_enrolment.id, AttendanceStatus.PRESENT, None)]
    with pytest.raises(NotFound):
        save_register(w.trainer, w.their_lesson, w.theirs, rows, now=NOW)
    with pytest.raises(NotFound):  # a lesson passed with the wrong course
        save_register(w.trainer, w.their_lesson, w.mine, rows, now=NOW)
    db.session.rollback()
    assert _count(AttendanceRecord) == 0


def test_catalogue_and_course_changes_need_staff(w):
    modules, entries = _count(CourseModuleRow), _count(AuditEntry)
    with pytest.raises(Forbidden):
        catalogue.create_module(
            w.trainer, code="X-1", title="Fuori", topic_area="regulatory", planned_minutes=60
        )
    with pytest.raises(Forbidden):
        catalogue.list_modules(w.trainee)
    title = w.mine.title
    with pytest.raises(Forbidden):
        update_course(
            w.referent,
            w.mine,
            title="Cambiato",
            edition="",
            description="",
            start_date=w.mine.start_date,
            end_date=w.mine.end_date,
            capacity=None,
            assessment_threshold_pct=70,
            certification_threshold_pct=75,
            trainer_ids=[],
        )
    with pytest.raises(Forbidden):
        cancel_lesson(w.trainer, w.lesson, w.mine, "Non posso")
    db.session.rollback()
    assert (_count(CourseModuleRow), _count(AuditEntry)) == (modules, entries)
    assert db.session.get(Course, w.mine.id).title == title
    assert w.lesson.cancelled_at is None


def test_reports_and_check_in_refuse_outsiders(w):
    with pytest.raises(NotFound):
        reports.attendance_report(w.other_referent, w.mine, now=NOW)
    with pytest.raises(NotFound):
        reports.enrolment_attendance(w.stranger, w.enrolment, now=NOW)
    report, scope = reports.attendance_report(w.referent, w.mine, now=NOW)
    assert scope == w.referent.organisation_id
    assert [r.user.id for r in report.rows] == [w.trainee.id]
    with pytest.raises(NotFound):
        checkin.screen(w.trainer, w.their_lesson, NOW)
    with pytest.raises(Forbidden):
        checkin.check_in(w.coordinator, "123456", now=NOW)
    assert _count(AttendanceRecord) == 0
