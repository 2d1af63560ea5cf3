"""The agreed mark of a double-marked grade."""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _

from assessments.models import Assessment, Grade, GradeStatus, Mark
from assessments.permissions import can_record_agreement
from assessments.services.common import check_version, grade_snapshot, points, write_history
from assessments.services.grading.reads import marks_of
from lms.db import flush_versioned, utcnow
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require
from lms.validation import optional_text, required_reason


def needs_agreement(grade: Grade, marks: list[Mark]) -> bool:
    return grade.discrepancy and grade.agreed_at is None and sum(m.completed for m in marks) >= 2


def record_agreement(
    actor,
    assessment: Assessment,
    grade: Grade,
    *,
    score,
    reason: str,
    feedback: str = "",
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Grade:
    """The agreed mark of a double-marked grade, with its reason, by a trainer of the course
    or a coordinator, once both marks are complete."""
    now = now or utcnow()
    require(can_record_agreement(actor, grade))
    if not assessment.double_marking:
        raise Conflict(_("This assessment is not double marked."))
    marks = marks_of(grade)
    if sum(1 for m in marks if m.completed) < 2:
        raise Conflict(_("Both marks must be complete before the agreed mark."))
    check_version(grade, seen_version)
    errors: dict[str, list[str]] = {}
    try:
        value = points(score, "score", maximum=assessment.max_points)
    except ValidationFailed as err:
        errors.update(err.fields)
        value = None
    try:
        reason = required_reason(reason, max_len=1000)
    except ValidationFailed as err:
        errors.update(err.fields)
    try:
        feedback = optional_text(feedback, "feedback", 10000)
    except ValidationFailed as err:
        errors.update(err.fields)
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    before = grade_snapshot(grade)
    grade.score = value
    grade.feedback = feedback or grade.feedback
    grade.agreed_at, grade.agreed_by_id, grade.agreed_reason = now, actor.id, reason
    grade.graded_at = grade.graded_at or now
    if grade.status != GradeStatus.RELEASED:
        grade.status = GradeStatus.GRADED
    flush_versioned()
    write_history(actor, grade, "grade.agree", before, grade_snapshot(grade), reason)
    return grade
