"""Quiz attempts in the API: start (or resume), read, answer one question, submit."""

from __future__ import annotations

from flask import url_for
from flask_babel import gettext as _

from assessments.api.common import View
from assessments.models import Attempt
from assessments.permissions import can_take_assessments, can_work_on_attempt
from assessments.schemas import (
    AnswerInSchema,
    AnswerSavedSchema,
    AttemptReviewSchema,
    AttemptSchema,
)
from assessments.services import taking
from assessments.services.taking import AnswerInput
from assessments.views.common import assessment_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db, utcnow
from lms.errors import problem
from lms.security import allowed_if
from lms.web import acting_user, get_or_404, require_visible


def _shown(attempt: Attempt) -> View:
    """The attempt with its questions in order and its answers, for AttemptSchema."""
    me = acting_user()
    answers = taking.answers_of(me, attempt)
    return View(
        attempt,
        questions=taking.attempt_questions(me, attempt),
        answers={str(qid): a for qid, a in answers.items()},
    )


def _own_attempt(attempt_id: int) -> Attempt:
    return get_or_404(Attempt, attempt_id, visible=can_work_on_attempt)


@api.post("/assessments/<int:assessment_id>/attempts")
@allowed_if(can_take_assessments)
@endpoint(response=AttemptSchema, status=201, summary="Start or resume a quiz attempt")
def start_attempt(assessment_id: int):
    a, _course = assessment_or_404(assessment_id)
    attempt = taking.start_attempt(acting_user(), a)
    db.session.commit()
    return (
        AttemptSchema().dump(_shown(attempt)),
        201,
        {"Location": url_for("api.get_attempt", attempt_id=attempt.id)},
    )


@api.get("/attempts/<int:attempt_id>")
@allowed_if(can_take_assessments)
@endpoint(response=AttemptSchema, summary="One of the user's attempts")
def get_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if taking.expire_if_due(acting_user(), attempt, utcnow()):
        db.session.commit()
    return _shown(attempt)


@api.put("/attempts/<int:attempt_id>/answers/<int:question_id>")
@allowed_if(can_take_assessments)
@endpoint(body=AnswerInSchema, response=AnswerSavedSchema, summary="Save one answer")
def attempt_answer(attempt_id: int, question_id: int, data):
    attempt = _own_attempt(attempt_id)
    require_visible(question_id in attempt.question_order)  # a question of another attempt
    in_time = taking.save_answers(
        acting_user(), attempt, [AnswerInput(question_id, data["selected"], data["text"])]
    )
    db.session.commit()
    if not in_time:
        return problem(
            409,
            "time_up",
            _("The time is up: the attempt was submitted with the answers saved before."),
        )
    return {"saved": True, "question_id": question_id}


@api.get("/attempts/<int:attempt_id>/review")
@allowed_if(can_take_assessments)
@endpoint(response=AttemptReviewSchema, summary="Answered and unanswered questions of an attempt")
def review_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    if taking.expire_if_due(acting_user(), attempt, utcnow()):
        db.session.commit()
    items = taking.attempt_review(acting_user(), attempt)
    return {
        "attempt_id": attempt.id,
        "submitted": attempt.finished,
        "answered": [i.question.id for i in items if i.answered],
        "unanswered": [i.question.id for i in items if not i.answered],
    }


@api.post("/attempts/<int:attempt_id>/submit")
@allowed_if(can_take_assessments)
@endpoint(response=AttemptSchema, summary="Submit an attempt")
def submit_attempt(attempt_id: int):
    attempt = _own_attempt(attempt_id)
    taking.submit_attempt(acting_user(), attempt)
    db.session.commit()
    return _shown(attempt)
