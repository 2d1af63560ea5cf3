"""Who may take an assessment now, and why not: enrolment, publication, dates, eligibility."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from assessments.models import Assessment
from assessments.permissions import can_take_assessment
from assessments.services.common import active_enrolment
from courses.attendance import eligibility
from courses.models import Course
from lms.db import db, utcnow
from lms.errors import Conflict, NotEligible
from lms.permissions import require_actor

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES = 5


def max_upload_bytes() -> int:
    """The largest file a trainee may attach (ASSESSMENT_MAX_UPLOAD_BYTES)."""
    return int(current_app.config.get("ASSESSMENT_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


@dataclass(frozen=True)
class Access:
    """Whether a trainee may work on an assessment now, and why not."""

    allowed: bool
    reason: str = ""
    late: bool = False


def access(user, assessment: Assessment, now: dt.datetime | None = None) -> Access:
    """The rules for taking an assessment: enrolment, publication, dates, eligibility."""
    now = now or utcnow()
    require_actor(user)
    if not can_take_assessment(user, assessment):
        if not assessment.published:
            return Access(False, _("This assessment is not published yet."))
        return Access(False, _("You are not enrolled in this course."))
    if assessment.is_observed:
        return Access(False, _("This test is observed in person: there is nothing to submit."))
    if now < assessment.opens_at:
        return Access(False, _("This assessment is not open yet."))
    if now > assessment.last_accepted_at:
        return Access(False, _("This assessment is closed: nothing more can be submitted."))
    if assessment.is_final:
        enrolment = active_enrolment(assessment, user.id)
        if not eligibility(enrolment, now).assessment.met:
            course = db.session.get(Course, assessment.course_id)
            return Access(
                False,
                _(
                    "This is the final assessment: it is open to trainees who attended at least "
                    "%(pct)d%% of the course hours. Your attendance is not enough yet.",
                    pct=course.assessment_threshold_pct,
                ),
            )
    return Access(True, late=assessment.is_late(now))


def require_access(user, assessment: Assessment, now: dt.datetime) -> Access:
    """The access rules, raised: NotEligible for a final test the attendance does not open,
    Conflict with the reason otherwise."""
    result = access(user, assessment, now)
    if not result.allowed:
        if (
            assessment.is_final
            and can_take_assessment(user, assessment)
            and (assessment.opens_at <= now <= assessment.last_accepted_at)
        ):
            raise NotEligible(result.reason)
        raise Conflict(result.reason)
    return result
