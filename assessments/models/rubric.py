"""Rubrics (templates and assessments' copies), criteria and levels."""

from __future__ import annotations

from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.models.assessment import POINTS, Assessment, criterion_items
from lms.db import TimestampMixin, db


class Rubric(TimestampMixin, db.Model):
    """A rubric: a reusable template (no assessment) or an assessment's own copy."""

    __tablename__ = "rubrics"
    __table_args__ = (CheckConstraint("length(title) > 0", name="title_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    assessment_id: Mapped[int | None] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), unique=True
    )
    # The template an assessment's rubric was copied from.
    source_id: Mapped[int | None] = mapped_column(ForeignKey("rubrics.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    assessment: Mapped[Assessment | None] = relationship(back_populates="rubric", lazy="raise")
    criteria: Mapped[list[RubricCriterion]] = relationship(
        back_populates="rubric",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="RubricCriterion.position",
    )

    @property
    def is_template(self) -> bool:
        return self.assessment_id is None


class RubricCriterion(db.Model):
    __tablename__ = "rubric_criteria"
    __table_args__ = (CheckConstraint("length(title) > 0", name="title_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rubric_id: Mapped[int] = mapped_column(
        ForeignKey("rubrics.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")

    rubric: Mapped[Rubric] = relationship(back_populates="criteria", lazy="raise")
    levels: Mapped[list[RubricLevel]] = relationship(
        back_populates="criterion",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="RubricLevel.points",
    )
    framework_items = relationship(
        "FrameworkItem", secondary=criterion_items, lazy="raise", order_by="FrameworkItem.code"
    )

    @property
    def max_points(self) -> Decimal:
        return max((lv.points for lv in self.levels), default=Decimal(0))


class RubricLevel(db.Model):
    __tablename__ = "rubric_levels"
    __table_args__ = (
        CheckConstraint("points >= 0", name="points_not_negative"),
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        UniqueConstraint("criterion_id", "points"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="CASCADE"), nullable=False
    )
    title: Mapped[str] = mapped_column(String(100), nullable=False)
    descriptor: Mapped[str] = mapped_column(Text, nullable=False, default="")
    points: Mapped[Decimal] = mapped_column(POINTS, nullable=False)

    criterion: Mapped[RubricCriterion] = relationship(back_populates="levels", lazy="raise")
