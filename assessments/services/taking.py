"""The trainee's side: who may take an assessment, quiz attempts, assignment submissions."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.models import (
    Assessment,
    Attempt,
    AttemptAnswer,
    Grade,
    GradeStatus,
    Question,
    Submission,
    SubmissionFile,
)
from assessments.scoring import (
    ChoiceKey,
    QuestionType,
    q2,
    score_choices,
    score_numeric,
    score_text,
)
from assessments.services.common import (
    active_enrolment,
    check_version,
    grade_of,
    grade_snapshot,
    optional_text,
    write_history,
)
from courses.attendance import eligibility
from courses.models import Course
from lms.audit.services import record
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, Forbidden, NotEligible, NotFound, ValidationFailed
from lms.files.models import StoredFile
from lms.files.services import discard_stored, store_upload
from lms.files.sniff import DOCUMENT_KINDS

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


def max_upload_bytes() -> int:
    return int(current_app.config.get("ASSESSMENT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


@dataclass(frozen=True)
class Access:
    """Whether a trainee may work on an assessment now, and why not."""

    allowed: bool
    reason: str = ""
    late: bool = False


def access(user, assessment: Assessment, now: dt.datetime | None = None) -> Access:
    """The rules for taking an assessment: enrolment, publication, dates, eligibility."""
    now = now or utcnow()
    if not assessment.published:
        return Access(False, _("This assessment is not published yet."))
    enrolment = active_enrolment(assessment, user.id)
    if enrolment is None:
        return Access(False, _("You are not enrolled in this course."))
    if assessment.is_observed:
        return Access(False, _("This test is observed in person: there is nothing to submit."))
    if now < assessment.opens_at:
        return Access(False, _("This assessment is not open yet."))
    if now > assessment.last_accepted_at:
        return Access(False, _("This assessment is closed: nothing more can be submitted."))
    if assessment.is_final and not eligibility(enrolment, now).assessment.met:
        course = db.session.get(Course, assessment.course_id)
        return Access(
            False,
            _(
                "This is the final assessment: it is open to trainees who attended at least "
                "%(pct)d%% of the course hours. Your attendance is not enough yet.",
                pct=course.assessment_threshold_pct,
            ),
        )
    return Access(True, late=assessment.is_late(now))


def require_access(user, assessment: Assessment, now: dt.datetime) -> Access:
    result = access(user, assessment, now)
    if not result.allowed:
        if (
            assessment.is_final
            and active_enrolment(assessment, user.id) is not None
            and (assessment.opens_at <= now <= assessment.last_accepted_at)
        ):
            raise NotEligible(result.reason)
        raise Conflict(result.reason)
    return result


# --- quiz attempts -------------------------------------------------------------------------


def load_questions(assessment_id: int) -> list[Question]:
    return list(
        db.session.scalars(
            select(Question)
            .where(Question.assessment_id == assessment_id)
            .options(selectinload(Question.choices))
            .order_by(Question.position, Question.id)
            .execution_options(populate_existing=True)
        )
    )


def attempts_of(assessment: Assessment, trainee_id: int) -> list[Attempt]:
    return list(
        db.session.scalars(
            select(Attempt)
            .where(Attempt.assessment_id == assessment.id, Attempt.trainee_id == trainee_id)
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
    if not assessment.is_quiz:
        raise Conflict(_("Only quizzes are taken online."))
    current = open_attempt(assessment, user.id)
    if current is not None and not expire_if_due(current, now):
        return current
    require_access(user, assessment, now)
    done = db.session.scalar(
        select(func.count()).where(
            Attempt.assessment_id == assessment.id, Attempt.trainee_id == user.id
        )
    )
    if assessment.attempts_allowed is not None and done >= assessment.attempts_allowed:
        raise Conflict(_("You have used all the attempts allowed for this quiz."))
    question_ids = [q.id for q in load_questions(assessment.id)]
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


def answers_of(attempt: Attempt) -> dict[int, AttemptAnswer]:
    return {
        a.question_id: a
        for a in db.session.scalars(
            select(AttemptAnswer).where(AttemptAnswer.attempt_id == attempt.id)
        )
    }


@dataclass
class AnswerInput:
    question_id: int
    selected: list[int]
    text: str = ""


def _store_answers(
    attempt: Attempt, answers: list[AnswerInput], questions: dict[int, Question], now: dt.datetime
) -> int:
    saved = answers_of(attempt)
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
    _check_owner(user, attempt)
    if attempt.finished:
        raise Conflict(_("This attempt is already submitted."))
    if expire_if_due(attempt, now):
        return False
    questions = {q.id: q for q in load_questions(attempt.assessment_id)}
    _store_answers(attempt, answers, questions, now)
    flush_versioned()
    return True


def _check_owner(user, attempt: Attempt) -> None:
    if attempt.trainee_id != user.id:
        raise NotFound()


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
    questions = {q.id: q for q in load_questions(attempt.assessment_id)}
    saved = answers_of(attempt)
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
    _check_owner(user, attempt)
    if attempt.finished:
        raise Conflict(_("This attempt is already submitted."))
    if attempt.deadline is not None and now > attempt.deadline:
        return _finish(user, attempt, now, auto=True)
    if answers:
        questions = {q.id: q for q in load_questions(attempt.assessment_id)}
        _store_answers(attempt, answers, questions, now)
        db.session.flush()
    return _finish(user, attempt, now, auto=False)


def expire_if_due(attempt: Attempt, now: dt.datetime) -> bool:
    """Close an attempt whose time is up, with the answers saved so far; True if closed."""
    if attempt.finished or attempt.deadline is None or now <= attempt.deadline:
        return False
    trainee = attempt.trainee_id
    _finish(_Actor(trainee), attempt, now, auto=True)
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


# --- assignment submissions ----------------------------------------------------------------


@dataclass
class Upload:
    filename: str
    data: bytes


def submission_of(assessment: Assessment, trainee_id: int) -> Submission | None:
    return db.session.scalar(
        select(Submission)
        .where(Submission.assessment_id == assessment.id, Submission.trainee_id == trainee_id)
        .options(selectinload(Submission.files).selectinload(SubmissionFile.stored))
        .execution_options(populate_existing=True)
    )


def submit_work(
    user,
    assessment: Assessment,
    *,
    text: str,
    uploads: list[Upload] = (),
    remove_file_ids=(),
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Submission:
    """Submit or replace a trainee's work: text and files (checked and stored safely)."""
    now = now or utcnow()
    if assessment.is_quiz or assessment.is_observed:
        raise Conflict(_("Nothing is submitted for this kind of assessment."))
    require_access(user, assessment, now)
    text = optional_text(text, "text", 50000)
    sub = submission_of(assessment, user.id)
    grade = grade_of(assessment, user.id)
    if sub is not None:
        check_version(sub, seen_version)
        if grade is not None and grade.status not in (
            GradeStatus.SUBMITTED,
            GradeStatus.NOT_SUBMITTED,
        ):
            raise Conflict(_("Your work is already being graded: it can no longer be replaced."))
        if assessment.attempts_allowed is not None and (
            sub.times_submitted >= assessment.attempts_allowed
        ):
            raise Conflict(_("You have used all the submissions allowed for this assignment."))
    elif seen_version:
        raise NotFound()
    remove = {int(i) for i in remove_file_ids}
    keep = [f for f in (sub.files if sub else []) if f.id not in remove]
    uploads = [u for u in uploads if u.filename or u.data]
    if len(keep) + len(uploads) > MAX_FILES:
        msg = _("At most %(n)d files.", n=MAX_FILES)
        raise ValidationFailed(msg, {"files": [msg]})
    stored: list[StoredFile] = []
    for up in uploads:
        try:
            stored.append(
                store_upload(user, up.filename, up.data, DOCUMENT_KINDS, max_upload_bytes())
            )
        except ValidationFailed as err:
            msg = _("%(name)s: %(problem)s", name=up.filename or "?", problem=err.message)
            raise ValidationFailed(msg, {"files": [msg]}) from err
    if not text and not keep and not stored:
        msg = _("Write your answer or attach at least one file.")
        raise ValidationFailed(msg, {"text": [msg]})
    late = assessment.is_late(now)
    if sub is None:
        sub = Submission(
            assessment_id=assessment.id,
            trainee_id=user.id,
            text=text,
            submitted_at=now,
            late=late,
            times_submitted=1,
            files=[],
        )
        db.session.add(sub)
        flush_versioned()
        action = "submission.create"
    else:
        for f in list(sub.files):
            if f.id in remove:
                old = f.stored
                sub.files.remove(f)
                db.session.flush()
                discard_stored(old)
        sub.text, sub.submitted_at, sub.late = text, now, late
        sub.times_submitted += 1
        action = "submission.replace"
    for s in stored:
        sub.files.append(SubmissionFile(stored_file_id=s.id))
    flush_versioned()
    record(
        user,
        action,
        "submission",
        sub.id,
        None,
        {
            "late": late,
            "files": [s.original_name for s in stored],
            "removed": sorted(remove),
            "times_submitted": sub.times_submitted,
        },
    )
    grade = grade or grade_of(assessment, user.id, create=True)
    if grade.status == GradeStatus.NOT_SUBMITTED:
        before = grade_snapshot(grade)
        grade.status = GradeStatus.SUBMITTED
        flush_versioned()
        write_history(user, grade, "grade.submitted", before, grade_snapshot(grade))
    return sub


def my_grade(user, assessment: Assessment) -> Grade | None:
    """The trainee's own grade, only once released."""
    grade = grade_of(assessment, user.id)
    if grade is None or grade.status != GradeStatus.RELEASED:
        return None
    return grade


def check_can_view_own(user, submission: Submission) -> None:
    if submission.trainee_id != user.id:
        raise Forbidden()
