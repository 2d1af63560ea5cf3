"""Models of the assessments package, one module per aggregate; import them from here."""

from assessments.models.assessment import (
    KIND_LABELS,
    LATE_LABELS,
    PARTIAL_LABELS,
    POINTS,
    QUESTION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    Assessment,
    AssessmentKind,
    GradeStatus,
    LatePolicy,
    MarkerRole,
    assessment_items,
    criterion_items,
    question_items,
)
from assessments.models.grade import Grade, GradeHistory, Mark, MarkLevel
from assessments.models.quiz import Attempt, AttemptAnswer, Choice, Question
from assessments.models.rubric import Rubric, RubricCriterion, RubricLevel
from assessments.models.work import Submission, SubmissionFile
from lms.db import on_violation
from lms.errors import StaleEdit

# Two requests creating the same row at once (a second attempt, submission, grade, mark or
# the first answer to a question):
# the later one wrote over a state it had not seen, the creation's version conflict.
for _name in (
    "uq_attempts_assessment_id_trainee_id_number",
    "uq_submissions_assessment_id_trainee_id",
    "uq_grades_assessment_id_trainee_id",
    "uq_marks_grade_id_role",
    "uq_marks_grade_id_marker_id",
    "pk_attempt_answers",
):
    on_violation(_name, StaleEdit)

__all__ = [
    "KIND_LABELS",
    "LATE_LABELS",
    "PARTIAL_LABELS",
    "POINTS",
    "QUESTION_LABELS",
    "ROLE_LABELS",
    "STATUS_LABELS",
    "Assessment",
    "AssessmentKind",
    "Attempt",
    "AttemptAnswer",
    "Choice",
    "Grade",
    "GradeHistory",
    "GradeStatus",
    "LatePolicy",
    "Mark",
    "MarkLevel",
    "MarkerRole",
    "Question",
    "Rubric",
    "RubricCriterion",
    "RubricLevel",
    "Submission",
    "SubmissionFile",
    "assessment_items",
    "criterion_items",
    "question_items",
]
