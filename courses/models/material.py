"""Course materials: files and links, per module or per lesson of a course, ordered."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import TimestampMixin, db, db_enum
from lms.files.models import StoredFile


class MaterialKind(enum.Enum):
    FILE = "file"
    LINK = "link"


MATERIAL_KIND_LABELS = {MaterialKind.FILE: _l("File"), MaterialKind.LINK: _l("Link")}


class Material(TimestampMixin, db.Model):
    """A file or a link given to a course's trainees, for one module or one lesson."""

    __tablename__ = "materials"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("(module_id IS NULL) <> (lesson_id IS NULL)", name="module_or_lesson"),
        CheckConstraint(
            "(kind = 'file' AND file_id IS NOT NULL AND url = '')"
            " OR (kind = 'link' AND file_id IS NULL AND url <> '')",
            name="file_or_link",
        ),
        CheckConstraint("position > 0", name="position_positive"),
        Index("ix_materials_course_position", "course_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("modules.id", ondelete="RESTRICT"), index=True
    )
    lesson_id: Mapped[int | None] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[MaterialKind] = mapped_column(
        db_enum(MaterialKind, "material_kind", 10), nullable=False
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    url: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    file_id: Mapped[int | None] = mapped_column(
        ForeignKey("stored_files.id", ondelete="RESTRICT"), index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False)
    created_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )

    file: Mapped[StoredFile | None] = relationship(lazy="raise")

    @property
    def kind_label(self) -> str:
        return str(MATERIAL_KIND_LABELS[self.kind])

    def __repr__(self) -> str:
        return f"<Material {self.id} {self.title}>"
