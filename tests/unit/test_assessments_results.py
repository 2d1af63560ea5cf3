"""Gradebook, worklist and results by framework item: content, scope and a fixed number of
SQL queries whatever the cohort size."""

import datetime as dt
from decimal import Decimal as D

import pytest

from assessments.models import AssessmentKind, GradeStatus
from assessments.scoring import QuestionType
from assessments.services import grading, results, taking
from assessments.services.grading import MarkInput
from assessments.services.taking import AnswerInput, load_questions
from lms.accounts.models import Role
from lms.db import db
from lms.standards.services import (
    create_ability,
    create_competence,
    create_framework,
    create_knowledge_item,
)
from tests.querycount import statements


def _cohort(make, size: int):
    """A course with a quiz and an assignment, `size` trainees who all submitted, half of
    them graded and released."""
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    lesson = make.lesson(course, trainer=trainer, date=course.start_date + dt.timedelta(days=2))
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer, weight="1")
    make.question(quiz, actor=trainer, points="10")
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer, weight="2")
    trainees = []
    for i in range(size):
        t = make.user(Role.TRAINEE)
        make.enrolment(course, t)
        attempt = taking.start_attempt(t, quiz)
        taking.submit_attempt(t, attempt, [])
        taking.submit_work(t, work, text=f"Progetto {i}")
        if i % 2 == 0:
            g = grading.grade_for_marking(trainer, work, t.id)
            grading.save_mark(trainer, work, g, MarkInput(score="8"))
        trainees.append(t)
    db.session.commit()
    assert lesson.id
    return trainer, course, trainees, quiz, work


def _gradebook_queries(make, size):
    trainer, course, _trainees, *_ = _cohort(make, size)
    db.session.expire_all()
    with statements() as c:
        book = results.gradebook(trainer, course)
        assert len(book.rows) == size
        for row in book.rows:  # everything the page shows, without further queries
            _ = (row.trainee.full_name, row.result, row.passed, row.eligible, row.attendance_pct)
            _ = [(g.status, g.score) for g in row.cells.values() if g is not None]
    with statements() as w:
        items = results.worklist(trainer)
        assert len(items) == size - (size + 1) // 2
        for item in items:
            _ = (item.trainee.full_name, item.assessment.title, item.course.title, item.action)
    return len(c), len(w)


def test_gradebook_and_worklist_queries_do_not_grow_with_the_cohort(app, make):
    small = _gradebook_queries(make, 2)
    large = _gradebook_queries(make, 9)
    assert small == large


def test_gradebook_weighted_result_and_pass(app, make):
    trainer, course, trainees, _quiz, _work = _cohort(make, 2)
    book = results.gradebook(trainer, course)
    by_id = {r.trainee.id: r for r in book.rows}
    graded, ungraded = by_id[trainees[0].id], by_id[trainees[1].id]
    # quiz 0/10 weight 1, assignment 8/10 weight 2: (0 + 80 * 2) / 3
    assert graded.result == D("53.33") and graded.complete
    assert graded.passed is False  # the quiz is under its pass mark
    assert not ungraded.complete and ungraded.passed is False
    released = results.gradebook(trainer, course, released_only=True)
    assert all(r.result is None for r in released.rows)


def test_worklist_is_scoped_to_the_trainers_courses(app, make):
    trainer, _course, _trainees, _quiz, _work = _cohort(make, 3)
    other = make.user(Role.TRAINER)
    make.course(trainers=[other])
    assert results.worklist(other) == []
    coordinator = make.user(Role.COORDINATOR)
    assert len(results.worklist(coordinator)) == 1
    assert [i.action for i in results.worklist(trainer)] == ["grade"]


def test_worklist_offers_second_mark_and_agreement(app, make):
    t1, t2 = make.user(Role.TRAINER), make.user(Role.TRAINER)
    course = make.course(trainers=[t1, t2])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    work = make.assessment(
        course, AssessmentKind.ASSIGNMENT, actor=t1, double_marking=True, marking_tolerance="1"
    )
    taking.submit_work(trainee, work, text="Progetto")
    g = grading.grade_for_marking(t1, work, trainee.id)
    grading.save_mark(t1, work, g, MarkInput(score="9"))
    db.session.commit()
    assert results.worklist(t1) == []  # waiting for the second marker
    assert [i.action for i in results.worklist(t2)] == ["second_mark"]
    grading.save_mark(t2, work, g, MarkInput(score="4"))
    db.session.commit()
    assert [i.action for i in results.worklist(t1)] == ["agree"]


