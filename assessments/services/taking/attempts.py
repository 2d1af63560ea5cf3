"""Quiz attempts: starting (or resuming) one, saving answers, submitting, closing at the time
limit, scoring, and the quiz's grade (the best attempt)."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.models import (
    Assessment,
    Attempt,
    AttemptAnswer,
    GradeStatus,
    Question,
)
from assessments.permissions import can_view_attempt, can_view_questions, can_work_on_attempt
from assessments.scoring import (
    ChoiceKey,
    QuestionType,
    q2,
    score_choices,
    score_numeric,
    score_text,
)
from assessments.services.common import (
    grade_of,
    grade_snapshot,
    write_history,
)
from assessments.services.taking.access import require_access
from lms.audit.services import record
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require, require_actor
from lms.validation import optional_text


def _questions(assessment_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.assessment_id == assessment_id)
            .options(selectinload(Question.choices))
            .order_by(Question.position, Question.id)
            .execution_options(populate_existing=True)
        )
    )


def load_questions(actor, assessment: Assessment) -> list[Question]:
    """A quiz's questions with their key, in order: for its trainers and staff (404 else)."""
    require(can_view_questions(actor, assessment), private=True)
    return _questions(assessment.id)


def attempt_questions(actor, attempt: Attempt) -> list[Question]:
    """An attempt's questions in the order the trainee got them (the trainee and graders)."""
    require(can_view_attempt(actor, attempt), private=True)
    by_id = {q.id: q for q in _questions(attempt.assessment_id)}
    return [by_id[q] for q in attempt.question_order if q in by_id]


def attempts_of(actor, assessment: Assessment) -> list[Attempt]:
    """The actor's own attempts at a quiz, in order."""
    require_actor(actor)
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.assessment_id == assessment.id, Attempt.trainee_id == actor.id)
            .order_by(Attempt.number)
        )
    )


def open_attempt(assessment: Assessment, trainee_id: int) -> Attempt | None:
    return db.session.scalar(
        select(Attempt).where(
            Attempt.assessment_id == assessment.id,
            Attempt.trainee_id == trainee_id,
            Attempt.submitted_at.is_(None),
        )
    )


def start_attempt(user, assessment: Assessment, now: dt.datetime | None = None) -> Attempt:
    """Start a quiz attempt, or return the one in progress (after a reload or a lost
    connection); the question order is shuffled once and stored."""
    now = now or utcnow()
    require_actor(user)
    if not assessment.is_quiz:
        raise Conflict(_("Only quizzes are taken online."))
    current = open_attempt(assessment, user.id)
    if current is not None and not _expire_if_due(current, now):
        return current
    require_access(user, assessment, now)
    done = db.session.scalar(
        select(func.count()).where(
            Attempt.assessment_id == assessment.id, Attempt.trainee_id == user.id
        )
    )
    if assessment.attempts_allowed is not None and done >= assessment.attempts_allowed:
        raise Conflict(_("You have used all the attempts allowed for this quiz."))
    question_ids = [q.id for q in _questions(assessment.id)]
    if not question_ids:
        raise Conflict(_("This quiz has no questions yet."))
    if assessment.shuffle_questions:
        secrets.SystemRandom().shuffle(question_ids)
    deadline = assessment.last_accepted_at
    if assessment.time_limit_minutes:
        deadline = min(deadline, now + dt.timedelta(minutes=assessment.time_limit_minutes))
    attempt = Attempt(
        assessment_id=assessment.id,
        trainee_id=user.id,
        number=done + 1,
        started_at=now,
        deadline=deadline,
        question_order=question_ids,
    )
    db.session.add(attempt)
    flush_versioned()
    record(
        user,
        "attempt.start",
        "attempt",
        attempt.id,
        None,
        {"assessment_id": assessment.id, "number": attempt.number},
    )
    return attempt


def _answers(attempt: Attempt) -> dict[int, AttemptAnswer]:
    return {
        a.question_id: a
        for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
        )
    }


@dataclass(frozen=True)
class ReviewItem:
    """One question of an attempt on its review page: its place, and whether it has an answer."""

    number: int
    question: Question
    answered: bool


def _is_answered(q: Question, answer: AttemptAnswer | None) -> bool:
    if answer is None:
        return False
    if q.has_choices:
        return bool(answer.selected)
    return bool((answer.text or "").strip())


def attempt_review(actor, attempt: Attempt) -> list[ReviewItem]:
    """Every question of an attempt in the trainee's order, answered or not: what the trainee
    checks before submitting (the trainee and graders; 404 else)."""
    require(can_view_attempt(actor, attempt), private=True)
    saved = _answers(attempt)
    return [
        ReviewItem(n, q, _is_answered(q, saved.get(q.id)))
        for n, q in enumerate(attempt_questions(actor, attempt), start=1)
    ]


def answers_of(actor, attempt: Attempt) -> dict[int, AttemptAnswer]:
    """An attempt's saved answers by question id (the trainee and graders; 404 else)."""
    require(can_view_attempt(actor, attempt), private=True)
    return _answers(attempt)


@dataclass
class AnswerInput:
    question_id: int
    selected: list[int]
    text: str = ""


