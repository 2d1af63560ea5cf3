"""What a marker and a trainee read of a grade: the marking page's marks (the second marker
blind), rubric, submission, quiz answers and history; the trainee's review once released."""

from __future__ import annotations

from dataclasses import dataclass, field

from assessments.models import (
    Assessment,
    Attempt,
    Grade,
    GradeHistory,
    Mark,
    MarkerRole,
    Question,
    Rubric,
    Submission,
)
from assessments.permissions import can_mark_grade, can_view_grade
from assessments.services import grading
from assessments.services.taking import answers_of, attempt_questions
from lms.db import db
from lms.permissions import require


@dataclass
class MarkingView:
    """One trainee's grade as the acting marker may read it."""

    grade: Grade
    visible: list[Mark]  # the marks the marker may read
    role: MarkerRole | None  # the mark the marker writes (None: both belong to others)
    mine: Mark | None
    rubric: Rubric | None
    submission: Submission | None
    quiz: dict | None  # attempt, questions, answers of the graded attempt
    history: list[GradeHistory]
    needs_agreement: bool
    agreement_open: bool  # both marks complete: the agreed mark may be recorded
    others_hidden: bool


def visible_marks_of(actor, assessment: Assessment, grade: Grade) -> list[Mark]:
    """The marks of a grade the marker may read (404 for who may not mark it)."""
    require(can_mark_grade(actor, grade), private=True)
    return grading.visible_marks(actor, assessment, grading.marks_of(grade))


def marking_view(actor, assessment: Assessment, grade: Grade) -> MarkingView:
    """Everything the marking page shows, for the course's graders (404 for anyone else)."""
    require(can_mark_grade(actor, grade), private=True)
    marks = grading.marks_of(grade)
    role = grading.my_role(actor, assessment, marks)
    visible = grading.visible_marks(actor, assessment, marks)
    quiz = None
    if assessment.is_quiz and grade.attempt_id:
        attempt = db.session.get(Attempt, grade.attempt_id)
        quiz = {
            "attempt": attempt,
            "questions": attempt_questions(actor, attempt),
            "answers": answers_of(actor, attempt),
        }
    has_work = not (assessment.is_quiz or assessment.is_observed)
    return MarkingView(
        grade=grade,
        visible=visible,
        role=role,
        mine=next((m for m in marks if m.role == role), None) if role else None,
        rubric=grading.assessment_rubric(assessment),
        submission=grading.submission_for(grade) if has_work else None,
        quiz=quiz,
        history=grading.visible_history(actor, assessment, grade, marks),
        needs_agreement=grading.needs_agreement(grade, marks),
        agreement_open=assessment.double_marking and sum(1 for m in marks if m.completed) >= 2,
        others_hidden=len(visible) < len(marks),
    )


@dataclass
class Review:
    """What a trainee reads of a released grade beyond its score and feedback."""

    levels: list[tuple] = field(default_factory=list)  # (criterion, chosen MarkLevel or None)
    questions: list[Question] = field(default_factory=list)
    answers: dict = field(default_factory=dict)


def released_review(actor, assessment: Assessment, grade: Grade | None) -> Review:
    """Rubric levels of a single-marked grade and, when the trainer allows it, the quiz's
    answers with the right ones (for who may read the grade: the trainee once released)."""
    review = Review()
    if grade is None:
        return review
    require(can_view_grade(actor, grade), private=True)
    if assessment.is_quiz and assessment.show_answers and grade.attempt_id:
        attempt = db.session.get(Attempt, grade.attempt_id)
        review.questions = attempt_questions(actor, attempt)
        review.answers = answers_of(actor, attempt)
    elif not assessment.is_quiz and not assessment.double_marking:
        rubric = grading.assessment_rubric(assessment)
        first = next((m for m in grading.marks_of(grade) if m.completed), None)
        if rubric is not None and first is not None:
            chosen = {lv.criterion_id: lv for lv in first.levels}
            review.levels = [(crit, chosen.get(crit.id)) for crit in rubric.criteria]
    return review
