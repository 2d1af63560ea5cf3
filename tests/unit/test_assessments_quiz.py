"""Quizzes: automatic grading with partial credit, attempts kept on the server, time limits,
closing time, attempts allowed, final-assessment eligibility, and unreleased grades."""

import datetime as dt
from decimal import Decimal as D

import pytest

from assessments.models import AssessmentKind, Attempt, GradeStatus
from assessments.scoring import PartialCredit, QuestionType
from assessments.services import results, taking
from assessments.services.grading import release
from assessments.services.taking import AnswerInput
from courses.models import AttendanceStatus
from courses.services.registers import RowInput, save_register
from lms.accounts.models import Role
from lms.db import db, utcnow
from lms.errors import Conflict, NotEligible


@pytest.fixture
def setup(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    quiz = make.assessment(
        course,
        AssessmentKind.QUIZ,
        title="Legge 68/1999",
        max_points="9",
        pass_mark="5",
        actor=trainer,
    )
    single = make.question(quiz, QuestionType.SINGLE, points="2", actor=trainer)
    multi = make.question(
        quiz,
        QuestionType.MULTIPLE,
        points="3",
        actor=trainer,
        choices=[("a", True), ("b", True), ("c", False), ("d", True)],
        partial_credit=PartialCredit.RIGHT_MINUS_WRONG,
    )
    numeric = make.question(
        quiz, QuestionType.NUMERIC, points="2", actor=trainer, expected_number="7", tolerance="0.5"
    )
    short = make.question(
        quiz,
        QuestionType.SHORT_TEXT,
        points="2",
        actor=trainer,
        accepted_answers="collocamento mirato\nCPI",
    )
    return {
        "trainer": trainer,
        "course": course,
        "trainee": trainee,
        "quiz": quiz,
        "single": single,
        "multi": multi,
        "numeric": numeric,
        "short": short,
    }


def _choice(q, *, correct=True, index=None):
    if index is not None:
        return q.choices[index].id
    return next(c.id for c in q.choices if c.correct is correct)


def _load_choices(s, *questions):
    """The questions with their choices loaded, as the quiz's trainer reads them."""
    from assessments.services.taking import load_questions

    by_id = {q.id: q for q in load_questions(s["trainer"], s["quiz"])}
    return [by_id[q.id] for q in questions]


def test_automatic_grading_with_partial_credit(setup):
    s = setup
    single, multi, numeric, short = _load_choices(
        s, s["single"], s["multi"], s["numeric"], s["short"]
    )
    attempt = taking.start_attempt(s["trainee"], s["quiz"])
    answers = [
        AnswerInput(single.id, [_choice(single)]),  # right: 2
        # two of three right choices and one wrong: (2 - 1) / 3 of 3 points = 1
        AnswerInput(multi.id, [multi.choices[0].id, multi.choices[1].id, multi.choices[2].id]),
        AnswerInput(numeric.id, [], "7,4"),  # within 0.5 of 7: 2
        AnswerInput(short.id, [], "  Collocamento   MIRATO "),  # normalised match: 2
    ]
    taking.submit_attempt(s["trainee"], attempt, answers)
    db.session.commit()
    assert attempt.score == D("7.00")
    grade = taking.grade_of(s["quiz"], s["trainee"].id)
    assert grade.status == GradeStatus.GRADED
    assert grade.score == D("7.00")
    scores = {qid: a.score for qid, a in taking.answers_of(s["trainee"], attempt).items()}
    assert scores[multi.id] == D("1.00")
    assert scores[numeric.id] == D("2.00")


def test_wrong_answers_score_zero_and_unanswered_count_zero(setup):
    s = setup
    single, numeric = _load_choices(s, s["single"], s["numeric"])
    attempt = taking.start_attempt(s["trainee"], s["quiz"])
    taking.submit_attempt(
        s["trainee"],
        attempt,
        [
            AnswerInput(single.id, [_choice(single, correct=False)]),
            AnswerInput(numeric.id, [], "7.6"),
        ],
    )
    assert attempt.score == D("0.00")


def test_attempt_survives_reload_with_order_and_answers(setup):
    s = setup
    (single,) = _load_choices(s, s["single"])
    first = taking.start_attempt(s["trainee"], s["quiz"])
    order = list(first.question_order)
    assert sorted(order) == sorted([s["single"].id, s["multi"].id, s["numeric"].id, s["short"].id])
    right = _choice(single)
    assert taking.save_answers(s["trainee"], first, [AnswerInput(single.id, [right])])
    db.session.commit()
    db.session.expire_all()
    again = taking.start_attempt(s["trainee"], s["quiz"])  # the page is loaded again
    assert again.id == first.id
    assert again.question_order == order
    assert taking.answers_of(s["trainee"], again)[single.id].selected == [right]


def test_time_limit_is_enforced_on_the_server(setup):
    s = setup
    quiz = s["quiz"]
    quiz.time_limit_minutes = 10
    db.session.commit()
    (single,) = _load_choices(s, s["single"])
    t0 = utcnow()
    attempt = taking.start_attempt(s["trainee"], quiz, now=t0)
    assert attempt.deadline == t0 + dt.timedelta(minutes=10)
    taking.save_answers(
        s["trainee"],
        attempt,
        [AnswerInput(single.id, [_choice(single)])],
        now=t0 + dt.timedelta(minutes=5),
    )
    # A later answer arrives after the deadline: it is not kept, the attempt closes.
    ok = taking.save_answers(
        s["trainee"],
        attempt,
        [AnswerInput(s["numeric"].id, [], "7")],
        now=t0 + dt.timedelta(minutes=11),
    )
    assert ok is False
    assert attempt.finished and attempt.auto_closed
    assert attempt.submitted_at == attempt.deadline
    assert attempt.score == D("2.00")
    with pytest.raises(Conflict):
        taking.submit_attempt(s["trainee"], attempt, [], now=t0 + dt.timedelta(minutes=12))


def test_submitting_after_the_deadline_keeps_only_saved_answers(setup):
    s = setup
    s["quiz"].time_limit_minutes = 5
    db.session.commit()
    single, numeric = _load_choices(s, s["single"], s["numeric"])
    t0 = utcnow()
    attempt = taking.start_attempt(s["trainee"], s["quiz"], now=t0)
    taking.save_answers(
        s["trainee"],
        attempt,
        [AnswerInput(single.id, [_choice(single)])],
        now=t0 + dt.timedelta(minutes=1),
    )
    taking.submit_attempt(
        s["trainee"], attempt, [AnswerInput(numeric.id, [], "7")], now=t0 + dt.timedelta(minutes=6)
    )
    assert attempt.auto_closed
    assert attempt.score == D("2.00")


def test_no_attempt_beyond_the_attempts_allowed(setup):
    s = setup
    s["quiz"].attempts_allowed = 1
    db.session.commit()
    attempt = taking.start_attempt(s["trainee"], s["quiz"])
    taking.submit_attempt(s["trainee"], attempt, [])
    with pytest.raises(Conflict, match="tutti i tentativi"):
        taking.start_attempt(s["trainee"], s["quiz"])
    assert db.session.query(Attempt).count() == 1


def test_best_attempt_counts(setup):
    s = setup
    (single,) = _load_choices(s, s["single"])
    a1 = taking.start_attempt(s["trainee"], s["quiz"])
    taking.submit_attempt(s["trainee"], a1, [AnswerInput(single.id, [_choice(single)])])
    a2 = taking.start_attempt(s["trainee"], s["quiz"])
    assert a2.number == 2
    taking.submit_attempt(s["trainee"], a2, [])
    grade = taking.grade_of(s["quiz"], s["trainee"].id)
    assert grade.score == D("2.00") and grade.attempt_id == a1.id


def test_no_attempt_after_closing_or_before_opening(setup):
    s = setup
    quiz = s["quiz"]
    with pytest.raises(Conflict, match="chiusa"):
        taking.start_attempt(s["trainee"], quiz, now=quiz.closes_at + dt.timedelta(seconds=1))
    with pytest.raises(Conflict, match="non è ancora aperta"):
        taking.start_attempt(s["trainee"], quiz, now=quiz.opens_at - dt.timedelta(seconds=1))


def test_not_enrolled_and_unpublished_are_refused(setup, make):
    s = setup
    stranger = make.user(Role.TRAINEE)
    with pytest.raises(Conflict, match="Non sei iscritto"):
        taking.start_attempt(stranger, s["quiz"])
    s["quiz"].published = False
    db.session.commit()
    with pytest.raises(Conflict, match="non è ancora pubblicata"):
        taking.start_attempt(s["trainee"], s["quiz"])


def test_trainee_cannot_use_another_trainees_attempt(setup, make):
    s = setup
    other = make.user(Role.TRAINEE)
    make.enrolment(s["course"], other)
    attempt = taking.start_attempt(s["trainee"], s["quiz"])
    from lms.errors import NotFound

    with pytest.raises(NotFound):
        taking.save_answers(other, attempt, [])
    with pytest.raises(NotFound):
        taking.submit_attempt(other, attempt, [])


def test_unreleased_grade_is_never_shown_to_the_trainee(setup):
    s = setup
    attempt = taking.start_attempt(s["trainee"], s["quiz"])
    taking.submit_attempt(s["trainee"], attempt, [])
    db.session.commit()
    mine = results.my_assessments(s["trainee"])
    assert [m.status for m in mine] == [GradeStatus.SUBMITTED]
    assert mine[0].grade is None
    assert results.my_results(s["trainee"]) == []
    assert taking.my_grade(s["trainee"], s["quiz"]) is None
    assert release(s["trainer"], s["quiz"]) == 1
    db.session.commit()
    mine = results.my_assessments(s["trainee"])
    assert mine[0].status == GradeStatus.RELEASED and mine[0].grade.score == D("0.00")
    assert len(results.my_results(s["trainee"])) == 1


# --- final assessment and attendance ------------------------------------------------------


def test_final_assessment_refuses_a_trainee_below_the_attendance_threshold(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer], assessment_threshold_pct=70)
    present, absent = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    e_present = make.enrolment(course, present)
    e_absent = make.enrolment(course, absent)
    lesson = make.lesson(course, trainer=trainer, date=course.start_date + dt.timedelta(days=1))
    save_register(
        trainer,
        lesson,
        course,
        [
            RowInput(e_present.id, AttendanceStatus.PRESENT, lesson.length_minutes, "", 0),
            RowInput(e_absent.id, AttendanceStatus.ABSENT, 0, "", 0),
        ],
        now=lesson.ends_at,
    )
    db.session.commit()
    final = make.assessment(course, AssessmentKind.QUIZ, is_final=True, actor=trainer)
    make.question(final, actor=trainer)
    assert taking.access(present, final).allowed
    refused = taking.access(absent, final)
    assert not refused.allowed and "70%" in refused.reason
    with pytest.raises(NotEligible):
        taking.start_attempt(absent, final)
    assert taking.start_attempt(present, final).number == 1
