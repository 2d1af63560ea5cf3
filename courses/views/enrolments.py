"""Enrolment pages: the list, enrol one, by organisation or by CSV (dry run first), withdraw."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from courses import bp
from courses.forms import EnrolCsvForm, EnrolOrganisationForm, EnrolUserForm, ReasonForm
from courses.models import Enrolment, EnrolmentStatus
from courses.permissions import (
    can_create_course,
    can_manage_course,
    can_manage_enrolments,
    can_view_enrolment,
)
from courses.services import enrolments as enrol_services
from courses.views.common import course_or_404, enrolment_or_404
from lms.accounts.models import User
from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations.models import Organisation
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, get_or_404, require_visible


def _forms(course):
    enrolled = set(
        db.session.scalars(
            select(Enrolment.user_id).where(
                Enrolment.course_id == course.id, Enrolment.status != EnrolmentStatus.WITHDRAWN
            )
        )
    )
    one = EnrolUserForm(prefix="one")
    orgs = {o.id: o.name for o in db.session.scalars(select(Organisation))}
    one.user_id.choices = [
        (
            u.id,
            f"{u.full_name} · {u.email}"
            + (f" · {orgs[u.organisation_id]}" if u.organisation_id in orgs else ""),
        )
        for u in enrol_services.trainee_candidates()
        if u.id not in enrolled
    ]
    org = EnrolOrganisationForm(prefix="org")
    org.organisation_id.choices = sorted(orgs.items(), key=lambda kv: kv[1].lower())
    return one, org, EnrolCsvForm(prefix="csv")


def _render(
    course, one, org, csv_form, csv_result=None, csv_text=None, status=200, withdraw_refused=None
):
    rows = db.session.scalars(
        select(Enrolment)
        .join(Enrolment.user)
        .options(contains_eager(Enrolment.user))
        .where(Enrolment.course_id == course.id)
        .order_by(Enrolment.status, User.full_name)
    ).all()
    orgs = {o.id: o.name for o in db.session.scalars(select(Organisation))}
    return render_template(
        "courses/enrolments.html",
        course=course,
        enrolments=rows,
        orgs=orgs,
        one=one,
        org=org,
        csv_form=csv_form,
        csv_result=csv_result,
        csv_text=csv_text,
        reason_form=ReasonForm(),
        withdraw_refused=withdraw_refused,
    ), status


@bp.get("/percorsi/<int:course_id>/iscrizioni")
@allowed_if(can_create_course)
def enrolments(course_id: int):
    course = course_or_404(course_id, can_manage_course)
    return _render(course, *_forms(course))


@bp.post("/percorsi/<int:course_id>/iscrizioni")
@allowed_if(can_create_course)
def enrol(course_id: int):
    course = course_or_404(course_id, can_manage_course)
    require_visible(can_manage_enrolments(acting_user(), course))
    u = acting_user()
    one, org, csv_form = _forms(course)
    kind = request.form.get("kind")
    if kind == "one" and one.validate_on_submit():
        trainee = get_or_404(User, one.user_id.data)
        try:
            e = enrol_services.enrol(u, course, trainee, enrolled_on=one.enrolled_on.data)
        except ValidationFailed as err:
            apply_field_errors(one, err)
            return _render(course, one, org, csv_form, status=422)
        db.session.commit()
        if e.status == EnrolmentStatus.WAITING:
            flash(
                _("The course is full: %(name)s is on the waiting list.", name=trainee.full_name),
                "warning",
            )
        else:
            flash(_("%(name)s is enrolled.", name=trainee.full_name), "success")
    elif kind == "org" and org.validate_on_submit():
        created, skipped = enrol_services.enrol_organisation(
            u, course, org.organisation_id.data, enrolled_on=org.enrolled_on.data
        )
        db.session.commit()
        flash(
            ngettext("%(num)d trainee enrolled.", "%(num)d trainees enrolled.", len(created))
            + (" " + _("%(n)d already enrolled.", n=skipped) if skipped else ""),
            "success",
        )
    elif kind == "csv" and csv_form.validate_on_submit():
        data = csv_form.file.data.read()
        result = enrol_services.import_csv(u, course, data, dry_run=True)
        # The confirmation form sends the checked text back; it is checked again on import.
        text = data.decode("utf-8-sig", errors="replace") if result.ok else None
        return _render(
            course,
            one,
            org,
            csv_form,
            csv_result=result,
            csv_text=text,
            status=200 if result.ok else 422,
        )
    elif kind == "csv_confirm":
        text = request.form.get("csv_text")
        if not text:
            flash(_("Upload the file again: the checked copy has expired."), "danger")
            return redirect(url_for("courses.enrolments", course_id=course.id), 303)
        result = enrol_services.import_csv(u, course, text.encode(), dry_run=False)
        if not result.applied:
            return _render(course, one, org, csv_form, csv_result=result, status=422)
        db.session.commit()
        flash(
            ngettext(
                "%(num)d trainee enrolled from the file.",
                "%(num)d trainees enrolled from the file.",
                len(result.rows),
            ),
            "success",
        )
    else:
        return _render(course, one, org, csv_form, status=422)
    return redirect(url_for("courses.enrolments", course_id=course.id), 303)


@bp.post("/iscrizioni/<int:enrolment_id>/ritiro")
@allowed_if(can_create_course)
def withdraw(enrolment_id: int):
    e, course = enrolment_or_404(enrolment_id, can_view_enrolment)
    form = ReasonForm()
    errors = None if form.validate_on_submit() else list(form.reason.errors)
    if errors is None:
        try:
            enrol_services.withdraw(acting_user(), e, course, form.reason.data)
        except ValidationFailed as err:
            db.session.rollback()
            errors = err.fields.get("reason") or [err.message]
    if errors is not None:
        # The list again, the reason kept next to its trainee with the field's message.
        flash(_("Give a reason for the withdrawal."), "danger")
        refused = {e.id: {"typed": form.reason.data or "", "errors": errors}}
        return _render(course, *_forms(course), status=422, withdraw_refused=refused)
    db.session.commit()
    flash(_("The withdrawal has been recorded."), "success")
    return redirect(url_for("courses.enrolments", course_id=course.id), 303)
