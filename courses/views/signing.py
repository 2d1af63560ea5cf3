"""Signing a register: a confirmation page summarising it, then save and sign in one step."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from courses import bp
from courses.models import ATTENDANCE_LABELS, AttendanceStatus, Module
from courses.permissions import can_view_lessons, can_view_register
from courses.services import registers as reg_services
from courses.views.common import lesson_or_404
from courses.views.registers import _parse, _render, _render_error, _version
from lms.accounts.models import User
from lms.db import db
from lms.errors import Conflict, ValidationFailed
from lms.security import allowed_if
from lms.web import acting_user

HIDDEN_KEYS = ("status", "minutes", "note", "v", "os", "om", "on")


def confirm_page(lesson, course, rows, inputs, submitted, version):
    """Before signing: the register's summary, the typed values carried in hidden fields."""
    summary = reg_services.preview_signature(acting_user(), lesson, course, inputs)
    hidden = [
        (f"{key}_{eid}", values[key]) for eid, values in submitted.items() for key in HIDDEN_KEYS
    ]
    return render_template(
        "courses/register_confirm.html",
        lesson=lesson,
        course=course,
        module=db.session.get(Module, lesson.module_id),
        summary=summary,
        statuses=list(AttendanceStatus),
        labels=ATTENDANCE_LABELS,
        hidden=hidden,
        register_version=version,
        on_behalf=lesson.trainer_id != acting_user().id,
        trainer=db.session.get(User, lesson.trainer_id),
    )


@bp.post("/lezioni/<int:lesson_id>/registro/firma")
@allowed_if(can_view_lessons)
def sign_register(lesson_id: int):
    """Confirmed: save the changes carried from the page and sign, in one transaction."""
    lesson, course = lesson_or_404(lesson_id, can_view_register)
    u = acting_user()
    _reg, rows = reg_services.lesson_register(u, lesson)
    inputs, submitted = _parse(request.form, rows)
    if request.form.get("action") == "back":
        return _render(lesson, course, rows, submitted)
    try:
        reg = reg_services.sign_register(
            u, lesson, course, rows=inputs, register_version=_version(request.form)
        )
    except (ValidationFailed, Conflict) as err:
        return _render_error(err, lesson, course, submitted)
    db.session.commit()
    if reg.on_behalf_of_id:
        flash(_("The register is signed on behalf of the trainer and locked."), "success")
    else:
        flash(_("The register is signed and locked."), "success")
    return redirect(url_for("courses.lesson", lesson_id=lesson.id), 303)
