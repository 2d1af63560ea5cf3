"""The assessments predicates, with objects inside and outside each role's scope, and services
that refuse an out-of-scope actor without changing anything."""

from __future__ import annotations

import pytest
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from assessments import permissions as p
from assessments.models import (
    Assessment,
    AssessmentKind,
    AttemptAnswer,
    Grade,
    GradeStatus,
    Mark,
    MarkerRole,
    Question,
    RubricCriterion,
)
from assessments.scoring import QuestionType
from assessments.services import authoring, grading, results, taking
from assessments.services.grading import MarkInput
from assessments.services.taking import AnswerInput
from courses.models import CourseStatus
from lms.accounts.models import Role
from lms.db import db
from lms.errors import Forbidden, NotFound


@pytest.fixture
def w(app, make):
    """Two courses with their own trainers; a trainee enrolled in the first, one enrolled
    nowhere; a quiz with a question, an assignment with a submission, a draft, a rubric."""
    t1, t2 = make.user(Role.TRAINER), make.user(Role.TRAINER)
    stranger = make.user(Role.TRAINER)  # trainer of another course only
    coordinator = make.user(Role.COORDINATOR)
    course = make.course(trainers=[t1, t2])
    other_course = make.course(trainers=[stranger])
    trainee, classmate, outsider = (make.user(Role.TRAINEE) for _ in range(3))
    make.enrolment(course, trainee)
    make.enrolment(course, classmate)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=t1)
    make.question(quiz, QuestionType.TRUE_FALSE, actor=t1)
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=t1, double_marking=True)
    rubric = make.rubric(work, actor=t1)
    draft = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=t1, published=False)
    sub = taking.submit_work(trainee, work, text="Il mio progetto")
    attempt = taking.start_attempt(trainee, quiz)
    db.session.commit()
    return {
        "t1": t1,
        "t2": t2,
        "stranger": stranger,
        "coordinator": coordinator,
        "course": course,
        "other_course": other_course,
        "trainee": trainee,
        "classmate": classmate,
        "outsider": outsider,
        "quiz": quiz,
        "work": work,
        "draft": draft,
        "rubric": rubric,
        "sub": sub,
        "attempt": attempt,
        "grade": taking.grade_of(work, trainee.id),
    }


def test_course_scope_of_trainers_and_staff(w):
    course, a = w["course"], w["work"]
    for allowed in (w["t1"], w["coordinator"]):
        assert p.can_view_assessments(allowed, course)
        assert p.can_manage_assessments(allowed, course)
        assert p.can_grade(allowed, course)
        assert p.can_view_gradebook(allowed, course)
        assert p.can_view_questions(allowed, w["quiz"])
        assert p.can_edit_assessment(allowed, a)
        assert p.can_release_grades(allowed, a)
        assert p.can_view_submission(allowed, w["sub"])
        assert p.can_view_grade(allowed, w["grade"])
        assert p.can_edit_rubric(allowed, w["rubric"])
    stranger = w["stranger"]  # a trainer, but of another course
    assert p.can_author_assessments(stranger)
    assert p.can_manage_assessments(stranger, w["other_course"])
    assert not p.can_view_assessments(stranger, course)
    assert not p.can_manage_assessments(stranger, course)
    assert not p.can_grade(stranger, course)
    assert not p.can_view_gradebook(stranger, course)
    assert not p.can_view_assessment(stranger, a)
    assert not p.can_view_questions(stranger, w["quiz"])
    assert not p.can_edit_assessment(stranger, a)
    assert not p.can_release_grades(stranger, a)
    assert not p.can_view_submission(stranger, w["sub"])
    assert not p.can_view_grade(stranger, w["grade"])
    assert not p.can_mark_grade(stranger, w["grade"])
    assert not p.can_view_rubric(stranger, w["rubric"])
    assert not p.can_edit_rubric(stranger, w["rubric"])
    assert not p.can_view_attempt(stranger, w["attempt"])


def test_a_closed_course_is_read_only_but_still_graded(make, w):
    closed = make.course(trainers=[w["t1"]], status=CourseStatus.CLOSED)
    assert p.can_view_assessments(w["t1"], closed)
    assert p.can_grade(w["t1"], closed)
    assert not p.can_manage_assessments(w["t1"], closed)
    assert not p.can_manage_assessments(w["coordinator"], closed)


