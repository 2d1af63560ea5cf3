"""JSON shapes of the assessments API, with explicit field lists: one module per area."""

from __future__ import annotations

from assessments.schemas.assessments import AssessmentInSchema, AssessmentSchema
from assessments.schemas.common import (
    NUMBER_MAX,
    POINTS_MAX,
    WEIGHT_MAX,
    EnumValue,
    ItemIds,
    Points,
)
from assessments.schemas.gradebook import (
    GradebookAssessmentSchema,
    GradebookCellSchema,
    GradebookRowSchema,
    GradebookSchema,
)
from assessments.schemas.grading import (
    AgreementInSchema,
    GradeDetailSchema,
    GradeRowSchema,
    GradeSchema,
    MarkInSchema,
    MarkLevelSchema,
    MarkSchema,
    MarkSummarySchema,
    MyResultSchema,
    ReleasedSchema,
    ReleaseInSchema,
)
from assessments.schemas.quiz import (
    AnswerInSchema,
    AnswerSavedSchema,
    AnswerSchema,
    AttemptReviewSchema,
    AttemptSchema,
    ChoiceInSchema,
    ChoiceKeySchema,
    ChoiceSchema,
    QuestionInSchema,
    QuestionPublicSchema,
    QuestionSchema,
)
from assessments.schemas.submissions import (
    SubmissionFileSchema,
    SubmissionFormSchema,
    SubmissionSchema,
)

__all__ = [
    "NUMBER_MAX",
    "POINTS_MAX",
    "WEIGHT_MAX",
    "AgreementInSchema",
    "AnswerInSchema",
    "AnswerSavedSchema",
    "AnswerSchema",
    "AssessmentInSchema",
    "AssessmentSchema",
    "AttemptReviewSchema",
    "AttemptSchema",
    "ChoiceInSchema",
    "ChoiceKeySchema",
    "ChoiceSchema",
    "EnumValue",
    "GradeDetailSchema",
    "GradeRowSchema",
    "GradeSchema",
    "GradebookAssessmentSchema",
    "GradebookCellSchema",
    "GradebookRowSchema",
    "GradebookSchema",
    "ItemIds",
    "MarkInSchema",
    "MarkLevelSchema",
    "MarkSchema",
    "MarkSummarySchema",
    "MyResultSchema",
    "Points",
    "QuestionInSchema",
    "QuestionPublicSchema",
    "QuestionSchema",
    "ReleaseInSchema",
    "ReleasedSchema",
    "SubmissionFileSchema",
    "SubmissionFormSchema",
    "SubmissionSchema",
]
