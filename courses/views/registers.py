"""The lesson page with its register; signing, reopening, the PDF; self check-in."""

from __future__ import annotations

from io import BytesIO

import segno
from flask import Response, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import format_time, ngettext
from flask_babel import gettext as _

from courses import bp
from courses.forms import CheckInForm, ReasonForm
from courses.models import ATTENDANCE_LABELS, AttendanceStatus, Module
from courses.permissions import (
    can_check_in,
    can_create_course,
    can_export_register,
    can_run_checkin,
    can_view_lessons,
    can_view_register,
)
from courses.services import checkin as checkin_services
from courses.services import registers as reg_services
from courses.services.lessons import has_attendance
from courses.views.common import lesson_or_404
from lms.accounts.models import User
from lms.db import db, utcnow
from lms.errors import (
    Conflict,
    DomainError,
    NotEligible,
    RateLimited,
    StaleEdit,
    ValidationFailed,
)
from lms.routing import absolute_url
from lms.security import allowed_if
from lms.validation import ascii_number
from lms.web import acting_user

STATUSES = list(AttendanceStatus)


def _row_values(rows) -> dict[int, dict]:
    """What the form shows for each trainee: the stored record, or the defaults."""
    values = {}
    for r in rows:
        rec = r.record
        if rec is None:
            values[r.enrolment.id] = {
                "status": "",
                "minutes": "",
                "note": "",
                "v": 0,
                "os": "",
                "om": "",
                "on": "",
            }
        else:
            values[r.enrolment.id] = {
                "status": rec.status.value,
                "minutes": rec.minutes,
                "note": rec.note,
                "v": rec.version_id,
                "os": rec.status.value,
                "om": rec.minutes,
                "on": rec.note,
            }
    return values


def _parse(form, rows) -> tuple[list[reg_services.RowInput], dict[int, dict]]:
    inputs, submitted = [], {}
    valid = {s.value for s in STATUSES}
    for r in rows:
        eid = r.enrolment.id
        raw_status = form.get(f"status_{eid}", "")
        raw_min = (form.get(f"minutes_{eid}", "") or "").strip()
        note = form.get(f"note_{eid}", "") or ""
        seen = form.get(f"v_{eid}", "0")
        seen = ascii_number(seen, 0)
        os_, om, on = (
            form.get(f"os_{eid}", ""),
            form.get(f"om_{eid}", ""),
            form.get(f"on_{eid}", ""),
        )
        original = None
        old_minutes = ascii_number(om)
        if os_ in valid and old_minutes is not None:
            original = (AttendanceStatus(os_), old_minutes, on.strip())
        minutes = ascii_number(raw_min, None if raw_min == "" else -1)
        status = AttendanceStatus(raw_status) if raw_status in valid else None
        inputs.append(reg_services.RowInput(eid, status, minutes, note, seen, original))
        submitted[eid] = {
            "status": raw_status if raw_status in valid else "",
            "minutes": raw_min,
            "note": note,
            "v": seen,
            "os": os_,
            "om": om,
            "on": on,
        }
    return inputs, submitted


def _render(lesson, course, rows, values, *, errors=None, conflicts=None, status=200):
    # the callers read the register's lines through lesson_register (its permission check)
    reg = reg_services.get_register(lesson)
    now = utcnow()
    module = db.session.get(Module, lesson.module_id)
    trainer = db.session.get(User, lesson.trainer_id)
    return render_template(
        "courses/lesson.html",
        lesson=lesson,
        course=course,
        module=module,
        trainer=trainer,
        rows=rows,
        values=values,
        register=reg,
        errors=errors or {},
        conflicts=conflicts or {},
        statuses=STATUSES,
        labels=ATTENDANCE_LABELS,
        value_labels={s.value: ATTENDANCE_LABELS[s] for s in STATUSES},
        is_open=reg_services.attendance_open(lesson, now),
        checkin_open=checkin_services.checkin_open(lesson, now),
        signer=db.session.get(User, reg.signed_by_id) if reg.signed_by_id else None,
        on_behalf_of=db.session.get(User, reg.on_behalf_of_id) if reg.on_behalf_of_id else None,
        reason_form=ReasonForm(),
        recorded=has_attendance(lesson),
    ), status


