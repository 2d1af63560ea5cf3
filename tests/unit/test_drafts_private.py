"""A draft course, its lessons and assessments are seen by its trainers, coordinators and
admins only: not by its enrolled trainees, not by referents (predicates and read services);
back out of draft, they see it again."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments import permissions as ap
from assessments.models import AssessmentKind
from assessments.services.results import my_assessments
from courses import permissions as p
from courses.models import CourseStatus
from courses.services.courses import courses_with_employees_of, readable_courses, set_status
from courses.services.enrolments import today
from courses.trainee_courses import courses_of_trainee
from lms.accounts.models import Role
from lms.db import db


@pytest.fixture
def draft(app, make):
    org = make.organisation()
    trainer = make.user(Role.TRAINER)
    trainee = make.user(Role.TRAINEE, organisation=org)
    referent = make.user(Role.REFERENT, organisation=org)
    course = make.course(trainers=[trainer], status=CourseStatus.DRAFT)
    lesson = make.lesson(course, trainer=trainer, date=today() + dt.timedelta(days=3))
    enrolment = make.enrolment(course, trainee)
    assessment = make.assessment(course, AssessmentKind.ASSIGNMENT)
    return dict(
        trainer=trainer,
        trainee=trainee,
        referent=referent,
        coordinator=make.coordinator(),
        admin=make.user(Role.ADMIN),
        course=course,
        lesson=lesson,
        enrolment=enrolment,
        assessment=assessment,
    )


def _sees(user, d) -> dict[str, bool]:
    return {
        "course": p.can_read_course(user, d["course"]),
        "report": p.can_view_course_report(user, d["course"]),
        "enrolment": p.can_view_enrolment(user, d["enrolment"]),
        "trainee page": p.can_view_trainee_course(user, d["enrolment"]),
        "materials": p.can_view_materials(user, d["course"]),
        "lesson event": p.can_download_lesson_event(user, d["lesson"]),
        "assessments": ap.can_list_assessments(user, d["course"]),
        "assessment": ap.can_view_assessment(user, d["assessment"]),
    }


def test_outside_the_scope_a_draft_is_invisible(draft):
    trainee_sees = _sees(draft["trainee"], draft)
    assert not any(trainee_sees.values()), trainee_sees
    referent_sees = _sees(draft["referent"], draft)
    assert not any(referent_sees.values()), referent_sees
    assert draft["course"].id not in db.session.scalars(readable_courses(draft["trainee"])).all()
    assert (
        draft["course"].id
        not in db.session.scalars(
            courses_with_employees_of(draft["referent"].organisation_id)
        ).all()
    )
    assert courses_of_trainee(draft["trainee"]) == []
    assert my_assessments(draft["trainee"]) == []


def test_inside_the_scope_a_draft_is_visible(draft):
    for who in ("trainer", "coordinator", "admin"):
        sees = _sees(draft[who], draft)
        assert all(sees.values()), (who, sees)


def test_out_of_draft_trainees_and_referents_see_it_again(draft):
    set_status(draft["coordinator"], draft["course"], CourseStatus.OPEN)
    db.session.commit()
    trainee = _sees(draft["trainee"], draft)
    assert not trainee.pop("report")  # the report is never a trainee's
    assert all(trainee.values()), trainee
    referent = _sees(draft["referent"], draft)
    assert referent["course"] and referent["report"] and referent["trainee page"]
    assert not referent["materials"] and not referent["assessment"]  # never theirs
    assert [tc.course.id for tc in courses_of_trainee(draft["trainee"])] == [draft["course"].id]
