"""Building assessments: their settings, quiz questions, rubric templates and copies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from assessments.models import (
    Assessment,
    AssessmentKind,
    Attempt,
    Choice,
    Grade,
    LatePolicy,
    Question,
    Rubric,
    RubricCriterion,
    RubricLevel,
    Submission,
)
from assessments.permissions import can_manage_assessments, can_manage_templates
from assessments.scoring import PartialCredit, QuestionType, q2
from assessments.services.common import (
    invalid,
    optional_text,
    points,
    required_text,
)
from courses.models import Course, CourseModule
from lms.audit.services import changed, record, snapshot
from lms.db import db
from lms.errors import Conflict, Forbidden, ValidationFailed
from lms.standards.models import FrameworkItem

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
    double_marking: bool = False
    marking_tolerance: Decimal | str = Decimal(0)
    framework_item_ids: list[int] = field(default_factory=list)


def framework_items(ids, field_name: str = "framework_items") -> list[FrameworkItem]:
    """The framework items with these ids; unknown ids are refused."""
    ids = sorted({int(i) for i in ids or []})
    if not ids:
        return []
    items = list(db.session.scalars(select(FrameworkItem).where(FrameworkItem.id.in_(ids))))
    if len(items) != len(ids):
        raise invalid(field_name, _("Some framework items do not exist."))
    return items


def _clean(course: Course, data: AssessmentInput) -> dict:
    errors: dict[str, list[str]] = {}

    def attempt(fn):
        try:
            return fn()
        except ValidationFailed as err:
            for k, v in err.fields.items():
                errors.setdefault(k, []).extend(v)
            return None

    values = {
        "title": attempt(lambda: required_text(data.title, "title", 200)),
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
    if data.module_id is not None:
        linked = db.session.scalar(
            select(func.count()).where(
                CourseModule.course_id == course.id, CourseModule.module_id == data.module_id
            )
        )
        if not linked:
            errors["module_id"] = [_("Choose one of the course's modules.")]
    items = attempt(lambda: framework_items(data.framework_item_ids))
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
        double_marking=bool(data.double_marking),
    )
    return {"values": values, "items": items}


def create_assessment(actor, course: Course, data: AssessmentInput) -> Assessment:
    """Add an assessment to a course."""
    if not can_manage_assessments(actor, course):
        raise Forbidden()
    cleaned = _clean(course, data)
    assessment = Assessment(
        course_id=course.id, created_by_id=getattr(actor, "id", None), **cleaned["values"]
    )
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


def load_for_edit(assessment_id: int) -> Assessment | None:
    """An assessment with its framework items, questions, choices and rubric loaded."""
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
    course = db.session.get(Course, assessment.course_id)
    if not can_manage_assessments(actor, course):
        raise Forbidden()
    if data.kind != assessment.kind and has_work(assessment):
        raise invalid("kind", _("Trainees have already worked on it: the kind cannot change."))
    cleaned = _clean(course, data)
    load_for_edit(assessment.id)
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
    course = db.session.get(Course, assessment.course_id)
    if not can_manage_assessments(actor, course):
        raise Forbidden()
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


# --- questions ---------------------------------------------------------------------------


@dataclass
class QuestionInput:
    kind: QuestionType
    prompt: str
    points: Decimal | str
    choices: list[tuple[str, bool]] = field(default_factory=list)  # (text, correct)
    partial_credit: PartialCredit = PartialCredit.ALL_OR_NOTHING
    accepted_answers: str = ""
    expected_number: Decimal | str | None = None
    tolerance: Decimal | str = Decimal(0)
    feedback: str = ""
    framework_item_ids: list[int] = field(default_factory=list)


def _clean_question(data: QuestionInput) -> dict:
    from assessments.scoring import parse_number

    errors: dict[str, list[str]] = {}
    try:
        prompt = required_text(data.prompt, "prompt", 5000)
    except ValidationFailed as err:
        errors.update(err.fields)
        prompt = ""
    try:
        pts = points(data.points, "points")
        if pts <= 0:
            errors["points"] = [_("A question is worth more than zero points.")]
    except ValidationFailed as err:
        errors.update(err.fields)
        pts = None
    choices = [(t.strip(), bool(c)) for t, c in data.choices if (t or "").strip()]
    if data.kind == QuestionType.TRUE_FALSE:
        right = [c for _t, c in choices]
        if len(choices) != 2:
            truth = bool(choices[0][1]) if choices else True
            choices = [(_("True"), truth), (_("False"), not truth)]
            right = [truth, not truth]
        if sum(right) != 1:
            errors["choices"] = [_("Mark which one is right: true or false.")]
    elif data.kind == QuestionType.SINGLE:
        if len(choices) < 2 or sum(c for _t, c in choices) != 1:
            errors["choices"] = [_("Give at least two choices, exactly one of them right.")]
    elif data.kind == QuestionType.MULTIPLE:
        if len(choices) < 2 or not any(c for _t, c in choices):
            errors["choices"] = [_("Give at least two choices, at least one of them right.")]
    else:
        choices = []
    expected, tolerance = None, Decimal(0)
    if data.kind == QuestionType.SHORT_TEXT and not (data.accepted_answers or "").strip():
        errors["accepted_answers"] = [_("Give at least one accepted answer.")]
    if data.kind == QuestionType.NUMERIC:
        expected = parse_number(str(data.expected_number or ""))
        tolerance = parse_number(str(data.tolerance or "0"))
        if expected is None:
            errors["expected_number"] = [_("Enter the expected number.")]
        if tolerance is None or tolerance < 0:
            errors["tolerance"] = [_("Enter a tolerance of zero or more.")]
    try:
        items = framework_items(data.framework_item_ids)
    except ValidationFailed as err:
        errors.update(err.fields)
        items = []
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    return {
        "prompt": prompt,
        "points": pts,
        "choices": choices,
        "items": items,
        "partial_credit": data.partial_credit
        if data.kind == QuestionType.MULTIPLE
        else PartialCredit.ALL_OR_NOTHING,
        "accepted_answers": "\n".join(
            a.strip() for a in (data.accepted_answers or "").splitlines() if a.strip()
        )
        if data.kind == QuestionType.SHORT_TEXT
        else "",
        "expected_number": expected,
        "tolerance": tolerance or Decimal(0),
        "feedback": (data.feedback or "").strip(),
    }


QUESTION_FIELDS = [
    "kind",
    "prompt",
    "points",
    "partial_credit",
    "accepted_answers",
    "expected_number",
    "tolerance",
]


def _check_quiz(actor, assessment: Assessment) -> None:
    course = db.session.get(Course, assessment.course_id)
    if not can_manage_assessments(actor, course):
        raise Forbidden()
    if not assessment.is_quiz:
        raise Conflict(_("Only quizzes have questions."))
    if db.session.scalar(select(func.count()).where(Attempt.assessment_id == assessment.id)):
        raise Conflict(_("Trainees have already started this quiz: its questions are locked."))


def add_question(actor, assessment: Assessment, data: QuestionInput) -> Question:
    """Add a question at the end of a quiz (locked once a trainee has started)."""
    _check_quiz(actor, assessment)
    c = _clean_question(data)
    position = (
        db.session.scalar(
            select(func.coalesce(func.max(Question.position), 0)).where(
                Question.assessment_id == assessment.id
            )
        )
        + 1
    )
    q = Question(
        assessment_id=assessment.id,
        position=position,
        kind=data.kind,
        prompt=c["prompt"],
        points=c["points"],
        partial_credit=c["partial_credit"],
        accepted_answers=c["accepted_answers"],
        expected_number=c["expected_number"],
        tolerance=c["tolerance"],
        feedback=c["feedback"],
    )
    q.choices = [Choice(position=i, text=t, correct=ok) for i, (t, ok) in enumerate(c["choices"])]
    q.framework_items = c["items"]
    db.session.add(q)
    db.session.flush()
    record(actor, "question.create", "question", q.id, None, snapshot(q, QUESTION_FIELDS))
    return q


def delete_question(actor, question: Question) -> None:
    assessment = db.session.get(Assessment, question.assessment_id)
    _check_quiz(actor, assessment)
    record(
        actor, "question.delete", "question", question.id, snapshot(question, QUESTION_FIELDS), None
    )
    db.session.delete(question)
    db.session.flush()


def quiz_total(assessment_id: int) -> Decimal:
    """The sum of the points of a quiz's questions."""
    return q2(
        db.session.scalar(
            select(func.coalesce(func.sum(Question.points), 0)).where(
                Question.assessment_id == assessment_id
            )
        )
        or Decimal(0)
    )