@bp.get("/lezioni/<int:lesson_id>")
@allowed_if(can_view_lessons)
def lesson(lesson_id: int):
    lesson, course = lesson_or_404(lesson_id, can_view_register)
    _reg, rows = reg_services.lesson_register(acting_user(), lesson)
    return _render(lesson, course, rows, _row_values(rows))


def _version(form) -> int | None:
    version = form.get("register_version", "")
    return ascii_number(version)


def _render_error(err, lesson, course, submitted):
    """The register page again after a refused save or signature, with what the user typed."""
    db.session.rollback()
    flash(err.message, "danger")
    u = acting_user()
    _reg, rows = reg_services.lesson_register(u, lesson)
    if isinstance(err, ValidationFailed):
        return _render(lesson, course, rows, submitted, errors=err.fields, status=422)
    if not isinstance(err, StaleEdit):
        return _render(lesson, course, rows, submitted, status=err.status)
    current = _row_values(rows)
    conflicts = {}
    for r in rows:
        eid = r.enrolment.id
        mine, now_ = submitted.get(eid), current[eid]
        if mine and now_["v"] != mine["v"]:
            # Keep what the user typed; from now on they edit over the current version.
            conflicts[eid] = now_
            submitted[eid] = {
                **mine,
                "v": now_["v"],
                "os": now_["os"],
                "om": now_["om"],
                "on": now_["on"],
            }
    return _render(lesson, course, rows, submitted, conflicts=conflicts, status=409)


@bp.post("/lezioni/<int:lesson_id>/registro")
@allowed_if(can_view_lessons)
def save_register(lesson_id: int):
    lesson, course = lesson_or_404(lesson_id, can_view_register)
    u = acting_user()
    _reg, rows = reg_services.lesson_register(u, lesson)
    version = _version(request.form)
    inputs, submitted = _parse(request.form, rows)
    action = request.form.get("action")
    try:
        if action == "sign":
            from courses.views.signing import confirm_page

            return confirm_page(lesson, course, rows, inputs, submitted, version)
        if action == "all_present":
            n = reg_services.mark_all_present(u, lesson, course, register_version=version)
        else:
            n = reg_services.save_register(u, lesson, course, inputs, register_version=version)
    except (ValidationFailed, StaleEdit) as err:
        return _render_error(err, lesson, course, submitted)
    db.session.commit()
    flash(
        ngettext(
            "Register saved: %(num)d line changed.", "Register saved: %(num)d lines changed.", n
        ),
        "success",
    )
    return redirect(url_for("courses.lesson", lesson_id=lesson.id, _anchor="registro"), 303)


@bp.post("/lezioni/<int:lesson_id>/registro/riapri")
@allowed_if(can_create_course)
def reopen_register(lesson_id: int):
    lesson, course = lesson_or_404(lesson_id, can_view_register)
    form = ReasonForm()
    if not form.validate_on_submit():
        flash(_("Give a reason to reopen the register."), "danger")
        return redirect(url_for("courses.lesson", lesson_id=lesson.id), 303)
    reg_services.reopen_register(acting_user(), lesson, course, form.reason.data)
    db.session.commit()
    flash(_("The register has been reopened."), "success")
    return redirect(url_for("courses.lesson", lesson_id=lesson.id), 303)


@bp.get("/lezioni/<int:lesson_id>/registro.pdf")
@allowed_if(can_view_lessons)
def register_pdf(lesson_id: int):
    from courses.services.register_pdfs import register_document, register_pdf_file_name

    lesson, course = lesson_or_404(lesson_id, can_export_register)
    data = register_document(acting_user(), lesson, course)
    name = register_pdf_file_name(lesson)
    db.session.commit()  # a signed register's PDF is stored at its first download
    return Response(
        data,
        mimetype="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}"'},
    )


