"""Building assessments: settings (settings.py), quiz questions (questions.py), rubric
templates, an assessment's rubric and copies (rubrics.py). The names are re-exported here, so
callers write ``from assessments.services import authoring``."""

from assessments.services.authoring.questions import (
    QUESTION_FIELDS,
    QuestionInput,
    add_question,
    delete_question,
    quiz_total,
)
from assessments.services.authoring.rubrics import (
    CriterionInput,
    LevelInput,
    add_criterion,
    attach_rubric,
    create_assessment_rubric,
    create_template,
    delete_criterion,
    load_rubric,
    rubric_max,
    templates,
)
from assessments.services.authoring.settings import (
    ASSESSMENT_FIELDS,
    AssessmentInput,
    course_assessments,
    create_assessment,
    delete_assessment,
    has_work,
    load_for_edit,
    update_assessment,
)

__all__ = [
    "ASSESSMENT_FIELDS",
    "QUESTION_FIELDS",
    "AssessmentInput",
    "CriterionInput",
    "LevelInput",
    "QuestionInput",
    "add_criterion",
    "add_question",
    "attach_rubric",
    "course_assessments",
    "create_assessment",
    "create_assessment_rubric",
    "create_template",
    "delete_assessment",
    "delete_criterion",
    "delete_question",
    "has_work",
    "load_for_edit",
    "load_rubric",
    "quiz_total",
    "rubric_max",
    "templates",
    "update_assessment",
]