# --- rubrics -----------------------------------------------------------------------------


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
        title = required_text(data.title, "title", 300)
    except ValidationFailed as err:
        errors.update(err.fields)
        title = ""
    levels, seen = [], set()
    for i, lv in enumerate(data.levels):
        if not (lv.title or "").strip() and (lv.points is None or str(lv.points).strip() == ""):
            continue
        try:
            pts = points(lv.points, f"level_{i}_points")
            name = required_text(lv.title, f"level_{i}_title", 100)
        except ValidationFailed as err:
            errors.update(err.fields)
            continue
        if pts in seen:
            errors[f"level_{i}_points"] = [_("Two levels cannot give the same points.")]
        seen.add(pts)
        levels.append((name, (lv.descriptor or "").strip(), pts))
    if len(levels) < 2 and not errors:
        errors["levels"] = [_("Give at least two levels, each with a name and its points.")]
    try:
        items = framework_items(data.framework_item_ids)
    except ValidationFailed as err:
        errors.update(err.fields)
        items = []
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    return {
        "title": title,
        "description": (data.description or "").strip(),
        "levels": levels,
        "items": items,
    }


def create_template(actor, *, title: str, description: str = "") -> Rubric:
    """A reusable rubric template, to be copied into assessments."""
    if not can_manage_templates(actor):
        raise Forbidden()
    rubric = Rubric(
        title=required_text(title, "title", 200),
        description=(description or "").strip(),
        created_by_id=actor.id,
    )
    db.session.add(rubric)
    db.session.flush()
    record(actor, "rubric.create", "rubric", rubric.id, None, {"title": rubric.title})
    return rubric


