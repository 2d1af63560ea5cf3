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
    can_edit_course,
    can_manage_course,
    can_take_register,
    can_view_course,
    can_view_course_report,
    is_staff,
)
from courses.services import courses as course_services
from courses.views.common import apply_field_errors, course_or_404, require, user
from lms.accounts.models import Role, User, UserRole
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import login_required, roles_required

STAFF = (Role.ADMIN, Role.COORDINATOR)


def trainer_choices():
    return [
        (u.id, u.full_name)
        for u in db.session.scalars(
            select(User)
            .join(UserRole)
            .where(UserRole.role == Role.TRAINER, User.active.is_(True))
            .order_by(User.full_name)
        )
    ]


@bp.get("/percorsi")
@login_required
def courses():
    u = user()
    if not (is_staff(u) or u.has_role(Role.TRAINER, Role.REFERENT)):
        return redirect(url_for("courses.my_courses"))
    rows = db.session.scalars(course_services.list_courses_for(u)).all()
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
    return render_template(
        "courses/courses.html", courses=rows, counts=counts, can_create=is_staff(u)
    )


@bp.get("/percorsi/<int:course_id>")
@login_required
def course(course_id: int):
    c = course_or_404(course_id)
    u = user()
    if not can_view_course(u, c):
        # Referents go to their company's report; others must not learn the course exists.
        from courses.services.courses import has_employees_of

        if u.has_role(Role.REFERENT) and has_employees_of(c, u.organisation_id):
            return redirect(url_for("courses.course_report", course_id=c.id))
        require(False)
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
        can_edit=can_edit_course(u, c),
        can_manage=can_manage_course(u, c),
        can_report=can_view_course_report(u, c),
        can_register={s.id for s in lessons if can_take_register(u, s, c)},
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
                c = course_services.create_course(user(), **args)
            else:
                course_services.update_course(user(), c, **args)
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
@roles_required(*STAFF)
def new_course():
    return _course_form_save(None)


@bp.route("/percorsi/<int:course_id>/modifica", methods=["GET", "POST"])
@roles_required(*STAFF)
def edit_course(course_id: int):
    c = course_or_404(course_id)
    if c.is_closed:
        flash(_("This course is closed: it can no longer be changed."), "warning")
        return redirect(url_for("courses.course", course_id=c.id), 303)
    return _course_form_save(c)


@bp.post("/percorsi/<int:course_id>/stato")
@roles_required(*STAFF)
def course_status(course_id: int):
    c = course_or_404(course_id)
    form = StatusForm()
    if form.validate_on_submit():
        course_services.set_status(user(), c, CourseStatus(form.status.data))
        db.session.commit()
        flash(_("The course status is now: %(status)s.", status=c.status_label), "success")
    return redirect(url_for("courses.course", course_id=c.id), 303)


@bp.post("/percorsi/<int:course_id>/moduli")
@roles_required(*STAFF)
def course_modules(course_id: int):
    c = course_or_404(course_id)
    action = request.form.get("action", "add")
    if action == "add":
        module = db.get_or_404(Module, request.form.get("module_id", type=int) or -1)
        course_services.add_module(user(), c, module)
    else:
        module_id = request.form.get("module_id", type=int) or -1
        ids = [link.module_id for link in course_services.load_module_links(c)]
        if action == "remove":
            course_services.set_modules(user(), c, [i for i in ids if i != module_id])
        elif action in ("up", "down"):
            course_services.move_module(user(), c, module_id, -1 if action == "up" else 1)
    db.session.commit()
    flash(_("The course modules have been updated."), "success")
    return redirect(url_for("courses.course", course_id=c.id, _anchor="moduli"), 303)
