"""Course materials pages: the trainers' and coordinators' list with add, edit, move and
remove; the download of a material's file (404 outside the course's readers)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from courses import bp
from courses.forms import MaterialEditForm, MaterialForm
from courses.models import Lesson, Material
from courses.permissions import (
    can_edit_material,
    can_manage_materials,
    can_view_material,
)
from courses.services import materials as material_services
from courses.services.courses import load_module_links
from courses.views.common import course_or_404
from lms.db import db
from lms.errors import ValidationFailed
from lms.files.http import send_stored
from lms.files.models import StoredFile
from lms.security import login_required
from lms.web import acting_user, apply_field_errors, get_or_404, require_visible


def _targets(course) -> list[tuple[str, str]]:
    """The choices of the 'for' select: the course's modules, then its lessons."""
    out = [
        (
            f"module:{link.module_id}",
            _("Module %(code)s · %(title)s", code=link.module.code, title=link.module.title),
        )
        for link in load_module_links(course)
    ]
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.date, Lesson.start_time)
    )
    for s in lessons:
        out.append(
            (
                f"lesson:{s.id}",
                _(
                    "Lesson of %(d)s, %(t)s",
                    d=s.date.strftime("%d/%m/%Y"),
                    t=s.start_time.strftime("%H:%M"),
                ),
            )
        )
    return out


def _split_target(value: str) -> tuple[int | None, int | None]:
    kind, _sep, ident = (value or "").partition(":")
    try:
        number = int(ident)
    except ValueError:
        return None, None
    return (
        (number, None) if kind == "module" else (None, number) if kind == "lesson" else (None, None)
    )


def _material_or_404(material_id: int, visible=can_view_material) -> Material:
    return get_or_404(Material, material_id, visible=visible)


@bp.route("/percorsi/<int:course_id>/materiali", methods=["GET", "POST"])
@login_required
def materials(course_id: int):
    course = course_or_404(course_id, can_manage_materials)
    u = acting_user()
    form = MaterialForm()
    form.target.choices = _targets(course)
    status = 200
    if form.validate_on_submit():
        module_id, lesson_id = _split_target(form.target.data)
        upload = request.files.get("file")
        data = upload.read() if upload and upload.filename else b""
        try:
            material_services.add_material(
                u,
                course,
                title=form.title.data,
                note=form.note.data or "",
                module_id=module_id,
                lesson_id=lesson_id,
                url=form.url.data if not data else None,
                upload=material_services.MaterialUpload(upload.filename, data) if data else None,
            )
        except ValidationFailed as err:
            apply_field_errors(form, err, aliases={"module_id": "target", "lesson_id": "target"})
            status = 422
        else:
            db.session.commit()
            flash(_("The material has been added."), "success")
            return redirect(url_for("courses.materials", course_id=course.id), 303)
    elif form.errors:
        status = 422
    items = material_services.materials_of(u, course)
    labels = dict(form.target.choices)
    return render_template(
        "courses/materials.html",
        course=course,
        form=form,
        items=items,
        target_label=lambda m: labels.get(
            f"module:{m.module_id}" if m.module_id else f"lesson:{m.lesson_id}", ""
        ),
    ), status


@bp.route("/materiali/<int:material_id>/modifica", methods=["GET", "POST"])
@login_required
def edit_material(material_id: int):
    m = _material_or_404(material_id)
    course = course_or_404(m.course_id, can_manage_materials)
    form = MaterialEditForm(obj=m if request.method == "GET" else None)
    status = 200
    if form.validate_on_submit():
        try:
            material_services.update_material(
                acting_user(),
                m,
                title=form.title.data,
                note=form.note.data or "",
                url=form.url.data,
            )
        except ValidationFailed as err:
            apply_field_errors(form, err)
            status = 422
        else:
            db.session.commit()
            flash(_("The material has been saved."), "success")
            return redirect(url_for("courses.materials", course_id=course.id), 303)
    elif form.errors:
        status = 422
    return render_template(
        "courses/material_form.html", course=course, material=m, form=form
    ), status


@bp.post("/materiali/<int:material_id>/sposta")
@login_required
def move_material(material_id: int):
    m = _material_or_404(material_id, can_edit_material)
    offset = -1 if request.form.get("direction") == "up" else 1
    material_services.move_material(acting_user(), m, offset)
    db.session.commit()
    return redirect(
        url_for("courses.materials", course_id=m.course_id, _anchor=f"materiale-{m.id}"), 303
    )


@bp.post("/materiali/<int:material_id>/elimina")
@login_required
def remove_material(material_id: int):
    m = _material_or_404(material_id, can_edit_material)
    course_id = m.course_id
    material_services.remove_material(acting_user(), m)
    db.session.commit()
    flash(_("The material has been removed."), "success")
    return redirect(url_for("courses.materials", course_id=course_id), 303)


@bp.get("/materiali/<int:material_id>/file")
@login_required
def material_file(material_id: int):
    m = _material_or_404(material_id)
    stored = db.session.get(StoredFile, m.file_id) if m.file_id else None
    require_visible(stored is not None)  # a link has no file
    return send_stored(stored)
