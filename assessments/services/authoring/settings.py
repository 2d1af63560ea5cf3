"""Building assessments: their settings, creation, change and deletion."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from assessments.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Grade,
    LatePolicy,
    Question,
    Rubric,
    RubricCriterion,
    Submission,
)
from assessments.permissions import (
    can_edit_assessment,
    can_list_assessments,
    can_manage_assessments,
    can_view_assessments,
    can_view_questions,
)
from assessments.services.common import points
from courses.models import Course, CourseModule
from lms.audit.services import changed, record, snapshot
from lms.db import db
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require
from lms.standards.alignment import alignment_items
from lms.validation import invalid, optional_text, required_text

ASSESSMENT_FIELDS = [
    "title",
    "kind",
    "module_id",
    "opens_at",
    "closes_at",
    "max_points",
    "pass_mark",
    "weight",
    "attempts_allowed",
    "late_policy",
    "late_until",
    "is_final",
    "published",
    "time_limit_minutes",
    "shuffle_questions",
    "show_answers",
    "release_when_graded",
    "double_marking",
    "marking_tolerance",
]


@dataclass
class AssessmentInput:
    """What a trainer sets on an assessment (as typed: services check every value)."""

    title: str
    kind: AssessmentKind
    opens_at: dt.datetime
    closes_at: dt.datetime
    max_points: Decimal | str
    pass_mark: Decimal | str
    instructions: str = ""
    module_id: int | None = None
    weight: Decimal | str = Decimal(1)
    attempts_allowed: int | None = None
    late_policy: LatePolicy = LatePolicy.REFUSE
    late_until: dt.datetime | None = None
    is_final: bool = False
    published: bool = False
    time_limit_minutes: int | None = None
    shuffle_questions: bool = True
    show_answers: bool = False
    release_when_graded: bool = False
    double_marking: bool = False
    marking_tolerance: Decimal | str = Decimal(0)
    framework_item_ids: list[int] = field(default_factory=list)


def _clean(course: Course, data: AssessmentInput, current_items=()) -> dict:
    errors: dict[str, list[str]] = {}

    def attempt(fn):
        try:
            return fn()
        except ValidationFailed as err:
            for k, v in err.fields.items():
                errors.setdefault(k, []).extend(v)
            return None

    values = {
        "title": attempt(lambda: required_text(data.title, "title", 200, name_like=True)),
        "instructions": attempt(lambda: optional_text(data.instructions, "instructions", 20000)),
        "max_points": attempt(lambda: points(data.max_points, "max_points")),
        "pass_mark": attempt(lambda: points(data.pass_mark, "pass_mark")),
        "weight": attempt(lambda: points(data.weight, "weight")),
        "marking_tolerance": attempt(lambda: points(data.marking_tolerance, "marking_tolerance")),
    }
    if values["max_points"] is not None and values["max_points"] <= 0:
        errors["max_points"] = [_("The maximum must be more than zero.")]
    if (
        values["max_points"] is not None
        and values["pass_mark"] is not None
        and values["pass_mark"] > values["max_points"]
    ):
        errors["pass_mark"] = [_("The pass mark cannot be above the maximum points.")]
    for name, value, aware in (
        ("opens_at", data.opens_at, True),
        ("closes_at", data.closes_at, True),
    ):
        if value is None or (aware and value.tzinfo is None):
            errors[name] = [_("Enter a date and a time.")]
    if (
        not errors.get("opens_at")
        and not errors.get("closes_at")
        and (data.closes_at <= data.opens_at)
    ):
        errors["closes_at"] = [_("The closing time must come after the opening time.")]
    if data.late_policy == LatePolicy.ACCEPT:
        if data.late_until is None:
            errors["late_until"] = [_("Give the last moment late work is accepted.")]
        elif data.closes_at and data.late_until < data.closes_at:
            errors["late_until"] = [_("The late deadline cannot come before the closing time.")]
    for name, value in (
        ("attempts_allowed", data.attempts_allowed),
        ("time_limit_minutes", data.time_limit_minutes),
    ):
        if value is not None and (not isinstance(value, int) or value <= 0):
            errors[name] = [_("Enter a whole number above zero, or leave it empty.")]
    if data.double_marking and data.kind == AssessmentKind.QUIZ:
        errors["double_marking"] = [_("Quizzes are graded automatically: no double marking.")]
    if data.release_when_graded and data.kind != AssessmentKind.QUIZ:
        errors["release_when_graded"] = [
            _(
                "Only quizzes, whose questions are all graded automatically, can be released "
                "automatically: this assessment is graded by hand."
            )
        ]
    if data.module_id is not None:
        linked = db.session.scalar(
            select(func.count()).where(
                CourseModule.course_id == course.id, CourseModule.module_id == data.module_id
            )
        )
        if not linked:
            errors["module_id"] = [_("Choose one of the course's modules.")]
    items = attempt(lambda: alignment_items(data.framework_item_ids, current=current_items))
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    values.update(
        kind=data.kind,
        module_id=data.module_id,
        opens_at=data.opens_at,
        closes_at=data.closes_at,
        attempts_allowed=data.attempts_allowed,
        late_policy=data.late_policy,
        late_until=data.late_until if data.late_policy == LatePolicy.ACCEPT else None,
        is_final=bool(data.is_final),
        published=bool(data.published),
        time_limit_minutes=data.time_limit_minutes if data.kind == AssessmentKind.QUIZ else None,
        shuffle_questions=bool(data.shuffle_questions),
        show_answers=bool(data.show_answers),
        release_when_graded=bool(data.release_when_graded),
        double_marking=bool(data.double_marking),
    )
    return {"values": values, "items": items}


def course_assessments(actor, course: Course) -> Select:
    """The assessments of a course the actor may see, by closing time: all of them for its
    trainers and staff, the published ones for enrolled trainees (404 for anyone else)."""
    require(can_list_assessments(actor, course), private=True)
    q = select(Assessment).where(Assessment.course_id == course.id)
    if not can_view_assessments(actor, course):
        q = q.where(Assessment.published.is_(True))
    return q.order_by(Assessment.closes_at, Assessment.id)


def create_assessment(actor, course: Course, data: AssessmentInput) -> Assessment:
    """Add an assessment to a course."""
    require(can_manage_assessments(actor, course))
    cleaned = _clean(course, data)
    assessment = Assessment(course_id=course.id, created_by_id=actor.id, **cleaned["values"])
    assessment.framework_items = cleaned["items"]
    db.session.add(assessment)
    db.session.flush()
    record(
        actor,
        "assessment.create",
        "assessment",
        assessment.id,
        None,
        snapshot(assessment, ASSESSMENT_FIELDS),
    )
    return assessment


def load_for_edit(actor, assessment: Assessment) -> Assessment:
    """An assessment with its framework items, questions (with their key), choices and rubric
    loaded: for the course's trainers and staff (404 for anyone else)."""
    require(can_view_questions(actor, assessment), private=True)
    return _load_full(assessment.id)


