"""Course pages: list, detail, create and edit, status, ordered modules."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from courses import bp
from courses.forms import AddModuleForm, CourseForm, StatusForm
from courses.models import Course, CourseStatus, Enrolment, EnrolmentStatus, Lesson, Module
from courses.permissions import (
    can_create_course,
    can_list_courses,
    can_manage_course,
    can_view_course,
    can_view_course_report,
    can_view_module,
    can_view_trainee_course,
)
from courses.services import courses as course_services
from courses.views.common import course_or_404, module_or_404
from lms.accounts.models import User
from lms.accounts.permissions import is_trainee
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if, login_required
from lms.web import PageWindow, acting_user, apply_field_errors, require_visible

COURSES_PAGE = 50  # courses per page of the course list


def trainer_choices():
    return [(u.id, u.full_name) for u in course_services.trainer_candidates()]


@bp.get("/percorsi")
@login_required
def courses():
    u = acting_user()
    if not can_list_courses(u):
        return redirect(url_for("courses.my_courses"))
    # one page of the list, counted and cut in SQL (a regional programme has hundreds)
    pager = PageWindow(course_services.count_courses_for(u), COURSES_PAGE, request.args.get("page"))
    rows = course_services.courses_page_for(u, limit=pager.limit, offset=pager.offset)
    counts = dict(
        db.session.execute(
            select(Enrolment.course_id, func.count(Enrolment.id))
            .where(
                Enrolment.status == EnrolmentStatus.ACTIVE,
                Enrolment.course_id.in_([c.id for c in rows] or [-1]),
            )
            .group_by(Enrolment.course_id)
        ).all()
    )
    return render_template("courses/courses.html", courses=rows, counts=counts, pager=pager)


@bp.get("/percorsi/<int:course_id>")
@login_required
def course(course_id: int):
    c = course_or_404(course_id)
    u = acting_user()
    if not can_view_course(u, c):
        from courses.services.trainee_course import own_enrolment
        from courses.views.trainee import render_trainee_course

        # An enrolled trainee follows the course on their own page (never a draft's).
        mine = own_enrolment(u, c) if is_trainee(u) else None
        if mine is not None and can_view_trainee_course(u, mine):
            return render_trainee_course(mine)
        # Referents go to their company's report; others must not learn the course exists.
        require_visible(can_view_course_report(u, c))
        return redirect(url_for("courses.course_report", course_id=c.id))
    links = course_services.load_module_links(c)
    lessons = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id == c.id)
        .options(joinedload(Lesson.module), joinedload(Lesson.trainer))
        .order_by(Lesson.date, Lesson.start_time)
    ).all()
    trainers = db.session.scalars(
        select(User).where(User.id.in_(c.trainer_ids or {-1})).order_by(User.full_name)
    ).all()
    counts = dict(
        db.session.execute(
            select(Enrolment.status, func.count(Enrolment.id))
            .where(Enrolment.course_id == c.id)
            .group_by(Enrolment.status)
        ).all()
    )
    add_form = AddModuleForm()
    used = {link.module_id for link in links}
    add_form.module_id.choices = [
        (m.id, f"{m.code} · {m.title}")
        for m in db.session.scalars(
            select(Module).where(Module.retired_at.is_(None)).order_by(Module.code)
        )
        if m.id not in used
    ]
    status_form = StatusForm(status=c.status.value)
    planned = sum(s.length_minutes for s in lessons if not s.is_cancelled)
    return render_template(
        "courses/course.html",
        course=c,
        links=links,
        lessons=lessons,
        trainers=trainers,
        counts=counts,
        add_form=add_form,
        status_form=status_form,
        planned_minutes=planned,
        enrolment_status=EnrolmentStatus,
    )


def _course_form_save(c: Course | None):
    form = CourseForm()
    form.trainer_ids.choices = trainer_choices()
    if request.method == "GET" and c is not None:
        form.process(obj=c)
        form.trainer_ids.data = sorted(c.trainer_ids)
    status = 200
    if form.validate_on_submit():
        args = dict(
            title=form.title.data,
            edition=form.edition.data or "",
            description=form.description.data or "",
            start_date=form.start_date.data,
            end_date=form.end_date.data,
            capacity=form.capacity.data,
            assessment_threshold_pct=form.assessment_threshold_pct.data,
            certification_threshold_pct=form.certification_threshold_pct.data,
            trainer_ids=form.trainer_ids.data or [],
        )
        try:
            if c is None:
                c = course_services.create_course(acting_user(), **args)
            else:
                course_services.update_course(acting_user(), c, **args)
        except ValidationFailed as err:
            apply_field_errors(form, err)
            status = 422
        else:
            db.session.commit()
            flash(_("The course has been saved."), "success")
            return redirect(url_for("courses.course", course_id=c.id), 303)
    elif form.errors:
        status = 422
    return render_template("courses/course_form.html", form=form, course=c), status


@bp.route("/percorsi/nuovo", methods=["GET", "POST"])
@allowed_if(can_create_course)
def new_course():
    return _course_form_save(None)


@bp.route("/percorsi/<int:course_id>/modifica", methods=["GET", "POST"])
@allowed_if(can_create_course)
def edit_course(course_id: int):
    c = course_or_404(course_id, can_manage_course)
    if c.is_closed:
        flash(_("This course is closed: it can no longer be changed."), "warning")
        return redirect(url_for("courses.course", course_id=c.id), 303)
    return _course_form_save(c)


@bp.post("/percorsi/<int:course_id>/stato")
@allowed_if(can_create_course)
def course_status(course_id: int):
    c = course_or_404(course_id, can_manage_course)
    form = StatusForm()
    if form.validate_on_submit():
        course_services.set_status(acting_user(), c, CourseStatus(form.status.data))
        db.session.commit()
        flash(_("The course status is now: %(status)s.", status=c.status_label), "success")
    return redirect(url_for("courses.course", course_id=c.id), 303)


@bp.post("/percorsi/<int:course_id>/moduli")
@allowed_if(can_create_course)
def course_modules(course_id: int):
    c = course_or_404(course_id, can_manage_course)
    u = acting_user()
    action = request.form.get("action", "add")
    if action == "add":
        module = module_or_404(request.form.get("module_id", type=int) or -1, can_view_module)
        course_services.add_module(u, c, module)
    else:
        module_id = request.form.get("module_id", type=int) or -1
        ids = [link.module_id for link in course_services.load_module_links(c)]
        if action == "remove":
            course_services.set_modules(u, c, [i for i in ids if i != module_id])
        elif action in ("up", "down"):
            course_services.move_module(u, c, module_id, -1 if action == "up" else 1)
    db.session.commit()
    flash(_("The course modules have been updated."), "success")
    return redirect(url_for("courses.course", course_id=c.id, _anchor="moduli"), 303)
