"""Rubrics: reusable templates, an assessment's own rubric, criteria with their levels, and
copying a template into an assessment."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.models import Assessment, Grade, Rubric, RubricCriterion, RubricLevel
from assessments.permissions import (
    can_edit_assessment,
    can_edit_rubric,
    can_manage_templates,
    can_view_rubric,
)
from assessments.scoring import q2
from assessments.services.common import points
from lms.audit.services import record
from lms.db import db, next_position
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require
from lms.standards.alignment import alignment_items
from lms.validation import LONG_TEXT, FieldErrors, invalid, optional_text, required_text


@dataclass
class LevelInput:
    title: str
    points: Decimal | str
    descriptor: str = ""


@dataclass
class CriterionInput:
    title: str
    levels: list[LevelInput]
    description: str = ""
    framework_item_ids: list[int] = field(default_factory=list)


def _clean_criterion(data: CriterionInput) -> dict:
    errors: dict[str, list[str]] = {}
    try:
        title = required_text(data.title, "title", 300, name_like=True)
    except ValidationFailed as err:
        errors.update(err.fields)
        title = ""
    levels, seen = [], set()
    for i, lv in enumerate(data.levels):
        if not (lv.title or "").strip() and (lv.points is None or str(lv.points).strip() == ""):
            continue
        try:
            pts = points(lv.points, f"level_{i}_points")
            name = required_text(lv.title, f"level_{i}_title", 100, name_like=True)
        except ValidationFailed as err:
            errors.update(err.fields)
            continue
        if pts in seen:
            errors[f"level_{i}_points"] = [_("Two levels cannot give the same points.")]
        seen.add(pts)
        descriptor = FieldErrors(errors).check(
            optional_text, lv.descriptor, f"level_{i}_descriptor", LONG_TEXT
        )
        levels.append((name, descriptor or "", pts))
    if len(levels) < 2 and not errors:
        errors["levels"] = [_("Give at least two levels, each with a name and its points.")]
    try:
        items = alignment_items(data.framework_item_ids)
    except ValidationFailed as err:
        errors.update(err.fields)
        items = []
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    description = FieldErrors(errors).check(
        optional_text, data.description, "description", LONG_TEXT
    )
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    return {
        "title": title,
        "description": description or "",
        "levels": levels,
        "items": items,
    }


def create_template(actor, *, title: str, description: str = "") -> Rubric:
    """A reusable rubric template, to be copied into assessments."""
    require(can_manage_templates(actor))
    rubric = Rubric(
        title=required_text(title, "title", 200, name_like=True),
        description=optional_text(description, "description", LONG_TEXT),
        created_by_id=actor.id,
    )
    db.session.add(rubric)
    db.session.flush()
    record(actor, "rubric.create", "rubric", rubric.id, None, {"title": rubric.title})
    return rubric


def _check_rubric_editable(actor, rubric: Rubric) -> None:
    require(can_edit_rubric(actor, rubric))
    if rubric.assessment_id is None:
        return
    assessment = db.session.get(Assessment, rubric.assessment_id)
    if db.session.scalar(
        select(func.count()).where(
            Grade.assessment_id == assessment.id, Grade.graded_at.is_not(None)
        )
    ):
        raise Conflict(_("Grades were given with this rubric: it can no longer change."))


def add_criterion(actor, rubric: Rubric, data: CriterionInput) -> RubricCriterion:
    """Add a criterion with its levels to a rubric (template or an assessment's own)."""
    _check_rubric_editable(actor, rubric)
    c = _clean_criterion(data)
    position = next_position(RubricCriterion.position, RubricCriterion.rubric_id == rubric.id)
    crit = RubricCriterion(
        rubric_id=rubric.id, position=position, title=c["title"], description=c["description"]
    )
    crit.levels = [RubricLevel(title=t, descriptor=d, points=p) for t, d, p in c["levels"]]
    crit.framework_items = c["items"]
    db.session.add(crit)
    db.session.flush()
    record(
        actor,
        "rubric.criterion_add",
        "rubric",
        rubric.id,
        None,
        {"criterion": crit.title, "levels": [(t, p) for t, _d, p in c["levels"]]},
    )
    return crit


def delete_criterion(actor, criterion: RubricCriterion) -> None:
    """Delete a criterion while no grade was given with the rubric."""
    rubric = db.session.get(Rubric, criterion.rubric_id)
    _check_rubric_editable(actor, rubric)
    record(
        actor, "rubric.criterion_delete", "rubric", rubric.id, {"criterion": criterion.title}, None
    )
    db.session.delete(criterion)
    db.session.flush()


def load_rubric(actor, rubric: Rubric) -> Rubric:
    """A rubric with its criteria, levels and framework items (404 for who may not see it)."""
    require(can_view_rubric(actor, rubric), private=True)
    return _load(rubric.id)


def _load(rubric_id: int) -> Rubric | None:
    return db.session.scalar(
        select(Rubric)
        .where(Rubric.id == rubric_id)
        .options(
            selectinload(Rubric.criteria).selectinload(RubricCriterion.levels),
            selectinload(Rubric.criteria).selectinload(RubricCriterion.framework_items),
        )
        .execution_options(populate_existing=True)
    )


def rubric_max(rubric: Rubric) -> Decimal:
    """The best total a rubric gives: the top level of every criterion."""
    return q2(sum((c.max_points for c in rubric.criteria), Decimal(0)))


def templates(actor) -> list[Rubric]:
    """The rubric templates, by title."""
    require(can_manage_templates(actor))
    return list(
        db.session.scalars(
            select(Rubric).where(Rubric.assessment_id.is_(None)).order_by(Rubric.title, Rubric.id)
        )
    )


def attach_rubric(actor, assessment: Assessment, template: Rubric) -> Rubric:
    """Copy a template into an assessment (replacing its rubric while nobody is graded)."""
    require(can_edit_assessment(actor, assessment))
    if assessment.is_quiz:
        raise Conflict(_("Quizzes are graded by their questions, not with a rubric."))
    if not template.is_template:
        raise invalid("template_id", _("Choose a rubric template."))
    template = _load(template.id)
    if not template.criteria:
        raise invalid("template_id", _("This template has no criteria yet."))
    existing = db.session.scalar(select(Rubric).where(Rubric.assessment_id == assessment.id))
    if existing is not None:
        _check_rubric_editable(actor, existing)
        db.session.delete(existing)
        db.session.flush()
    copy = Rubric(
        title=template.title,
        description=template.description,
        assessment_id=assessment.id,
        source_id=template.id,
        created_by_id=actor.id,
    )
    for crit in template.criteria:
        new = RubricCriterion(
            position=crit.position, title=crit.title, description=crit.description
        )
        new.levels = [
            RubricLevel(title=lv.title, descriptor=lv.descriptor, points=lv.points)
            for lv in crit.levels
        ]
        new.framework_items = list(crit.framework_items)
        copy.criteria.append(new)
    db.session.add(copy)
    db.session.flush()
    record(
        actor,
        "assessment.rubric_attach",
        "assessment",
        assessment.id,
        None,
        {"rubric": copy.title, "template_id": template.id},
    )
    return copy


def create_assessment_rubric(actor, assessment: Assessment, *, title: str) -> Rubric:
    """An empty rubric owned by one assessment, to add criteria to."""
    require(can_edit_assessment(actor, assessment))
    if assessment.is_quiz:
        raise Conflict(_("Quizzes are graded by their questions, not with a rubric."))
    if db.session.scalar(select(func.count()).where(Rubric.assessment_id == assessment.id)):
        raise Conflict(_("This assessment already has a rubric."))
    rubric = Rubric(
        title=required_text(title, "title", 200, name_like=True),
        assessment_id=assessment.id,
        created_by_id=actor.id,
    )
    db.session.add(rubric)
    db.session.flush()
    record(
        actor,
        "assessment.rubric_create",
        "assessment",
        assessment.id,
        None,
        {"rubric": rubric.title},
    )
    return rubric
