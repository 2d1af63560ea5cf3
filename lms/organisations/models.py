"""Partner organisations (companies whose staff are trained)."""

from __future__ import annotations

import enum

from flask_babel import gettext as _
from sqlalchemy import Boolean, CheckConstraint, Index, String, func
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import TimestampMixin, db, db_enum, on_violation
from lms.errors import ValidationFailed


class SizeBand(enum.Enum):
    MICRO = "micro"  # fewer than 10 staff
    SMALL = "small"  # 10-49
    MEDIUM = "medium"  # 50-249
    LARGE = "large"  # 250 and more


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), nullable=False)
    tax_code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    sector: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    size_band: Mapped[SizeBand] = mapped_column(
        db_enum(SizeBand, "size_band", 10),
        nullable=False,
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"


# Names are unique whatever their case: the service checks first for the friendly message,
# the index settles a race between two requests.
Index("uq_organisations_name_ci", func.lower(Organisation.name), unique=True)

on_violation(
    "uq_organisations_name_ci",
    lambda: ValidationFailed(fields={"name": [_("Another organisation already has this name.")]}),
)
on_violation(
    "uq_organisations_tax_code",
    lambda: ValidationFailed(
        fields={"tax_code": [_("Another organisation already has this tax code.")]}
    ),
)
