"""The world of the assessment page tests: a course with two trainers (one of another course),
two trainees, a quiz and a rubric-graded assignment; and the helpers both test files use."""

from __future__ import annotations

from assessments.models import AssessmentKind
from assessments.scoring import QuestionType
from lms.accounts.models import Role
from tests.conftest import login

EMPTY_PAGE = {"items": [], "page": 1, "per_page": 50, "total": 0, "pages": 1}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(app, user):
    c = app.test_client()
    login(c, user)
    return c


def build_world(make) -> dict:
    trainer, other_trainer = make.user(Role.TRAINER), make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    make.course(trainers=[other_trainer])
    trainee, classmate = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    make.enrolment(course, classmate)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer, title="Quiz L. 68")
    make.question(quiz, QuestionType.SINGLE, actor=trainer, points="2")
    make.question(
        quiz, QuestionType.NUMERIC, actor=trainer, points="3", expected_number="7", tolerance="0"
    )
    work = make.assessment(
        course, AssessmentKind.ASSIGNMENT, actor=trainer, title="Progetto", max_points="10"
    )
    make.rubric(work, criteria=2, actor=trainer)
    return {
        "trainer": trainer,
        "other_trainer": other_trainer,
        "course": course,
        "trainee": trainee,
        "classmate": classmate,
        "quiz": quiz,
        "work": work,
    }


def uploads_on_disk(app) -> list[str]:
    """Every key in the app's storage (a local folder, or the S3 emulator's prefix)."""
    from lms.storage import storage

    return storage(app).keys()