def test_trainees_see_published_assessments_of_their_courses_only(w):
    trainee, outsider = w["trainee"], w["outsider"]
    assert p.can_take_assessments(trainee)
    assert p.can_list_assessments(trainee, w["course"])
    assert p.can_view_assessment(trainee, w["work"])
    assert p.can_take_assessment(trainee, w["work"])
    assert not p.can_view_assessment(trainee, w["draft"])  # not published
    assert not p.can_view_questions(trainee, w["quiz"])  # never the key
    assert not p.can_view_assessments(trainee, w["course"])
    assert not p.can_grade(trainee, w["course"])
    # Not enrolled: nothing of the course.
    assert not p.can_list_assessments(outsider, w["course"])
    assert not p.can_view_assessment(outsider, w["work"])
    assert not p.can_take_assessment(outsider, w["work"])
    assert not p.can_author_assessments(trainee)
    assert not p.can_manage_templates(trainee)


def test_own_attempt_submission_and_grade_only(w):
    trainee, classmate = w["trainee"], w["classmate"]
    attempt, sub, grade = w["attempt"], w["sub"], w["grade"]
    assert p.can_work_on_attempt(trainee, attempt)
    assert not p.can_work_on_attempt(classmate, attempt)
    assert not p.can_view_attempt(classmate, attempt)
    assert p.can_view_attempt(w["t1"], attempt)  # a grader reads it ...
    assert not p.can_work_on_attempt(w["t1"], attempt)  # ... but never answers it
    assert p.can_view_submission(trainee, sub)
    assert not p.can_view_submission(classmate, sub)
    # The trainee's own grade is private until released, and never a classmate's.
    assert grade.status == GradeStatus.SUBMITTED
    assert not p.can_view_grade(trainee, grade)
    with db.session.no_autoflush:  # a released grade, never written
        grade.status = GradeStatus.RELEASED
        assert p.can_view_grade(trainee, grade) and p.sees_own_grade(trainee, grade)
        assert not p.can_view_grade(classmate, grade)
    db.session.rollback()
    assert p.can_view_results_of(trainee, trainee)
    assert not p.can_view_results_of(classmate, trainee)
    assert p.can_view_results_of(w["coordinator"], trainee)


def _levels(a, pick) -> dict[int, int]:
    rubric = grading.assessment_rubric(a)
    return {c.id: pick(sorted(c.levels, key=lambda lv: lv.points)).id for c in rubric.criteria}


def test_the_second_marker_grades_blind(w):
    a, grade = w["work"], w["grade"]
    grading.save_mark(w["t1"], a, grade, MarkInput(levels=_levels(a, lambda lv: lv[-1])))
    marks = grading.marks_of(grade)
    (first,) = marks
    assert p.can_view_mark(w["t1"], first, a, marks)  # one's own mark
    assert not p.can_view_mark(w["t2"], first, a, marks)  # the second marker: blind
    grading.save_mark(w["t2"], a, grade, MarkInput(levels=_levels(a, lambda lv: lv[-2])))
    marks = grading.marks_of(grade)
    assert all(p.can_view_mark(w["t2"], m, a, marks) for m in marks)  # both complete


def test_anonymous_visitors_may_do_nothing(w):
    anon = AnonymousUserMixin()
    assert not p.can_view_assessment(anon, w["work"])
    assert not p.can_list_assessments(anon, w["course"])
    assert not p.can_view_submission(anon, w["sub"])
    assert not p.can_view_grade(anon, w["grade"])
    assert not p.can_work_on_attempt(anon, w["attempt"])
    assert not p.can_author_assessments(anon)
    assert not p.can_view_results_of(anon, w["trainee"])


def test_role_level_predicates(w):
    assert p.is_grader(w["t1"]) and p.is_grader(w["coordinator"])
    assert not p.is_grader(w["trainee"])
    assert p.can_view_worklist(w["t1"]) and not p.can_view_worklist(w["trainee"])
    assert p.can_view_gradebooks(w["coordinator"]) and not p.can_view_gradebooks(w["trainee"])
    assert p.sees_all_assessment_work(w["coordinator"])
    assert not p.sees_all_assessment_work(w["t1"])


