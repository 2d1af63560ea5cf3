"""Quiz questions: adding and deleting them while no trainee has started the quiz."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select

from assessments.models import Assessment, Attempt, Choice, Question
from assessments.permissions import can_edit_assessment
from assessments.scoring import PartialCredit, QuestionType, q2
from assessments.services.common import points
from lms.audit.services import record, snapshot
from lms.db import db, next_position
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require
from lms.standards.alignment import alignment_items
from lms.validation import FieldErrors, optional_text, required_text


@dataclass
class QuestionInput:
    kind: QuestionType
    prompt: str
    points: Decimal | str
    choices: list[tuple[str, bool]] = field(default_factory=list)  # (text, correct)
    partial_credit: PartialCredit = PartialCredit.ALL_OR_NOTHING
    accepted_answers: str = ""
    expected_number: Decimal | str | None = None
    tolerance: Decimal | str = Decimal(0)
    feedback: str = ""
    framework_item_ids: list[int] = field(default_factory=list)


def _clean_question(data: QuestionInput) -> dict:
    from assessments.scoring import parse_number

    errors: dict[str, list[str]] = {}
    try:
        prompt = required_text(data.prompt, "prompt", 5000)
    except ValidationFailed as err:
        errors.update(err.fields)
        prompt = ""
    try:
        pts = points(data.points, "points")
        if pts <= 0:
            errors["points"] = [_("A question is worth more than zero points.")]
    except ValidationFailed as err:
        errors.update(err.fields)
        pts = None
    texts = FieldErrors(errors)
    choices = [
        (texts.check(required_text, t, "choices", 1000) or "", bool(c))
        for t, c in data.choices
        if (t or "").strip()
    ]
    accepted = texts.check(optional_text, data.accepted_answers, "accepted_answers", 5000)
    feedback = texts.check(optional_text, data.feedback, "feedback", 10000)
    if data.kind == QuestionType.TRUE_FALSE:
        right = [c for _t, c in choices]
        if len(choices) != 2:
            truth = bool(choices[0][1]) if choices else True
            choices = [(_("True"), truth), (_("False"), not truth)]
            right = [truth, not truth]
        if sum(right) != 1:
            errors["choices"] = [_("Mark which one is right: true or false.")]
    elif data.kind == QuestionType.SINGLE:
        if len(choices) < 2 or sum(c for _t, c in choices) != 1:
            errors["choices"] = [_("Give at least two choices, exactly one of them right.")]
    elif data.kind == QuestionType.MULTIPLE:
        if len(choices) < 2 or not any(c for _t, c in choices):
            errors["choices"] = [_("Give at least two choices, at least one of them right.")]
    else:
        choices = []
    expected, tolerance = None, Decimal(0)
    if data.kind == QuestionType.SHORT_TEXT and not (data.accepted_answers or "").strip():
        errors["accepted_answers"] = [_("Give at least one accepted answer.")]
    if data.kind == QuestionType.NUMERIC:
        expected = parse_number(str(data.expected_number or ""))
        tolerance = parse_number(str(data.tolerance or "0"))
        if expected is None:
            errors["expected_number"] = [_("Enter the expected number.")]
        if tolerance is None or tolerance < 0:
            errors["tolerance"] = [_("Enter a tolerance of zero or more.")]
    try:
        items = alignment_items(data.framework_item_ids)
    except ValidationFailed as err:
        errors.update(err.fields)
        items = []
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    return {
        "prompt": prompt,
        "points": pts,
        "choices": choices,
        "items": items,
        "partial_credit": data.partial_credit
        if data.kind == QuestionType.MULTIPLE
        else PartialCredit.ALL_OR_NOTHING,
        "accepted_answers": "\n".join(a.strip() for a in (accepted or "").splitlines() if a.strip())
        if data.kind == QuestionType.SHORT_TEXT
        else "",
        "expected_number": expected,
        "tolerance": tolerance or Decimal(0),
        "feedback": feedback or "",
    }


QUESTION_FIELDS = [
    "kind",
    "prompt",
    "points",
    "partial_credit",
    "accepted_answers",
    "expected_number",
    "tolerance",
]


def _check_quiz(actor, assessment: Assessment) -> None:
    require(can_edit_assessment(actor, assessment))
    if not assessment.is_quiz:
        raise Conflict(_("Only quizzes have questions."))
    if db.session.scalar(select(func.count()).where(Attempt.assessment_id == assessment.id)):
        raise Conflict(_("Trainees have already started this quiz: its questions are locked."))


def add_question(actor, assessment: Assessment, data: QuestionInput) -> Question:
    """Add a question at the end of a quiz (locked once a trainee has started)."""
    _check_quiz(actor, assessment)
    c = _clean_question(data)
    position = next_position(Question.position, Question.assessment_id == assessment.id)
    q = Question(
        assessment_id=assessment.id,
        position=position,
        kind=data.kind,
        prompt=c["prompt"],
        points=c["points"],
        partial_credit=c["partial_credit"],
        accepted_answers=c["accepted_answers"],
        expected_number=c["expected_number"],
        tolerance=c["tolerance"],
        feedback=c["feedback"],
    )
    q.choices = [Choice(position=i, text=t, correct=ok) for i, (t, ok) in enumerate(c["choices"])]
    q.framework_items = c["items"]
    db.session.add(q)
    db.session.flush()
    record(actor, "question.create", "question", q.id, None, snapshot(q, QUESTION_FIELDS))
    return q


def delete_question(actor, question: Question) -> None:
    """Delete a question of a quiz nobody has started."""
    assessment = db.session.get(Assessment, question.assessment_id)
    _check_quiz(actor, assessment)
    record(
        actor, "question.delete", "question", question.id, snapshot(question, QUESTION_FIELDS), None
    )
    db.session.delete(question)
    db.session.flush()


def quiz_total(assessment_id: int) -> Decimal:
    """The sum of the points of a quiz's questions."""
    return q2(
        db.session.scalar(
            select(func.coalesce(func.sum(Question.points), 0)).where(
                Question.assessment_id == assessment_id
            )
        )
        or Decimal(0)
    )
