"""Results by framework item: the released results of a trainee that bear on competence
items (rubric criterion levels, quiz question scores, assessments' overall scores)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, select

from assessments.models import (
    Assessment,
    AttemptAnswer,
    Grade,
    GradeStatus,
    Mark,
    MarkLevel,
    Question,
    RubricCriterion,
    RubricLevel,
    assessment_items,
    criterion_items,
    question_items,
)
from assessments.permissions import can_view_results_of
from lms.db import db
from lms.permissions import require

# --- results by framework item -------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """One released result bearing on a framework item."""

    item_id: int
    source: str  # "criterion", "question" or "assessment"
    assessment_id: int
    assessment_title: str
    course_id: int
    date: dt.datetime  # when the grade was released
    label: str  # criterion title, question prompt or assessment title
    points: Decimal
    max_points: Decimal
    level: str | None = None  # the rubric level chosen
    marker_role: str | None = None


def results_for_items(actor, trainee, item_ids) -> dict[int, list[ItemResult]]:
    """For a trainee and framework items, the released results that bear on each item:
    rubric criterion levels and quiz question scores (with their assessment and date), and
    the overall score of assessments tied to the item. At most four queries. For the trainee
    and staff."""
    require(can_view_results_of(actor, trainee))
    trainee_id = getattr(trainee, "id", trainee)
    ids = sorted({int(i) for i in item_ids})
    out: dict[int, list[ItemResult]] = {i: [] for i in ids}
    if not ids:
        return out
    released = and_(Grade.trainee_id == trainee_id, Grade.status == GradeStatus.RELEASED)
    crit_rows = db.session.execute(
        select(
            criterion_items.c.framework_item_id,
            MarkLevel,
            RubricCriterion,
            RubricLevel,
            Mark.role,
            Grade,
            Assessment,
        )
        .join(RubricCriterion, RubricCriterion.id == criterion_items.c.criterion_id)
        .join(MarkLevel, MarkLevel.criterion_id == RubricCriterion.id)
        .join(RubricLevel, RubricLevel.id == MarkLevel.level_id)
        .join(Mark, Mark.id == MarkLevel.mark_id)
        .join(Grade, Grade.id == Mark.grade_id)
        .join(Assessment, Assessment.id == Grade.assessment_id)
        .where(
            criterion_items.c.framework_item_id.in_(ids), released, Mark.completed_at.is_not(None)
        )
    ).all()
    maxima: dict[int, Decimal] = {}
    if crit_rows:
        maxima = dict(
            db.session.execute(
                select(RubricLevel.criterion_id, func.max(RubricLevel.points))
                .where(RubricLevel.criterion_id.in_({r[2].id for r in crit_rows}))
                .group_by(RubricLevel.criterion_id)
            ).all()
        )
    for item_id, ml, crit, level, role, grade, a in crit_rows:
        out[item_id].append(
            ItemResult(
                item_id,
                "criterion",
                a.id,
                a.title,
                a.course_id,
                grade.released_at,
                crit.title,
                ml.points,
                maxima.get(crit.id, ml.points),
                level.title,
                role.value,
            )
        )
    q_rows = db.session.execute(
        select(question_items.c.framework_item_id, Question, AttemptAnswer, Grade, Assessment)
        .join(Question, Question.id == question_items.c.question_id)
        .join(Assessment, Assessment.id == Question.assessment_id)
        .join(Grade, Grade.assessment_id == Assessment.id)
        .outerjoin(
            AttemptAnswer,
            and_(
                AttemptAnswer.attempt_id == Grade.attempt_id,
                AttemptAnswer.question_id == Question.id,
            ),
        )
        .where(question_items.c.framework_item_id.in_(ids), released, Grade.attempt_id.is_not(None))
    ).all()
    for item_id, q, ans, grade, a in q_rows:
        out[item_id].append(
            ItemResult(
                item_id,
                "question",
                a.id,
                a.title,
                a.course_id,
                grade.released_at,
                q.prompt,
                (ans.score if ans is not None and ans.score is not None else Decimal("0.00")),
                q.points,
            )
        )
    a_rows = db.session.execute(
        select(assessment_items.c.framework_item_id, Grade, Assessment)
        .join(Assessment, Assessment.id == assessment_items.c.assessment_id)
        .join(Grade, Grade.assessment_id == Assessment.id)
        .where(assessment_items.c.framework_item_id.in_(ids), released)
    ).all()
    for item_id, grade, a in a_rows:
        out[item_id].append(
            ItemResult(
                item_id,
                "assessment",
                a.id,
                a.title,
                a.course_id,
                grade.released_at,
                a.title,
                grade.score,
                a.max_points,
            )
        )
    for lst in out.values():
        lst.sort(key=lambda r: (r.date, r.assessment_id, r.source, r.label))
    return out