def _load_full(assessment_id: int) -> Assessment | None:
    return db.session.scalar(
        select(Assessment)
        .where(Assessment.id == assessment_id)
        .options(
            selectinload(Assessment.framework_items),
            selectinload(Assessment.questions).selectinload(Question.choices),
            selectinload(Assessment.questions).selectinload(Question.framework_items),
            selectinload(Assessment.rubric)
            .selectinload(Rubric.criteria)
            .selectinload(RubricCriterion.levels),
            selectinload(Assessment.rubric)
            .selectinload(Rubric.criteria)
            .selectinload(RubricCriterion.framework_items),
        )
        .execution_options(populate_existing=True)
    )


def has_work(assessment: Assessment) -> bool:
    """True once any trainee has started, submitted or been graded."""
    return bool(
        db.session.scalar(select(func.count()).where(Attempt.assessment_id == assessment.id))
        or db.session.scalar(select(func.count()).where(Submission.assessment_id == assessment.id))
        or db.session.scalar(select(func.count()).where(Grade.assessment_id == assessment.id))
    )


def update_assessment(actor, assessment: Assessment, data: AssessmentInput) -> Assessment:
    """Change an assessment's settings; the kind cannot change once trainees have worked."""
    require(can_edit_assessment(actor, assessment))
    course = db.session.get(Course, assessment.course_id)
    if data.kind != assessment.kind and has_work(assessment):
        raise invalid("kind", _("Trainees have already worked on it: the kind cannot change."))
    _load_full(assessment.id)
    cleaned = _clean(course, data, [i.id for i in assessment.framework_items])
    before = snapshot(assessment, ASSESSMENT_FIELDS)
    for k, v in cleaned["values"].items():
        setattr(assessment, k, v)
    assessment.framework_items = cleaned["items"]
    db.session.flush()
    b, a = changed(before, snapshot(assessment, ASSESSMENT_FIELDS))
    record(actor, "assessment.update", "assessment", assessment.id, b, a)
    return assessment


def delete_assessment(actor, assessment: Assessment) -> None:
    """Delete an assessment nobody has worked on yet."""
    require(can_edit_assessment(actor, assessment))
    if has_work(assessment):
        raise Conflict(_("Trainees have already worked on this assessment: it cannot be deleted."))
    record(
        actor,
        "assessment.delete",
        "assessment",
        assessment.id,
        snapshot(assessment, ASSESSMENT_FIELDS),
        None,
    )
    db.session.delete(assessment)
    db.session.flush()
