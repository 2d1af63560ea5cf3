"""Helpers shared by the assessment services."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from sqlalchemy import insert, select

from assessments.models import Assessment, Grade, GradeHistory, GradeStatus
from assessments.scoring import q2
from courses.models import Enrolment, EnrolmentStatus
from lms.audit.services import record
from lms.db import db
from lms.errors import StaleEdit
from lms.validation import invalid


def points(value, field: str, *, allow_none: bool = False, maximum: Decimal | None = None):
    """Read points (a Decimal with at most two decimals, never negative)."""
    if value is None or (isinstance(value, str) and not value.strip()):
        if allow_none:
            return None
        raise invalid(field, _("Enter a number of points."))
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except InvalidOperation:
        raise invalid(field, _("Enter a number, such as 7 or 7.5.")) from None
    if not number.is_finite() or number < 0:
        raise invalid(field, _("Enter a number of points that is zero or more."))
    if number != q2(number):
        raise invalid(field, _("Use at most two decimals."))
    if maximum is not None and number > maximum:
        raise invalid(field, _("At most %(max)s points.", max=fmt_points(maximum)))
    return q2(number)


def fmt_points(value: Decimal | None) -> str:
    """Points as people write them: 7, 7,5 (Italian) is left to the templates; here 7 / 7.5."""
    if value is None:
        return ""
    text = f"{q2(value):f}".rstrip("0").rstrip(".")
    return text or "0"


def check_version(obj, seen_version: int | None) -> None:
    """The editor saw an older version of the record: refuse instead of overwriting."""
    if seen_version is not None and obj is not None and obj.version_id != seen_version:
        raise StaleEdit()


def active_enrolment(assessment: Assessment, user_id: int) -> Enrolment | None:
    return db.session.scalar(
        select(Enrolment).where(
            Enrolment.course_id == assessment.course_id,
            Enrolment.user_id == user_id,
            Enrolment.status == EnrolmentStatus.ACTIVE,
        )
    )


def grade_of(assessment: Assessment, trainee_id: int, *, create: bool = False) -> Grade | None:
    """The grade row of a trainee in an assessment (created as 'not submitted' if asked)."""
    grade = db.session.scalar(
        select(Grade).where(Grade.assessment_id == assessment.id, Grade.trainee_id == trainee_id)
    )
    if grade is None and create:
        grade = Grade(
            assessment_id=assessment.id, trainee_id=trainee_id, status=GradeStatus.NOT_SUBMITTED
        )
        db.session.add(grade)
        db.session.flush()
    return grade


GRADE_FIELDS = ["status", "score", "feedback", "discrepancy", "agreed_reason"]


def grade_snapshot(grade: Grade) -> dict:
    from lms.audit.services import snapshot

    return snapshot(grade, GRADE_FIELDS)


def write_history(
    actor,
    grade: Grade,
    action: str,
    before: dict | None,
    after: dict | None,
    reason: str | None = None,
    mark=None,
) -> None:
    """Keep a grade change twice: in the grade's own history and in the audit trail."""
    from lms.audit.services import _jsonable

    db.session.add(
        GradeHistory(
            grade_id=grade.id,
            mark_id=getattr(mark, "id", None),
            action=action,
            changed_by_id=getattr(actor, "id", None),
            before=_jsonable(before) if before is not None else None,
            after=_jsonable(after) if after is not None else None,
            reason=reason,
        )
    )
    record(actor, action, "grade", grade.id, before, after, reason)


def write_history_many(actor, action: str, changes: list[tuple[int, dict, dict]]) -> None:
    """`write_history` for many grades at once, (grade_id, before, after) each: two INSERTs."""
    from lms.audit.services import _jsonable, record_many

    if not changes:
        return
    db.session.execute(
        insert(GradeHistory),
        [
            {
                "grade_id": grade_id,
                "action": action,
                "changed_by_id": getattr(actor, "id", None),
                "before": _jsonable(before),
                "after": _jsonable(after),
            }
            for grade_id, before, after in changes
        ],
    )
    record_many(actor, action, "grade", changes)
