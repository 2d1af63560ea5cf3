"""The printable register of a lesson: made on demand while the register is open; once it is
signed (locked), made once per register version, stored (lms/files) and served from storage
afterwards. Reopening and signing again makes a new version, hence a new PDF."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from courses.models import Course, Lesson, RegisterPdf
from courses.permissions import can_export_register
from courses.services.registers import get_register
from lms.db import db
from lms.files.models import StoredFile
from lms.files.services import read_bytes, store_generated
from lms.permissions import require, require_actor


def register_pdf_file_name(lesson: Lesson) -> str:
    return f"registro-presenze-{lesson.date.isoformat()}-{lesson.id}.pdf"


def stored_register_pdf(lesson: Lesson) -> StoredFile | None:
    """The stored PDF of the register's current version, when it is signed and was made."""
    reg = get_register(lesson)
    if not reg.is_signed:
        return None
    return db.session.scalar(
        select(StoredFile)
        .join(RegisterPdf, RegisterPdf.stored_file_id == StoredFile.id)
        .where(RegisterPdf.lesson_id == lesson.id, RegisterPdf.register_version == reg.version_id)
    )


def register_document(actor, lesson: Lesson, course: Course) -> bytes:
    """The register's PDF for someone who may export it (404 for others). A signed register's
    PDF is rendered at its first download and kept; later downloads read it back."""
    require_actor(actor)
    require(can_export_register(actor, lesson), private=True)
    from courses.exports import register_pdf

    reg = get_register(lesson)
    if not reg.is_signed:
        return register_pdf(lesson, course)
    stored = stored_register_pdf(lesson)
    if stored is not None:
        return read_bytes(stored)
    data = register_pdf(lesson, course)
    version = reg.version_id
    try:
        with db.session.begin_nested():
            stored = store_generated(actor, register_pdf_file_name(lesson), data)
            db.session.add(
                RegisterPdf(lesson_id=lesson.id, register_version=version, stored_file_id=stored.id)
            )
    except IntegrityError:
        pass  # made at the same moment by another download: that one is kept
    return data
