"""Data rules kept by the database: constraint violations become the matching domain error
(StaleEdit only for a version conflict), capacity holds under concurrent enrolments,
case-insensitive uniqueness and, on PostgreSQL, no double-booked trainer."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from courses.models import Course, Enrolment, EnrolmentStatus, Lesson, LessonMode, Module
from courses.services import enrolments
from lms.accounts.models import Role, User
from lms.db import db, flush_versioned, violated_constraint
from lms.errors import Conflict, DomainError, StaleEdit, ValidationFailed
from lms.organisations.models import Organisation, SizeBand
from tests.conftest import PG_URL, make_test_app


def _violation(obj) -> IntegrityError:
    db.session.add(obj)
    with pytest.raises(IntegrityError) as info:
        db.session.flush()
    db.session.rollback()
    return info.value


def test_unregistered_violation_is_not_a_stale_edit(app, make):
    """A broken CHECK nobody registered stays an IntegrityError (the app answers 500)."""
    db.session.add(
        Module(code="BAD-01", title="Modulo", topic_area="regulatory", planned_minutes=0)
    )
    with pytest.raises(IntegrityError) as info:
        flush_versioned()
    assert not isinstance(info.value, DomainError)
    assert violated_constraint(info.value) == "ck_modules_planned_minutes_positive"
    db.session.rollback()


def test_violated_constraint_is_named_on_every_backend(app, make):
    course = make.course(title="Sicurezza inclusiva", edition="I edizione")
    user = make.enrolment(course).user_id
    exc = _violation(
        Enrolment(
            course_id=course.id,
            user_id=user,
            status=EnrolmentStatus.ACTIVE,
            enrolled_on=course.start_date,
        )
    )
    assert violated_constraint(exc) == "uq_enrolments_course_id_user_id"
    exc = _violation(
        Course(
            title="SICUREZZA inclusiva",
            edition="i EDIZIONE",
            start_date=course.start_date,
            end_date=course.end_date,
        )
    )
    assert violated_constraint(exc) == "uq_courses_title_edition_ci"


def test_enrol_race_on_the_unique_constraint_is_a_conflict(app, make, monkeypatch):
    """The check passed (another request had not committed yet) but the row exists: the
    unique constraint answers, as a Conflict, never as StaleEdit or an IntegrityError."""
    actor = make.user(Role.COORDINATOR)
    course = make.course()
    enrolment = make.enrolment(course)
    user = db.session.get(User, enrolment.user_id)
    monkeypatch.setattr(enrolments, "_existing_of", lambda course, ids: {})
    with pytest.raises(Conflict) as info:
        enrolments.enrol(actor, course, user)
    assert not isinstance(info.value, StaleEdit)
    assert "user_id" in info.value.fields
    db.session.rollback()


def test_case_insensitive_course_title_race_is_the_friendly_error(app, make):
    course = make.course(title="Comunicare", edition="II edizione")
    db.session.add(
        Course(
            title="comunicare",
            edition="ii Edizione",
            start_date=course.start_date,
            end_date=course.end_date,
        )
    )
    with pytest.raises(ValidationFailed) as info:
        flush_versioned()
    assert "edition" in info.value.fields
    db.session.rollback()


def test_module_code_and_organisation_name_races_are_the_friendly_errors(app, make):
    make.module(code="NORM-01")
    db.session.add(Module(code="NORM-01", title="Altro", topic_area="other", planned_minutes=60))
    with pytest.raises(ValidationFailed) as info:
        flush_versioned()
    assert "code" in info.value.fields
    db.session.rollback()
    org = make.organisation(name="Rossi Servizi Srl")
    db.session.add(
        Organisation(
            name="ROSSI servizi srl", tax_code="X" + org.tax_code[1:], size_band=SizeBand.MICRO
        )
    )
    with pytest.raises(ValidationFailed) as info:
        flush_versioned()
    assert "name" in info.value.fields
    db.session.rollback()


def _raw_lesson(course, trainer, start, end, **kw) -> Lesson:
    from courses.services.courses import load_module_links

    lesson = Lesson(
        course_id=course.id,
        module_id=load_module_links(course)[0].module_id,
        date=kw.pop("date", course.start_date + dt.timedelta(days=1)),
        start_time=dt.time.fromisoformat(start),
        end_time=dt.time.fromisoformat(end),
        mode=LessonMode.ONLINE,
        link="https://meet.example.org/a",
        trainer_id=trainer.id,
        **kw,
    )
    db.session.add(lesson)
    return lesson


@pytest.mark.skipif(not PG_URL, reason="exclusion constraints exist on PostgreSQL only")
def test_trainer_double_booking_is_refused_by_postgresql(app, make):
    """Bypassing the service check, the exclusion constraint refuses the overlap with the
    service's error; adjacent lessons and cancelled ones do not clash."""
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    _raw_lesson(course, trainer, "09:00", "11:00")
    _raw_lesson(course, trainer, "11:00", "13:00")  # adjacent: allowed
    _raw_lesson(
        course,
        trainer,
        "09:30",
        "10:30",
        cancelled_at=dt.datetime.now(dt.UTC),
        cancel_reason="Sala non disponibile",
    )
    flush_versioned()
    _raw_lesson(course, trainer, "10:00", "12:00")
    with pytest.raises(ValidationFailed) as info:
        flush_versioned()
    assert "trainer_id" in info.value.fields
    db.session.rollback()


