"""Marks: a marker's score (with rubric levels or observations), and the grade they settle."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from assessments.models import (
    Assessment,
    Grade,
    GradeStatus,
    Mark,
    MarkerRole,
    MarkLevel,
    RubricCriterion,
)
from assessments.scoring import q2, rubric_score, scale
from assessments.services.common import grade_snapshot, points, write_history
from assessments.services.grading.reads import (
    assessment_rubric,
    check_final_eligibility,
    marks_of,
    my_role,
    require_grader,
)
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, NotFound, StaleEdit, ValidationFailed
from lms.validation import FieldErrors, invalid, optional_text

MARK_FIELDS = ["role", "score", "feedback", "note", "observed_on", "completed_at"]


@dataclass
class MarkInput:
    score: Decimal | str | None = None  # ignored when the assessment has a rubric
    levels: dict[int, int] = field(default_factory=dict)  # criterion id -> level id
    comments: dict[int, str] = field(default_factory=dict)  # criterion id -> comment
    feedback: str = ""
    note: str = ""
    observed_on: dt.date | None = None
    complete: bool = True
    reason: str = ""
    seen_version: int = 0  # the mark's version the marker saw; 0 for a new mark


def _mark_snapshot(mark: Mark | None) -> dict | None:
    if mark is None:
        return None
    from lms.audit.services import snapshot

    snap = snapshot(mark, MARK_FIELDS)
    snap["levels"] = {str(lv.criterion_id): str(lv.points) for lv in mark.levels}
    return snap


def save_mark(
    actor, assessment: Assessment, grade: Grade, data: MarkInput, now: dt.datetime | None = None
) -> Mark:
    """Record a marker's grading; with a rubric the score is the sum of the chosen levels
    (scaled to the assessment's maximum). Changing a grade already given needs a reason."""
    now = now or utcnow()
    require_grader(actor, assessment)
    if grade.assessment_id != assessment.id:
        raise NotFound()
    if assessment.kind.value == "assignment" and grade.status == GradeStatus.NOT_SUBMITTED:
        raise Conflict(_("Nothing was submitted yet: there is nothing to grade."))
    check_final_eligibility(assessment, grade.trainee_id, now)
    marks = marks_of(grade)
    role = my_role(actor, assessment, marks)
    if role is None:
        raise Conflict(_("Both marks are given: record the agreed mark instead."))
    mark = next((m for m in marks if m.role == role), None)
    if (mark.version_id if mark else 0) != data.seen_version:
        raise StaleEdit(
            _(
                "Someone else saved this mark while you were editing it. Their "
                "version is shown now; your entries are kept below. Check them "
                "and save again."
            )
        )
    rubric = assessment_rubric(assessment)
    errors: dict[str, list[str]] = {}
    chosen: list[tuple[RubricCriterion, object, str]] = []
    if rubric is not None and rubric.criteria:
        for crit in rubric.criteria:
            level_id = data.levels.get(crit.id)
            level = next((lv for lv in crit.levels if lv.id == level_id), None)
            comment = FieldErrors(errors).check(
                optional_text, data.comments.get(crit.id), f"comment_{crit.id}", 1000
            )
            if level is None:
                if data.complete:
                    errors[f"criterion_{crit.id}"] = [_("Choose a level for this criterion.")]
                continue
            chosen.append((crit, level, comment or ""))
        total_max = q2(sum((c.max_points for c in rubric.criteria), Decimal(0)))
        score = (
            scale(
                rubric_score([lv.points for _c, lv, _m in chosen]), total_max, assessment.max_points
            )
            if chosen
            else None
        )
    else:
        try:
            score = points(
                data.score, "score", allow_none=not data.complete, maximum=assessment.max_points
            )
        except ValidationFailed as err:
            errors.update(err.fields)
            score = None
    feedback = note = ""
    try:
        feedback = optional_text(data.feedback, "feedback", 10000)
        note = optional_text(data.note, "note", 10000)
    except ValidationFailed as err:
        errors.update(err.fields)
    if assessment.is_observed and data.complete and data.observed_on is None:
        errors["observed_on"] = [_("Give the date of the observation.")]
    if data.observed_on is not None and data.observed_on > now.date() + dt.timedelta(days=1):
        errors["observed_on"] = [_("The observation cannot be in the future.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)

    before = {"grade": grade_snapshot(grade), "mark": _mark_snapshot(mark)}
    if mark is None:
        mark = Mark(grade_id=grade.id, marker_id=actor.id, role=role)
        mark.levels = []
        db.session.add(mark)
    elif mark.marker_id != actor.id and not assessment.double_marking:
        mark.marker_id = actor.id
    mark.score, mark.feedback, mark.note = score, feedback, note
    mark.observed_on = data.observed_on
    if data.complete:
        mark.completed_at = mark.completed_at or now
    else:
        mark.completed_at = None
    existing = {lv.criterion_id: lv for lv in mark.levels}
    for crit, level, comment in chosen:
        row = existing.pop(crit.id, None)
        if row is None:
            mark.levels.append(
                MarkLevel(
                    criterion_id=crit.id, level_id=level.id, points=level.points, comment=comment
                )
            )
        else:
            row.level_id, row.points, row.comment = level.id, level.points, comment
    for row in existing.values():
        mark.levels.remove(row)
    flush_versioned()
    marks = [m for m in marks if m.id != mark.id] + [mark]
    old_score = grade.score
    _settle(grade, assessment, marks, now)
    if old_score is not None and grade.score is not None and grade.score != old_score:
        reason = data.reason.strip()
        if len(reason) < 3:
            raise invalid(
                "reason",
                _(
                    "This changes a grade already given: give a reason, it "
                    "is kept in the grade's history."
                ),
            )
    reason = optional_text(data.reason, "reason", 1000) or None
    flush_versioned()
    after = {"grade": grade_snapshot(grade), "mark": _mark_snapshot(mark)}
    action = "mark.complete" if data.complete else "mark.draft"
    write_history(actor, grade, action, before, after, reason, mark=mark)
    return mark


def _settle(grade: Grade, assessment: Assessment, marks: list[Mark], now: dt.datetime) -> None:
    """Derive the grade from its marks."""
    done = [m for m in marks if m.completed]
    released = grade.status == GradeStatus.RELEASED
    if not assessment.double_marking:
        first = next((m for m in marks if m.role == MarkerRole.FIRST), None)
        if first is not None and first.completed:
            grade.score, grade.feedback = first.score, first.feedback
            grade.graded_at = grade.graded_at or now
            if not released:
                grade.status = GradeStatus.GRADED
        elif not released:
            grade.status = GradeStatus.IN_GRADING
        return
    if grade.agreed_at is not None:
        return  # the agreed mark stands; changing it goes through record_agreement
    if len(done) < 2:
        if not released:
            grade.status = GradeStatus.IN_GRADING
        return
    a, b = (m.score for m in sorted(done, key=lambda m: m.role.value))
    gap = abs(a - b)
    grade.discrepancy = gap > assessment.marking_tolerance
    if grade.discrepancy:
        if not released:
            grade.status = GradeStatus.IN_GRADING
            grade.score = None
        return
    grade.score = q2((a + b) / 2)
    grade.feedback = "\n\n".join(
        m.feedback for m in sorted(done, key=lambda m: m.role.value) if m.feedback
    )
    grade.graded_at = grade.graded_at or now
    if not released:
        grade.status = GradeStatus.GRADED