def _check_rubric_editable(actor, rubric: Rubric) -> None:
    if rubric.assessment_id is None:
        if not can_manage_templates(actor):
            raise Forbidden()
        return
    assessment = db.session.get(Assessment, rubric.assessment_id)
    course = db.session.get(Course, assessment.course_id)
    if not can_manage_assessments(actor, course):
        raise Forbidden()
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
    position = (
        db.session.scalar(
            select(func.coalesce(func.max(RubricCriterion.position), 0)).where(
                RubricCriterion.rubric_id == rubric.id
            )
        )
        + 1
    )
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
    rubric = db.session.get(Rubric, criterion.rubric_id)
    _check_rubric_editable(actor, rubric)
    record(
        actor, "rubric.criterion_delete", "rubric", rubric.id, {"criterion": criterion.title}, None
    )
    db.session.delete(criterion)
    db.session.flush()


def load_rubric(rubric_id: int) -> Rubric | None:
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


def templates() -> list[Rubric]:
    return list(
        db.session.scalars(
            select(Rubric).where(Rubric.assessment_id.is_(None)).order_by(Rubric.title, Rubric.id)
        )
    )


def attach_rubric(actor, assessment: Assessment, template: Rubric) -> Rubric:
    """Copy a template into an assessment (replacing its rubric while nobody is graded)."""
    course = db.session.get(Course, assessment.course_id)
    if not can_manage_assessments(actor, course):
        raise Forbidden()
    if assessment.is_quiz:
        raise Conflict(_("Quizzes are graded by their questions, not with a rubric."))
    if not template.is_template:
        raise invalid("template_id", _("Choose a rubric template."))
    template = load_rubric(template.id)
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
    course = db.session.get(Course, assessment.course_id)
    if not can_manage_assessments(actor, course):
        raise Forbidden()
    if assessment.is_quiz:
        raise Conflict(_("Quizzes are graded by their questions, not with a rubric."))
    if db.session.scalar(select(func.count()).where(Rubric.assessment_id == assessment.id)):
        raise Conflict(_("This assessment already has a rubric."))
    rubric = Rubric(
        title=required_text(title, "title", 200),
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
