"""The trainee's side: who may take an assessment (access.py), quiz attempts (attempts.py),
assignment submissions (submissions.py). The names are re-exported here, so callers write
``from assessments.services import taking``."""

from assessments.services.common import grade_of
from assessments.services.taking.access import (
    DEFAULT_MAX_UPLOAD_BYTES,
    MAX_FILES,
    Access,
    access,
    max_upload_bytes,
    require_access,
)
from assessments.services.taking.attempts import (
    AnswerInput,
    ReviewItem,
    answers_of,
    attempt_questions,
    attempt_review,
    attempts_of,
    expire_if_due,
    load_questions,
    open_attempt,
    save_answers,
    score_answer,
    start_attempt,
    submit_attempt,
)
from assessments.services.taking.submissions import Upload, my_grade, submission_of, submit_work

__all__ = [
    "DEFAULT_MAX_UPLOAD_BYTES",
    "MAX_FILES",
    "Access",
    "AnswerInput",
    "ReviewItem",
    "Upload",
    "access",
    "answers_of",
    "attempt_questions",
    "attempt_review",
    "attempts_of",
    "expire_if_due",
    "grade_of",
    "load_questions",
    "max_upload_bytes",
    "my_grade",
    "open_attempt",
    "require_access",
    "save_answers",
    "score_answer",
    "start_attempt",
    "submission_of",
    "submit_attempt",
    "submit_work",
]