def test_results_for_items_returns_released_criterion_levels_and_question_scores(app, make):
    coord = make.user(Role.ADMIN)  # standards are the administrators'
    fw = create_framework(coord, code="T", title="Quadro di prova", issuer="Regione")
    comp = create_competence(coord, fw, code="C1", title="Pianificare")
    ability = create_ability(coord, comp, code="C1.A1", title="Calcolare la quota")
    knowledge = create_knowledge_item(coord, comp, code="C1.K1", title="Legge 68/1999")
    unused = create_knowledge_item(coord, comp, code="C1.K2", title="Altro")
    from lms.standards import lifecycle

    lifecycle.publish(coord, fw)  # records point at published items only
    db.session.commit()
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee, other = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    make.enrolment(course, other)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer, title="Quiz L. 68")
    make.question(
        quiz, QuestionType.TRUE_FALSE, actor=trainer, points="2", framework_item_ids=[knowledge.id]
    )
    work = make.assessment(
        course,
        AssessmentKind.ASSIGNMENT,
        actor=trainer,
        title="Progetto",
        framework_item_ids=[ability.id],
    )
    make.rubric(work, criteria=1, actor=trainer, items=[ability])
    (q,) = load_questions(trainer, quiz)
    right = next(c.id for c in q.choices if c.correct)
    for person in (trainee, other):
        attempt = taking.start_attempt(person, quiz)
        taking.submit_attempt(person, attempt, [AnswerInput(q.id, [right])])
        taking.submit_work(person, work, text="Progetto")
    db.session.commit()
    rubric = grading.assessment_rubric(work)
    crit = rubric.criteria[0]
    top = max(crit.levels, key=lambda lv: lv.points)
    g = grading.grade_for_marking(trainer, work, trainee.id)
    grading.save_mark(trainer, work, g, MarkInput(levels={crit.id: top.id}))
    db.session.commit()
    # Nothing released yet: nothing to show.
    assert results.results_for_items(trainee, trainee, [ability.id, knowledge.id]) == {
        ability.id: [],
        knowledge.id: [],
    }
    grading.release(trainer, quiz)
    grading.release(trainer, work)
    db.session.commit()
    found = results.results_for_items(trainee, trainee, [ability.id, knowledge.id, unused.id])
    assert found[unused.id] == []
    assert [(r.source, r.points, r.max_points) for r in found[knowledge.id]] == [
        ("question", D("2.00"), D("2.00"))
    ]
    by_source = {r.source: r for r in found[ability.id]}
    assert set(by_source) == {"criterion", "assessment"}
    crit_result = by_source["criterion"]
    assert (crit_result.level, crit_result.points, crit_result.max_points) == (
        "Ottimo",
        D("5.00"),
        D("5.00"),
    )
    assert crit_result.assessment_title == "Progetto" and crit_result.date is not None
    assert by_source["assessment"].points == g.score
    # The other trainee's unreleased results never leak into this one's.
    assert all(r.assessment_id in (quiz.id, work.id) for r in found[ability.id])
    assert results.results_for_items(other, other, [ability.id])[ability.id] == []


@pytest.mark.parametrize("status", [GradeStatus.GRADED, GradeStatus.IN_GRADING])
def test_my_assessments_hide_drafts(app, make, status):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer)
    taking.submit_work(trainee, work, text="x")
    g = grading.grade_for_marking(trainer, work, trainee.id)
    grading.save_mark(trainer, work, g, MarkInput(score="9", complete=status == GradeStatus.GRADED))
    db.session.commit()
    assert g.status == status
    (mine,) = results.my_assessments(trainee)
    assert mine.status == GradeStatus.SUBMITTED and mine.grade is None