# --- self check-in: the trainer's screen ---------------------------------------------------


def _checkin_url(lesson, code: str) -> str:
    return absolute_url("courses.check_in", lezione=lesson.id, codice=code)


@bp.get("/lezioni/<int:lesson_id>/check-in")
@allowed_if(can_view_lessons)
def checkin_screen(lesson_id: int):
    lesson, course = lesson_or_404(lesson_id, can_run_checkin)
    state = checkin_services.screen(acting_user(), lesson)
    return render_template(
        "courses/checkin_screen.html",
        lesson=lesson,
        course=course,
        code=state["code"],
        seconds=state["seconds"],
        is_open=state["open"],
        url=_checkin_url(lesson, state["code"]) if state["open"] else "",
        checkins=state["checkins"],
        labels=ATTENDANCE_LABELS,
        opens=state["opens"],
    )


@bp.get("/lezioni/<int:lesson_id>/check-in/qr.svg")
@allowed_if(can_view_lessons)
def checkin_qr(lesson_id: int):
    lesson, _course = lesson_or_404(lesson_id, can_run_checkin)
    state = checkin_services.screen(acting_user(), lesson)
    if not state["open"]:
        return Response(status=404)
    code = state["code"]
    out = BytesIO()
    segno.make(_checkin_url(lesson, code), error="m").save(
        out, kind="svg", scale=8, border=2, title=_("QR code for check-in")
    )
    resp = Response(out.getvalue(), mimetype="image/svg+xml")
    resp.headers["Cache-Control"] = "no-store"
    return resp


@bp.get("/lezioni/<int:lesson_id>/check-in/stato")
@allowed_if(can_view_lessons)
def checkin_state(lesson_id: int):
    """The code and the check-ins so far, for the screen's optional polling script."""
    lesson, _course = lesson_or_404(lesson_id, can_run_checkin)
    state = checkin_services.screen(acting_user(), lesson)
    is_open, code, seconds = state["open"], state["code"], state["seconds"]
    resp = jsonify(
        {
            "open": is_open,
            "code": code,
            "seconds": seconds,
            "qr": url_for("courses.checkin_qr", lesson_id=lesson.id, c=code) if is_open else "",
            "checkins": [
                {
                    "name": u.full_name,
                    "time": format_time(r.checked_in_at, "HH:mm"),
                    "status": str(ATTENDANCE_LABELS[r.status]),
                    "minutes": r.minutes,
                }
                for r, u in state["checkins"]
            ],
        }
    )
    resp.headers["Cache-Control"] = "no-store"
    return resp


# --- self check-in: the trainee ------------------------------------------------------------


@bp.route("/check-in", methods=["GET", "POST"])
@allowed_if(can_check_in)
def check_in():
    form = CheckInForm()
    lesson_id = request.values.get("lezione", type=int)
    if request.method == "GET" and request.args.get("codice"):
        form.code.data = request.args["codice"]
    status = 200
    if form.validate_on_submit():
        try:
            lesson, rec = checkin_services.check_in(
                acting_user(), form.code.data, lesson_id=lesson_id
            )
        except (ValidationFailed, NotEligible, Conflict, RateLimited) as err:
            db.session.rollback()
            form.code.errors = [*form.code.errors, err.message]
            status = err.status if isinstance(err, DomainError) else 422
        else:
            db.session.commit()
            module = db.session.get(Module, lesson.module_id)
            if rec.status == AttendanceStatus.LATE:
                flash(
                    _(
                        'Check-in done for "%(title)s": you are recorded as late, '
                        "%(minutes)d minutes.",
                        title=module.title,
                        minutes=rec.minutes,
                    ),
                    "success",
                )
            else:
                flash(
                    _(
                        'Check-in done: you are recorded as present at "%(title)s".',
                        title=module.title,
                    ),
                    "success",
                )
            return redirect(url_for("courses.my_courses"), 303)
    elif form.errors:
        status = 422
    return render_template("courses/check_in.html", form=form, lesson_id=lesson_id), status