def _enrol_concurrently(app, course_id: int, user_ids: list[int], actor_id: int) -> list:
    barrier = threading.Barrier(len(user_ids))
    outcomes: list = []
    lock = threading.Lock()

    def run(uid: int) -> None:
        with app.app_context():
            try:
                actor = db.session.get(User, actor_id)
                course = db.session.get(Course, course_id)
                user = db.session.get(User, uid)
                barrier.wait(timeout=30)
                e = enrolments.enrol(actor, course, user)
                status = e.status
                db.session.commit()
                result = status
            except DomainError as err:
                db.session.rollback()
                result = err
            except Exception as err:
                db.session.rollback()
                result = err
            finally:
                db.session.remove()
        with lock:
            outcomes.append(result)

    threads = [threading.Thread(target=run, args=(uid,)) for uid in user_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    return outcomes


def test_twenty_concurrent_enrolments_never_overbook(app, make, database_url, tmp_path):
    """20 trainees enrol at once, each in their own session, on a course with one place:
    exactly one gets it, the other 19 join the waiting list (the rule for a full course)."""
    actor = make.user(Role.COORDINATOR)
    course = make.course(capacity=1)
    trainees = [make.user(Role.TRAINEE, password=None) for _ in range(20)]
    ids = [t.id for t in trainees]
    course_id, actor_id = course.id, actor.id
    db.session.commit()
    db.session.close()  # hold no connection or lock while the threads run
    # A second app on the same database, with a connection for each of the 20 sessions.
    threaded = make_test_app(
        database_url, tmp_path, SQLALCHEMY_ENGINE_OPTIONS={"pool_size": 20, "max_overflow": 0}
    )
    try:
        outcomes = _enrol_concurrently(threaded, course_id, ids, actor_id)
    finally:
        with threaded.app_context():
            db.engine.dispose()
    errors = [o for o in outcomes if isinstance(o, Exception)]
    assert errors == []
    assert sorted(o.value for o in outcomes) == ["active"] + ["waiting"] * 19
    counts = dict(
        db.session.execute(
            select(Enrolment.status, func.count())
            .where(Enrolment.course_id == course_id)
            .group_by(Enrolment.status)
        ).all()
    )
    assert counts == {EnrolmentStatus.ACTIVE: 1, EnrolmentStatus.WAITING: 19}


def test_release_refuses_a_grade_changed_in_between(app, make):
    """Releasing is one UPDATE conditional on the versions read: a grade another request
    changed meanwhile makes it a StaleEdit, and nothing is released."""
    from decimal import Decimal

    from sqlalchemy import event, text

    from assessments.models import AssessmentKind, Grade, GradeStatus
    from assessments.services import grading

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    assessment = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer)
    grades = [
        Grade(
            assessment_id=assessment.id,
            trainee_id=make.user(Role.TRAINEE, password=None).id,
            status=GradeStatus.GRADED,
            score=Decimal("7.00"),
        )
        for _ in range(2)
    ]
    db.session.add_all(grades)
    db.session.commit()
    first_id = grades[0].id
    fired = []

    def meanwhile(conn, cursor, statement, parameters, context, executemany):
        if statement.startswith("UPDATE grades") and not fired:
            fired.append(statement)
            with db.engine.connect() as other:
                other.execute(
                    text("UPDATE grades SET version_id = version_id + 1 WHERE id = :id"),
                    {"id": first_id},
                )
                other.commit()

    event.listen(db.engine, "before_cursor_execute", meanwhile)
    try:
        with pytest.raises(StaleEdit):
            grading.release(trainer, assessment)
    finally:
        event.remove(db.engine, "before_cursor_execute", meanwhile)
    db.session.rollback()
    assert fired
    statuses = db.session.scalars(select(Grade.status).where(Grade.assessment_id == assessment.id))
    assert set(statuses) == {GradeStatus.GRADED}