# --- services refuse an out-of-scope actor and change nothing --------------------------------


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_creating_an_assessment_in_another_trainers_course_is_forbidden(w):
    before = count(Assessment)
    data = authoring.AssessmentInput(
        title="Intrusa",
        kind=AssessmentKind.ASSIGNMENT,
        opens_at=w["work"].opens_at,
        closes_at=w["work"].closes_at,
        max_points="10",
        pass_mark="6",
    )
    with pytest.raises(Forbidden):
        authoring.create_assessment(w["stranger"], w["course"], data)
    db.session.rollback()
    assert count(Assessment) == before


def test_marking_and_releasing_in_another_course_are_forbidden(w):
    with pytest.raises(Forbidden):
        grading.save_mark(w["stranger"], w["work"], w["grade"], MarkInput(score="10"))
    db.session.rollback()
    assert count(Mark) == 0
    with pytest.raises(Forbidden):
        grading.release(w["stranger"], w["quiz"])
    db.session.rollback()
    assert db.session.get(Grade, w["grade"].id).status == GradeStatus.SUBMITTED


def test_a_classmate_cannot_answer_another_trainees_attempt(w):
    (q,) = taking.load_questions(w["t1"], w["quiz"])
    with pytest.raises(NotFound):
        taking.save_answers(w["classmate"], w["attempt"], [AnswerInput(q.id, [q.choices[0].id])])
    db.session.rollback()
    assert count(AttemptAnswer) == 0


def test_criteria_and_questions_of_another_course_cannot_be_added(w):
    criteria = count(RubricCriterion)
    data = authoring.CriterionInput(
        title="Intruso",
        levels=[authoring.LevelInput("No", "0"), authoring.LevelInput("Sì", "5")],
    )
    with pytest.raises(Forbidden):
        authoring.add_criterion(w["stranger"], w["rubric"], data)
    db.session.rollback()
    assert count(RubricCriterion) == criteria
    questions = count(Question)
    with pytest.raises(Forbidden):
        authoring.add_question(
            w["trainee"],
            w["quiz"],
            authoring.QuestionInput(kind=QuestionType.TRUE_FALSE, prompt="?", points="1"),
        )
    db.session.rollback()
    assert count(Question) == questions


def test_reading_services_hide_what_is_out_of_scope(w):
    with pytest.raises(NotFound):
        results.gradebook(w["stranger"], w["course"])
    with pytest.raises(NotFound):
        results.grading_rows(w["trainee"], w["work"])
    with pytest.raises(NotFound):
        authoring.load_for_edit(w["trainee"], w["quiz"])  # the key stays with the trainers
    with pytest.raises(NotFound):
        taking.submission_of(w["classmate"], w["work"], w["trainee"].id)
    with pytest.raises(NotFound):
        taking.answers_of(w["classmate"], w["attempt"])
    with pytest.raises(NotFound):
        authoring.course_assessments(w["outsider"], w["course"])
    with pytest.raises(Forbidden):
        results.results_for_items(w["classmate"], w["trainee"], [1])
    with pytest.raises(Forbidden):
        results.worklist(w["trainee"])
    assert taking.submission_of(w["t1"], w["work"], w["trainee"].id).id == w["sub"].id
    listed = db.session.scalars(authoring.course_assessments(w["trainee"], w["course"])).all()
    assert w["draft"] not in listed and w["work"] in listed


def test_the_marking_view_is_for_the_courses_graders_and_blind(w):
    from assessments.services import marking

    a, grade = w["work"], w["grade"]
    with pytest.raises(NotFound):
        marking.marking_view(w["stranger"], a, grade)
    with pytest.raises(NotFound):
        marking.marking_view(w["trainee"], a, grade)  # not even one's own drafts
    with pytest.raises(NotFound):
        marking.released_review(w["classmate"], a, grade)
    grading.save_mark(w["t1"], a, grade, MarkInput(levels=_levels(a, lambda lv: lv[-1])))
    second = marking.marking_view(w["t2"], a, grade)
    assert second.visible == [] and second.others_hidden
    assert second.role == MarkerRole.SECOND and second.mine is None
    assert [m.marker_id for m in marking.marking_view(w["t1"], a, grade).visible] == [w["t1"].id]
