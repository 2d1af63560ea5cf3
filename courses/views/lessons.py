"""Lesson pages: schedule one or a weekly series, edit or move, cancel, today's lessons."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from courses import bp
from courses.forms import LessonForm, ReasonForm
from courses.models import LessonMode
from courses.permissions import (
    can_create_course,
    can_edit_lesson,
    can_manage_course,
    can_schedule_lessons,
    can_view_todays_lessons,
)
from courses.services import lessons as lesson_services
from courses.services.courses import load_module_links
from courses.services.enrolments import today
from courses.views.common import course_or_404, lesson_or_404
from courses.views.courses import trainer_choices
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.web import acting_user, apply_field_errors, require_visible


def _lesson_form(course, lesson=None) -> LessonForm:
    form = LessonForm()
    form.module_id.choices = [
        (link.module_id, f"{link.module.code} · {link.module.title}")
        for link in load_module_links(course)
    ]
    form.trainer_id.choices = trainer_choices()
    if request.method == "GET":
        if lesson is not None:
            form.process(obj=lesson)
            form.mode.data = lesson.mode.value
        else:
            if course.trainer_ids and not form.trainer_id.data:
                form.trainer_id.data = sorted(course.trainer_ids)[0]
    return form


def _args(form) -> dict:
    return dict(
        module_id=form.module_id.data,
        date=form.date.data,
        start_time=form.start_time.data,
        end_time=form.end_time.data,
        mode=LessonMode(form.mode.data),
        trainer_id=form.trainer_id.data,
        place=form.place.data or "",
        link=form.link.data or "",
    )


@bp.route("/percorsi/<int:course_id>/lezioni/nuova", methods=["GET", "POST"])
@allowed_if(can_create_course)
def new_lesson(course_id: int):
    course = course_or_404(course_id, can_manage_course)
    require_visible(can_schedule_lessons(acting_user(), course))
    form = _lesson_form(course)
    status = 200
    if form.validate_on_submit():
        try:
            created = lesson_services.schedule_lessons(
                acting_user(), course, weeks=form.weeks.data, **_args(form)
            )
        except ValidationFailed as err:
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            status = 422
        else:
            db.session.commit()
            flash(
                ngettext("%(num)d lesson scheduled.", "%(num)d lessons scheduled.", len(created)),
                "success",
            )
            return redirect(url_for("courses.course", course_id=course.id, _anchor="lezioni"), 303)
    elif form.errors:
        status = 422
    return render_template(
        "courses/lesson_form.html", form=form, course=course, lesson=None
    ), status


@bp.route("/lezioni/<int:lesson_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_create_course)
def edit_lesson(lesson_id: int):
    lesson, course = lesson_or_404(lesson_id, can_edit_lesson)
    form = _lesson_form(course, lesson)
    recorded = lesson_services.has_attendance(lesson)
    status = 200
    if form.validate_on_submit():
        try:
            lesson_services.update_lesson(
                acting_user(), lesson, course, reason=form.reason.data, **_args(form)
            )
        except ValidationFailed as err:
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            status = 422
        else:
            db.session.commit()
            flash(_("The lesson has been updated."), "success")
            return redirect(url_for("courses.lesson", lesson_id=lesson.id), 303)
    elif form.errors:
        status = 422
    return render_template(
        "courses/lesson_form.html", form=form, course=course, lesson=lesson, recorded=recorded
    ), status


@bp.route("/lezioni/<int:lesson_id>/annulla", methods=["GET", "POST"])
@allowed_if(can_create_course)
def cancel_lesson(lesson_id: int):
    lesson, course = lesson_or_404(lesson_id, can_edit_lesson)
    form = ReasonForm()
    status = 200
    if form.validate_on_submit():
        try:
            lesson_services.cancel_lesson(acting_user(), lesson, course, form.reason.data)
        except ValidationFailed as err:
            apply_field_errors(form, err)
            status = 422
        else:
            db.session.commit()
            flash(_("The lesson has been cancelled."), "success")
            return redirect(url_for("courses.course", course_id=course.id, _anchor="lezioni"), 303)
    elif form.errors:
        status = 422
    return render_template(
        "courses/lesson_cancel.html",
        form=form,
        lesson=lesson,
        course=course,
        recorded=lesson_services.has_attendance(lesson),
    ), status


@bp.get("/oggi")
@allowed_if(can_view_todays_lessons)
def today_lessons():
    rows = lesson_services.lessons_of_trainer_on(acting_user(), today())
    return render_template("courses/today.html", lessons=rows, day=today())
