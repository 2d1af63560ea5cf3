"""Course services: lesson series, double booking, moving and cancelling, enrolment, check-in."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from courses.models import ROME, AttendanceStatus, EnrolmentStatus
from courses.services.checkin import check_in, code_matches, current_code
from courses.services.courses import set_status
from courses.services.enrolments import enrol, enrol_organisation, parse_enrolment_csv
from courses.services.lessons import cancel_lesson, update_lesson
from courses.services.registers import RowInput, save_register
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import Conflict, NotEligible, ValidationFailed

START = dt.date(2025, 1, 1)
NOW = dt.datetime(2025, 6, 1, 12, 0, tzinfo=ROME)


@pytest.fixture
def course_and_trainer(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer], start_date=START, end_date=dt.date(2025, 12, 31))
    return course, trainer


def test_weekly_series_and_double_booking(make, course_and_trainer):
    course, trainer = course_and_trainer
    first = make.lesson(course, trainer=trainer, date=dt.date(2025, 3, 3), weeks=4)
    assert first.series_key is not None
    with pytest.raises(ValidationFailed) as err:
        make.lesson(course, trainer=trainer, date=dt.date(2025, 3, 17), start="12:00", end="14:00")
    assert "trainer_id" in err.value.fields
    db.session.rollback()
    # Back to back is fine; another trainer at the same time too.
    make.lesson(course, trainer=trainer, date=dt.date(2025, 3, 17), start="13:00", end="15:00")
    make.lesson(course, trainer=make.user(Role.TRAINER), date=dt.date(2025, 3, 17))


def test_moving_a_recorded_lesson_needs_a_reason_and_is_audited(make, course_and_trainer):
    course, trainer = course_and_trainer
    lesson = make.lesson(course, trainer=trainer, date=dt.date(2025, 3, 3))
    e = make.enrolment(course)
    save_register(
        trainer, lesson, course, [RowInput(e.id, AttendanceStatus.PRESENT, None)], now=NOW
    )
    args = dict(
        module_id=lesson.module_id,
        date=dt.date(2025, 3, 4),
        start_time=lesson.start_time,
        end_time=lesson.end_time,
        mode=lesson.mode,
        trainer_id=trainer.id,
        place=lesson.place,
        now=NOW,
    )
    staff = make.coordinator()
    with pytest.raises(ValidationFailed):
        update_lesson(staff, lesson, course, **args)
    update_lesson(staff, lesson, course, reason="Aula non disponibile", **args)
    with pytest.raises(Conflict):
        update_lesson(
            staff, lesson, course, reason="Rinvio", **{**args, "date": dt.date(2025, 9, 1)}
        )
    cancel_lesson(staff, lesson, course, "Sciopero dei trasporti")
    db.session.commit()
    entries = db.session.scalars(select(AuditEntry).where(AuditEntry.object_type == "lesson")).all()
    reasons = {e.action: e.reason for e in entries}
    assert reasons["lesson.update"] == "Aula non disponibile"
    assert reasons["lesson.cancel"] == "Sciopero dei trasporti"


def test_enrolment_rules(make, course_and_trainer):
    course, _trainer = course_and_trainer
    staff = make.coordinator()
    trainee = make.user(Role.TRAINEE)
    enrol(staff, course, trainee)
    with pytest.raises(ValidationFailed):
        enrol(staff, course, trainee)
    with pytest.raises(ValidationFailed):
        enrol(staff, course, make.user(Role.TRAINER))
    org = make.organisation()
    for _ in range(3):
        make.user(Role.TRAINEE, organisation=org)
    make.user(Role.REFERENT, organisation=org)
    created, skipped = enrol_organisation(staff, course, org.id)
    assert (len(created), skipped) == (3, 0)
    set_status(staff, course, course.status.__class__("closed"))
    with pytest.raises(Conflict):
        enrol(staff, course, make.user(Role.TRAINEE))


def test_csv_parsing_accepts_italian_excel_files():
    data = "\ufeffEmail;Data iscrizione\nA@Example.org;31/03/2025\n;\nb@example.org;2025-13-01\n"
    result = parse_enrolment_csv(data.encode("utf-8"))
    assert [r.email for r in result.rows] == ["a@example.org", "b@example.org"]
    assert result.rows[0].enrolled_on == dt.date(2025, 3, 31)
    assert result.rows[1].errors
    assert parse_enrolment_csv(b"nome;cognome\nA;B\n").errors


def test_check_in_codes_rotate_and_are_scoped(make, course_and_trainer):
    course, trainer = course_and_trainer
    lesson = make.lesson(course, trainer=trainer, date=NOW.date(), start="11:00", end="13:00")
    other = make.lesson(
        course, trainer=make.user(Role.TRAINER), date=NOW.date(), start="11:00", end="13:00"
    )
    code, _s = current_code(lesson, NOW)
    assert code_matches(lesson, code, NOW + dt.timedelta(seconds=60))  # previous window accepted
    assert not code_matches(lesson, code, NOW + dt.timedelta(minutes=3))
    assert not code_matches(other, code, NOW)
    trainee = make.user(Role.TRAINEE)
    e = make.enrolment(course, trainee)
    with pytest.raises(NotEligible):  # not enrolled
        check_in(make.user(Role.TRAINEE), code, now=NOW)
    with pytest.raises(ValidationFailed):  # expired
        check_in(trainee, code, now=NOW + dt.timedelta(minutes=5))
    with pytest.raises(NotEligible):  # outside the lesson's window
        late_code, _s = current_code(lesson, NOW + dt.timedelta(hours=3))
        check_in(trainee, late_code, lesson_id=lesson.id, now=NOW + dt.timedelta(hours=3))
    lesson_, rec = check_in(trainee, code, now=NOW)
    assert lesson_.id == lesson.id and rec.enrolment_id == e.id
    assert rec.status == AttendanceStatus.LATE and rec.minutes == 60  # an hour after the start
    assert e.status == EnrolmentStatus.ACTIVE
