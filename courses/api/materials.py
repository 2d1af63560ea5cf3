"""Course materials through the API: list, add (multipart), change or move, remove, download;
and the reset of the personal calendar feed's secret address."""

from __future__ import annotations

from flask import request, url_for
from marshmallow import fields
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courses.models import Material
from courses.permissions import (
    can_edit_material,
    can_have_calendar,
    can_manage_materials,
    can_view_material,
    can_view_materials,
)
from courses.schemas import (
    CalendarFeedSchema,
    MaterialFormSchema,
    MaterialPatchSchema,
    MaterialSchema,
)
from courses.services import materials as material_services
from courses.views.common import course_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint, load
from lms.db import db
from lms.files.http import send_stored
from lms.files.models import StoredFile
from lms.security import allowed_if, login_required
from lms.web import acting_user, get_or_404, require_visible

MULTIPART = {
    "title": "The material's title",
    "note": "A note for the trainees (optional)",
    "module_id": "The module of the course it belongs to (or lesson_id)",
    "lesson_id": "The lesson of the course it belongs to (or module_id)",
    "url": "A link: an http or https address (or a file)",
    "file": "A file: PDF, ODT, DOCX, JPEG or PNG (or a url)",
}


class LinkedMaterialSchema(MaterialSchema):
    """A material with the address of its file's download (built here: schemas stay pure)."""

    download_url = fields.Function(
        lambda m: url_for("api.api_material_file", material_id=m.id) if m.file_id else None
    )


@api.get("/courses/<int:course_id>/materials")
@login_required
@endpoint(response=LinkedMaterialSchema, paginated=True, summary="A course's materials, in order")
def api_materials(course_id: int):
    course = course_or_404(course_id, can_view_materials)
    return material_services.materials_of(acting_user(), course)


@api.post("/courses/<int:course_id>/materials")
@login_required
@endpoint(
    response=LinkedMaterialSchema,
    status=201,
    multipart=MULTIPART,
    summary="Add a file or a link to a module or a lesson (multipart/form-data)",
)
def api_add_material(course_id: int):
    course = course_or_404(course_id, can_manage_materials)  # before reading the form
    form = {k: v for k, v in request.form.items() if v != ""}
    data = load(MaterialFormSchema(), form)
    upload = request.files.get("file")
    raw = upload.read() if upload and (upload.filename or "").strip() else b""
    m = material_services.add_material(
        acting_user(),
        course,
        title=data["title"],
        note=data["note"],
        module_id=data["module_id"],
        lesson_id=data["lesson_id"],
        url=data["url"],
        upload=material_services.MaterialUpload(upload.filename, raw) if raw else None,
    )
    db.session.commit()
    return _reload(m.id)


def _reload(material_id: int) -> Material:
    return db.session.scalar(
        select(Material).where(Material.id == material_id).options(joinedload(Material.file))
    )


@api.patch("/materials/<int:material_id>")
@login_required
@endpoint(body=MaterialPatchSchema, response=LinkedMaterialSchema, summary="Change or move")
def api_update_material(material_id: int, data):
    m = get_or_404(Material, material_id, visible=can_edit_material)
    u = acting_user()
    body = dict(data)
    if "move" in body:
        material_services.move_material(u, m, -1 if body["move"] == "up" else 1)
    if "move" not in body or {"title", "note", "url"} & body.keys():
        # an empty body still goes through the service (and its permission check)
        material_services.update_material(
            u,
            m,
            title=body.get("title", m.title),
            note=body.get("note", m.note),
            url=body.get("url"),
        )
    db.session.commit()
    return _reload(m.id)


@api.delete("/materials/<int:material_id>")
@login_required
@endpoint(status=204, summary="Remove a material")
def api_remove_material(material_id: int):
    m = get_or_404(Material, material_id, visible=can_edit_material)
    material_services.remove_material(acting_user(), m)
    db.session.commit()
    return "", 204


@api.get("/materials/<int:material_id>/file")
@login_required
@endpoint(binary="*/*", summary="A material's file, as an attachment (PDF, ODT, DOCX, JPEG or PNG)")
def api_material_file(material_id: int):
    m = get_or_404(Material, material_id, visible=can_view_material)
    require_visible(m.file_id is not None)
    return send_stored(db.session.get(StoredFile, m.file_id))


@api.post("/me/calendar-feed")
@allowed_if(can_have_calendar)
@endpoint(response=CalendarFeedSchema, status=201, summary="A new secret calendar address")
def api_reset_calendar_feed():
    from courses.services import calendar as calendar_services

    u = acting_user()
    token = calendar_services.reset_feed(u)
    db.session.commit()
    feed = calendar_services.has_feed(u)
    url = url_for("courses.calendar_feed", token=token, _external=True)
    return {"url": url, "created_at": feed.created_at}
