"""The quiz questions and rubric criteria that point at framework items, for the standards
pages (lms.standards.usages): one query each, linked for who may open them."""

from __future__ import annotations

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assessments.models import Assessment, Question, Rubric, RubricCriterion
from assessments.models.assessment import criterion_items, question_items
from assessments.permissions import can_edit_assessment, can_view_questions, can_view_rubric
from courses.models import Course
from lms.db import db
from lms.standards.usages import Usage


def _assessment_link(actor, assessment: Assessment | None) -> tuple[str, dict] | None:
    if assessment is not None and can_edit_assessment(actor, assessment):
        return ("assessments.edit_assessment", {"assessment_id": assessment.id})
    return None


def question_usages(actor, item_ids: list[int]) -> list[Usage]:
    link = question_items.c
    rows = (
        db.session.execute(
            select(link.framework_item_id, Question, Assessment, Course)
            .join(Question, Question.id == link.question_id)
            .join(Assessment, Assessment.id == Question.assessment_id)
            .join(Course, Course.id == Assessment.course_id)
            .where(link.framework_item_id.in_(item_ids))
            .options(joinedload(Course.trainer_links))
            .order_by(Assessment.id, Question.position, Question.id)
        )
        .unique()
        .all()
    )
    out = []
    for item_id, question, assessment, _course in rows:
        if can_view_questions(actor, assessment):
            title = f"{assessment.title}: {question.prompt[:120]}"
            out.append(
                Usage(item_id, _("Quiz question"), title, _assessment_link(actor, assessment))
            )
        else:
            out.append(Usage(item_id, _("Quiz question"), "", None))
    return out


def criterion_usages(actor, item_ids: list[int]) -> list[Usage]:
    link = criterion_items.c
    rows = (
        db.session.execute(
            select(link.framework_item_id, RubricCriterion, Rubric, Assessment, Course)
            .join(RubricCriterion, RubricCriterion.id == link.criterion_id)
            .join(Rubric, Rubric.id == RubricCriterion.rubric_id)
            .outerjoin(Assessment, Assessment.id == Rubric.assessment_id)
            .outerjoin(Course, Course.id == Assessment.course_id)
            .where(link.framework_item_id.in_(item_ids))
            .options(joinedload(Course.trainer_links))
            .order_by(Rubric.id, RubricCriterion.position, RubricCriterion.id)
        )
        .unique()
        .all()
    )
    out = []
    for item_id, criterion, rubric, assessment, _course in rows:
        if not can_view_rubric(actor, rubric):
            out.append(Usage(item_id, _("Rubric criterion"), "", None))
            continue
        if rubric.assessment_id is None:
            link = ("assessments.template", {"rubric_id": rubric.id})
        else:
            link = _assessment_link(actor, assessment)
        out.append(
            Usage(item_id, _("Rubric criterion"), f"{rubric.title}: {criterion.title}", link)
        )
    return out


def register(app) -> None:
    from lms.standards.usages import register_usage_provider

    register_usage_provider(app, question_usages)
    register_usage_provider(app, criterion_usages)
