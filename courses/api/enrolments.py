"""Enrolments through the API."""

from __future__ import annotations

from types import SimpleNamespace

from flask_babel import gettext as _

from courses.permissions import (
    can_create_course,
    can_manage_course,
    can_view_attendance_reports,
    can_view_enrolment,
    can_view_enrolments,
    can_view_trainee_course,
)
from courses.schemas import (
    EnrolInSchema,
    EnrolmentAttendanceSchema,
    EnrolmentSchema,
    TraineeLessonSchema,
    WithdrawInSchema,
)
from courses.services import enrolments, reports
from courses.views.common import course_or_404, enrolment_or_404
from lms.accounts.models import User
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.security import allowed_if, login_required
from lms.validation import invalid
from lms.web import acting_user


@api.get("/courses/<int:course_id>/enrolments")
@allowed_if(can_view_attendance_reports)
@endpoint(response=EnrolmentSchema, paginated=True, summary="A course's enrolments")
def api_enrolments(course_id: int):
    course = course_or_404(course_id, can_view_enrolments)
    return enrolments.enrolments_query(acting_user(), course)


@api.post("/courses/<int:course_id>/enrolments")
@allowed_if(can_create_course)
@endpoint(body=EnrolInSchema, response=EnrolmentSchema, status=201, summary="Enrol a trainee")
def api_enrol(course_id: int, data):
    course = course_or_404(course_id, can_manage_course)
    trainee = db.session.get(User, data["user_id"])
    if trainee is None:
        raise invalid("user_id", _("No such user."))
    e = enrolments.enrol(acting_user(), course, trainee, enrolled_on=data["enrolled_on"])
    db.session.commit()
    return e


@api.post("/enrolments/<int:enrolment_id>/withdraw")
@allowed_if(can_create_course)
@endpoint(body=WithdrawInSchema, response=EnrolmentSchema, summary="Withdraw a trainee")
def api_withdraw(enrolment_id: int, data):
    e, course = enrolment_or_404(enrolment_id, can_view_enrolment)
    enrolments.withdraw(acting_user(), e, course, data["reason"], on=data["withdrawn_on"])
    db.session.commit()
    return e


@api.get("/enrolments/<int:enrolment_id>/attendance")
@login_required
@endpoint(response=EnrolmentAttendanceSchema, summary="One enrolment's attendance")
def api_enrolment_attendance(enrolment_id: int):
    e, _course = enrolment_or_404(enrolment_id, can_view_enrolment)
    summary, eligibility = reports.enrolment_attendance(acting_user(), e)
    return SimpleNamespace(enrolment=e, summary=summary, eligibility=eligibility)


@api.get("/enrolments/<int:enrolment_id>/lessons")
@login_required
@endpoint(
    response=TraineeLessonSchema,
    paginated=True,
    summary="The lessons of an enrolment's course as the trainee follows them",
)
def api_enrolment_lessons(enrolment_id: int):
    from flask import current_app

    from courses.services.trainee_course import trainee_course

    e, _course = enrolment_or_404(enrolment_id, can_view_trainee_course)
    lead = current_app.config.get("LESSON_LINK_LEAD_MINUTES", 30)
    return trainee_course(acting_user(), e, link_lead_minutes=lead).lines
