"""Partner organisations (companies whose staff are trained)."""

from __future__ import annotations

import enum

from sqlalchemy import Boolean, CheckConstraint, String
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import TimestampMixin, db, db_enum


class SizeBand(enum.Enum):
    MICRO = "micro"  # fewer than 10 staff
    SMALL = "small"  # 10-49
    MEDIUM = "medium"  # 50-249
    LARGE = "large"  # 250 and more


class Organisation(TimestampMixin, db.Model):
    __tablename__ = "organisations"
    __table_args__ = (CheckConstraint("length(name) > 0", name="name_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True, nullable=False)
    tax_code: Mapped[str] = mapped_column(String(16), unique=True, nullable=False)
    sector: Mapped[str] = mapped_column(String(120), nullable=False, default="")
    size_band: Mapped[SizeBand] = mapped_column(
        db_enum(SizeBand, "size_band", 10),
        nullable=False,
    )
    active: Mapped[bool] = mapped_column(Boolean, default=True, nullable=False)

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name}>"