def _store_answers(
    attempt: Attempt, answers: list[AnswerInput], questions: dict[int, Question], now: dt.datetime
) -> int:
    saved = _answers(attempt)
    count = 0
    for ans in answers:
        q = questions.get(ans.question_id)
        if q is None or q.id not in attempt.question_order:
            raise ValidationFailed(_("This question is not part of your attempt."))
        valid = {c.id for c in q.choices}
        selected = sorted({int(s) for s in ans.selected if int(s) in valid})
        if q.kind in (QuestionType.SINGLE, QuestionType.TRUE_FALSE) and len(selected) > 1:
            selected = selected[:1]
        text = optional_text(ans.text, f"q{q.id}", 500) if not q.has_choices else ""
        row = saved.get(q.id)
        if row is None:
            row = AttemptAnswer(attempt_id=attempt.id, question_id=q.id)
            db.session.add(row)
            saved[q.id] = row
        if row.selected != selected or row.text != text:
            row.selected, row.text, row.saved_at = selected, text, now
            count += 1
    return count


def save_answers(
    user, attempt: Attempt, answers: list[AnswerInput], now: dt.datetime | None = None
) -> bool:
    """Keep answers as the trainee gives them. Returns False (and closes the attempt with what
    was saved before) when the time is up."""
    now = now or utcnow()
    require(can_work_on_attempt(user, attempt), private=True)
    if attempt.finished:
        raise Conflict(_("This attempt is already submitted."))
    if _expire_if_due(attempt, now):
        return False
    questions = {q.id: q for q in _questions(attempt.assessment_id)}
    _store_answers(attempt, answers, questions, now)
    flush_versioned()
    return True


def score_answer(q: Question, answer: AttemptAnswer | None) -> Decimal:
    """Points for one answer (none given: zero)."""
    if answer is None:
        return Decimal("0.00")
    if q.has_choices:
        keys = [ChoiceKey(c.id, c.correct) for c in q.choices]
        return score_choices(q.kind, q.points, keys, set(answer.selected), q.partial_credit)
    if q.kind == QuestionType.SHORT_TEXT:
        return score_text(q.points, q.accepted_list, answer.text)
    return score_numeric(q.points, q.expected_number, q.tolerance, answer.text)


def _finish(user, attempt: Attempt, now: dt.datetime, *, auto: bool) -> Attempt:
    questions = {q.id: q for q in _questions(attempt.assessment_id)}
    saved = _answers(attempt)
    total = Decimal(0)
    for qid in attempt.question_order:
        q = questions.get(qid)
        if q is None:
            continue
        pts = score_answer(q, saved.get(qid))
        if qid in saved:
            saved[qid].score = pts
        total += pts
    attempt.score = q2(total)
    attempt.submitted_at = min(now, attempt.deadline) if auto and attempt.deadline else now
    attempt.auto_closed = auto
    flush_versioned()
    record(
        user,
        "attempt.close" if auto else "attempt.submit",
        "attempt",
        attempt.id,
        None,
        {"score": attempt.score, "auto_closed": auto},
    )
    _settle_quiz_grade(user, attempt)
    return attempt


def submit_attempt(
    user, attempt: Attempt, answers: list[AnswerInput] | None = None, now: dt.datetime | None = None
) -> Attempt:
    """Submit an attempt; after the deadline it is closed with what was saved in time."""
    now = now or utcnow()
    require(can_work_on_attempt(user, attempt), private=True)
    if attempt.finished:
        raise Conflict(_("This attempt is already submitted."))
    if attempt.deadline is not None and now > attempt.deadline:
        return _finish(user, attempt, now, auto=True)
    if answers:
        questions = {q.id: q for q in _questions(attempt.assessment_id)}
        _store_answers(attempt, answers, questions, now)
        db.session.flush()
    return _finish(user, attempt, now, auto=False)


def expire_if_due(actor, attempt: Attempt, now: dt.datetime) -> bool:
    """Close an attempt whose time is up, with the answers saved so far; True if closed.
    Whoever opens the attempt (the trainee, a grader) triggers it; it is recorded as the
    trainee's automatic closing."""
    require(can_view_attempt(actor, attempt), private=True)
    return _expire_if_due(attempt, now)


def _expire_if_due(attempt: Attempt, now: dt.datetime) -> bool:
    if attempt.finished or attempt.deadline is None or now <= attempt.deadline:
        return False
    _finish(_Actor(attempt.trainee_id), attempt, now, auto=True)
    return True


@dataclass(frozen=True)
class _Actor:
    """The trainee as the actor of an automatic closing."""

    id: int


def _settle_quiz_grade(actor, attempt: Attempt) -> None:
    """The quiz's grade is the best attempt; a better attempt goes back to draft."""
    assessment = db.session.get(Assessment, attempt.assessment_id)
    grade = grade_of(assessment, attempt.trainee_id, create=True)
    best = db.session.scalar(
        select(Attempt)
        .where(
            Attempt.assessment_id == assessment.id,
            Attempt.trainee_id == attempt.trainee_id,
            Attempt.submitted_at.is_not(None),
        )
        .order_by(Attempt.score.desc(), Attempt.number)
        .limit(1)
    )
    if grade.attempt_id == best.id and grade.score == best.score:
        return
    before = grade_snapshot(grade)
    grade.attempt_id = best.id
    grade.score = best.score
    grade.graded_at = utcnow()
    grade.status = GradeStatus.GRADED
    flush_versioned()
    write_history(
        actor,
        grade,
        "grade.auto",
        before,
        grade_snapshot(grade),
        _("Quiz graded automatically (best attempt)."),
    )
    if assessment.release_when_graded and assessment.auto_graded:
        _release_at_once(assessment, grade)


def _release_at_once(assessment: Assessment, grade) -> None:
    """The quiz is set to release automatically: the grade goes through the release service
    as the platform's own account (who the history and the audit name), like a trainer's."""
    from assessments.services.grading.release import release
    from lms.accounts.services import system_actor

    release(system_actor(), assessment, [grade.id])
