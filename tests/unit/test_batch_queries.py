"""Batch writes run a fixed number of SQL statements whatever the number of people:
enrolling an organisation, importing enrolments from a CSV, releasing grades."""

from __future__ import annotations

from decimal import Decimal

import pytest
from sqlalchemy import func, select

from assessments.models import AssessmentKind, Grade, GradeHistory, GradeStatus
from assessments.services import grading
from courses.models import Enrolment, EnrolmentStatus
from courses.services import enrolments
from lms.accounts.models import Role, User, UserRole
from lms.audit.models import AuditEntry
from lms.db import db
from tests.querycount import statements

SIZES = (3, 30)


def _trainees(n: int, prefix: str, organisation=None) -> list[User]:
    """n active trainees, written directly (no password hashing: the count is what matters)."""
    users = [
        User(
            email=f"{prefix}{i}@example.org",
            full_name=f"Corsista {prefix} {i:02d}",
            organisation_id=organisation.id if organisation is not None else None,
            role_rows=[UserRole(role=Role.TRAINEE)],
        )
        for i in range(n)
    ]
    db.session.add_all(users)
    db.session.commit()
    return users


def _audit_count(action: str) -> int:
    return db.session.scalar(select(func.count()).where(AuditEntry.action == action))


@pytest.fixture
def actor(make):
    return make.user(Role.COORDINATOR)


def test_enrol_organisation_runs_the_same_statements_for_3_and_30(app, make, actor):
    counts = {}
    for n in SIZES:
        org = make.organisation()
        course = make.course(capacity=n - 1)  # the last one goes on the waiting list
        _trainees(n, f"org{n}-", org)
        db.session.expire_all()
        with statements() as seen:
            created, skipped = enrolments.enrol_organisation(actor, course, org.id)
            db.session.commit()
        counts[n] = len(seen)
        assert (len(created), skipped) == (n, 0)
        statuses = sorted(e.status.value for e in created)
        assert statuses == ["active"] * (n - 1) + ["waiting"]
    assert _audit_count("enrolment.create") == sum(SIZES)
    print(f"enrol_organisation statements: {counts}")
    assert counts[3] == counts[30], counts


def test_import_csv_runs_the_same_statements_for_3_and_30(app, make, actor):
    counts = {}
    for n in SIZES:
        course = make.course()
        users = _trainees(n, f"csv{n}-")
        data = ("email;data_iscrizione\n" + "".join(f"{u.email};\n" for u in users)).encode()
        db.session.expire_all()
        with statements() as seen:
            result = enrolments.import_csv(actor, course, data, dry_run=False)
            db.session.commit()
        counts[n] = len(seen)
        assert result.applied and result.ok
        enrolled = db.session.scalar(
            select(func.count()).where(
                Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ACTIVE
            )
        )
        assert enrolled == n
    print(f"import_csv statements: {counts}")
    assert counts[3] == counts[30], counts


def test_release_runs_the_same_statements_for_3_and_30(app, make, actor):
    counts = {}
    for n in SIZES:
        trainer = make.user(Role.TRAINER)
        course = make.course(trainers=[trainer])
        assessment = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer)
        db.session.add_all(
            Grade(
                assessment_id=assessment.id,
                trainee_id=u.id,
                status=GradeStatus.GRADED,
                score=Decimal("7.00"),
            )
            for u in _trainees(n, f"rel{n}-")
        )
        db.session.commit()
        db.session.expire_all()
        with statements() as seen:
            released = grading.release(trainer, assessment)
            db.session.flush()
        # The commit then sends each trainee's mail copy: one message, one claim, one send.
        db.session.commit()
        counts[n] = len(seen)
        assert released == n
        grades = list(db.session.scalars(select(Grade).where(Grade.assessment_id == assessment.id)))
        assert {g.status for g in grades} == {GradeStatus.RELEASED}
        assert {g.version_id for g in grades} == {2}
        history = db.session.scalar(
            select(func.count()).where(
                GradeHistory.action == "grade.release",
                GradeHistory.grade_id.in_([g.id for g in grades]),
            )
        )
        assert history == n
    assert _audit_count("grade.release") == sum(SIZES)
    print(f"release statements: {counts}")
    assert counts[3] == counts[30], counts


def test_batch_enrolment_reinstates_the_withdrawn_and_fills_places_in_order(app, make, actor):
    """A withdrawn trainee in an organisation comes back (same row, audited as a
    reinstatement); places go in name order and the rest wait, then move up in order."""
    org = make.organisation()
    course = make.course(capacity=2)
    users = _trainees(4, "mix-", org)
    back = enrolments.enrol(actor, course, users[0])
    enrolments.withdraw(actor, back, course, "Cambio di turno")
    db.session.commit()
    created, skipped = enrolments.enrol_organisation(actor, course, org.id)
    db.session.commit()
    assert skipped == 0
    assert [(e.user_id, e.status) for e in created] == [
        (users[0].id, EnrolmentStatus.ACTIVE),
        (users[1].id, EnrolmentStatus.ACTIVE),
        (users[2].id, EnrolmentStatus.WAITING),
        (users[3].id, EnrolmentStatus.WAITING),
    ]
    assert created[0].id == back.id
    assert _audit_count("enrolment.reinstate") == 1
    enrolments.withdraw(actor, created[1], course, "Trasferimento")
    db.session.commit()
    status = dict(
        db.session.execute(
            select(Enrolment.user_id, Enrolment.status).where(Enrolment.course_id == course.id)
        ).all()
    )
    assert status[users[2].id] == EnrolmentStatus.ACTIVE
    assert status[users[3].id] == EnrolmentStatus.WAITING
    assert _audit_count("enrolment.promote") == 1
