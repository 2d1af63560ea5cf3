"""Course materials: files (through lms.files) and http(s) links, per module or per lesson,
ordered; added, changed, moved and removed by the course's trainers and coordinators."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courses.models import Course, CourseModule, Lesson, Material, MaterialKind
from courses.permissions import (
    can_edit_material,
    can_manage_materials,
    can_view_material,
    can_view_materials,
)
from lms.accounts.models import User
from lms.audit.services import changed, record, snapshot
from lms.db import db, next_position
from lms.files.models import StoredFile
from lms.files.services import discard_stored, store_upload
from lms.files.sniff import DOCUMENT_KINDS
from lms.permissions import require, require_actor
from lms.validation import invalid, optional_text, required_text

FIELDS = ["kind", "title", "note", "url", "module_id", "lesson_id", "file_id", "position"]
URL_MAX = 500


@dataclass(frozen=True)
class MaterialUpload:
    filename: str
    data: bytes


def clean_url(value: str | None) -> str:
    """An absolute http or https address (no other scheme: no javascript:, file:, data:)."""
    url = (value or "").strip()
    if not url:
        raise invalid("url", _("This field is required."))
    if len(url) > URL_MAX:
        raise invalid("url", _("At most %(n)d characters.", n=URL_MAX))
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or " " in url:
        raise invalid("url", _("Enter a web address starting with http:// or https://."))
    return url


def _target(course: Course, module_id: int | None, lesson_id: int | None) -> tuple:
    """Check that the material hangs on exactly one module of the course or one lesson of it."""
    if (module_id is None) == (lesson_id is None):
        raise invalid("module_id", _("Choose a module or a lesson of this course."))
    if module_id is not None:
        ok = db.session.scalar(
            select(CourseModule.module_id).where(
                CourseModule.course_id == course.id, CourseModule.module_id == module_id
            )
        )
        if ok is None:
            raise invalid("module_id", _("Choose a module of this course."))
    else:
        ok = db.session.scalar(
            select(Lesson.id).where(Lesson.course_id == course.id, Lesson.id == lesson_id)
        )
        if ok is None:
            raise invalid("lesson_id", _("Choose a lesson of this course."))
    return module_id, lesson_id


def add_material(
    actor: User,
    course: Course,
    *,
    title: str,
    note: str = "",
    module_id: int | None = None,
    lesson_id: int | None = None,
    url: str | None = None,
    upload: MaterialUpload | None = None,
) -> Material:
    """Add a file or a link (exactly one) at the end of the course's materials."""
    require_actor(actor)
    require(can_manage_materials(actor, course), private=not can_view_materials(actor, course))
    title = required_text(title, "title", 200)
    note = optional_text(note, "note", 2000)
    module_id, lesson_id = _target(course, module_id, lesson_id)
    if (upload is None) == (not (url or "").strip()):
        raise invalid("file", _("Give either a file or a web address, not both."))
    m = Material(
        course_id=course.id,
        module_id=module_id,
        lesson_id=lesson_id,
        title=title,
        note=note,
        created_by_id=actor.id,
        position=next_position(Material.position, Material.course_id == course.id),
    )
    if upload is not None:
        stored = store_upload(actor, upload.filename, upload.data, DOCUMENT_KINDS)
        m.kind, m.file_id, m.url = MaterialKind.FILE, stored.id, ""
    else:
        m.kind, m.url = MaterialKind.LINK, clean_url(url)
    db.session.add(m)
    db.session.flush()
    record(actor, "material.create", "material", m.id, None, snapshot(m, FIELDS))
    return m


def update_material(
    actor: User, material: Material, *, title: str, note: str = "", url: str | None = None
) -> Material:
    """Change a material's title and note (and a link's address)."""
    require_actor(actor)
    require(can_edit_material(actor, material), private=not can_view_material(actor, material))
    before = snapshot(material, FIELDS)
    material.title = required_text(title, "title", 200)
    material.note = optional_text(note, "note", 2000)
    if material.kind == MaterialKind.LINK and url is not None:
        material.url = clean_url(url)
    db.session.flush()
    b, a = changed(before, snapshot(material, FIELDS))
    if a:
        record(actor, "material.update", "material", material.id, b, a)
    return material


def remove_material(actor: User, material: Material) -> None:
    """Remove a material (and its stored file, once the transaction commits)."""
    require_actor(actor)
    require(can_edit_material(actor, material), private=not can_view_material(actor, material))
    before = snapshot(material, FIELDS)
    stored = db.session.get(StoredFile, material.file_id) if material.file_id else None
    material_id = material.id
    db.session.delete(material)
    db.session.flush()
    if stored is not None:
        discard_stored(stored)
    record(actor, "material.delete", "material", material_id, before, None)


def _siblings(material: Material) -> list[Material]:
    q = select(Material).where(Material.course_id == material.course_id)
    if material.module_id is not None:
        q = q.where(Material.module_id == material.module_id)
    else:
        q = q.where(Material.lesson_id == material.lesson_id)
    return list(db.session.scalars(q.order_by(Material.position, Material.id)))


def move_material(actor: User, material: Material, offset: int) -> None:
    """Move a material up (-1) or down (+1) among those of its module or lesson."""
    require_actor(actor)
    require(can_edit_material(actor, material), private=not can_view_material(actor, material))
    rows = _siblings(material)
    i = next(k for k, m in enumerate(rows) if m.id == material.id)
    j = i + (1 if offset > 0 else -1)
    if not 0 <= j < len(rows):
        return
    other = rows[j]
    before = snapshot(material, ["position"])
    material.position, other.position = other.position, material.position
    db.session.flush()
    record(
        actor, "material.move", "material", material.id, before, snapshot(material, ["position"])
    )


def materials_of(actor: User, course: Course, enrolment=None) -> list[Material]:
    """The course's materials in order, with their files (one query); enrolment: the actor's
    own enrolment in the course, when the caller holds it (can_view_materials)."""
    require_actor(actor)
    require(can_view_materials(actor, course, enrolment), private=True)
    return list(
        db.session.scalars(
            select(Material)
            .where(Material.course_id == course.id)
            .options(joinedload(Material.file))
            .order_by(Material.position, Material.id)
        )
    )
