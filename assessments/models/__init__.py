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
