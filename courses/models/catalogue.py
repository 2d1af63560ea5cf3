"""The catalogue: topic areas, modules and the framework items they work towards."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import TimestampMixin, UTCDateTime, db, db_enum, on_violation
from lms.errors import ValidationFailed


class TopicArea(enum.Enum):
    REGULATORY = "regulatory"
    COMMUNICATION = "communication"
    RELATIONAL = "relational"
    COACHING = "coaching"
    AWARENESS = "awareness"
    OTHER = "other"


TOPIC_LABELS = {
    TopicArea.REGULATORY: _l("Regulatory"),
    TopicArea.COMMUNICATION: _l("Communication"),
    TopicArea.RELATIONAL: _l("Relational"),
    TopicArea.COACHING: _l("Coaching"),
    TopicArea.AWARENESS: _l("Experiential awareness"),
    TopicArea.OTHER: _l("Other"),
}

module_framework_items = Table(
    "module_framework_items",
    db.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "framework_item_id",
        ForeignKey("framework_items.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


class Module(TimestampMixin, db.Model):
    """A unit of the catalogue: what is taught, in how many hours, towards which items."""

    __tablename__ = "modules"
    __table_args__ = (
        CheckConstraint("length(code) > 0", name="code_not_empty"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("planned_minutes > 0", name="planned_minutes_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(30), unique=True, nullable=False)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    topic_area: Mapped[TopicArea] = mapped_column(
        db_enum(TopicArea, "topic_area", 20), nullable=False
    )
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    objectives: Mapped[str] = mapped_column(Text, nullable=False, default="")
    planned_minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    retired_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    framework_items = relationship(
        "FrameworkItem",
        secondary=module_framework_items,
        lazy="raise",
        order_by="FrameworkItem.code",
    )

    @property
    def topic_label(self) -> str:
        return str(TOPIC_LABELS[self.topic_area])

    @property
    def is_retired(self) -> bool:
        return self.retired_at is not None

    def __repr__(self) -> str:
        return f"<Module {self.id} {self.code}>"


def _module_code_taken() -> ValidationFailed:
    return ValidationFailed(fields={"code": [_("Another module already has this code.")]})


on_violation("uq_modules_code", _module_code_taken)
