"""Grades, the marks they come from, the rubric levels chosen, and the history."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.models.assessment import (
    POINTS,
    ROLE_LABELS,
    STATUS_LABELS,
    Assessment,
    GradeStatus,
    MarkerRole,
)
from assessments.models.rubric import RubricLevel
from lms.accounts.models import User
from lms.db import TimestampMixin, UTCDateTime, db, db_enum, utcnow


class Grade(TimestampMixin, db.Model):
    """One trainee's result in one assessment, through the grading workflow to release."""

    __tablename__ = "grades"
    __table_args__ = (
        UniqueConstraint("assessment_id", "trainee_id"),
        CheckConstraint(
            "status NOT IN ('graded', 'released') OR score IS NOT NULL", name="graded_has_score"
        ),
        CheckConstraint("status <> 'released' OR released_at IS NOT NULL", name="release_dated"),
        CheckConstraint("score IS NULL OR score >= 0", name="score_not_negative"),
        CheckConstraint(
            "agreed_at IS NULL OR length(agreed_reason) > 0", name="agreement_has_reason"
        ),
        Index("ix_grades_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    status: Mapped[GradeStatus] = mapped_column(
        db_enum(GradeStatus, "grade_status", 20), nullable=False
    )
    score: Mapped[Decimal | None] = mapped_column(POINTS)
    feedback: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # The quiz attempt that counts (the best one).
    attempt_id: Mapped[int | None] = mapped_column(ForeignKey("attempts.id", ondelete="SET NULL"))
    graded_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    released_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    released_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Double marking: the two marks differ by more than the tolerance.
    discrepancy: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    agreed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    agreed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    agreed_reason: Mapped[str | None] = mapped_column(String(1000))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    assessment: Mapped[Assessment] = relationship(lazy="raise")
    trainee: Mapped[User] = relationship(lazy="raise", foreign_keys=[trainee_id])
    marks: Mapped[list[Mark]] = relationship(
        back_populates="grade", lazy="raise", cascade="all, delete-orphan", order_by="Mark.role"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def status_label(self) -> str:
        return str(STATUS_LABELS[self.status])

    @property
    def released(self) -> bool:
        return self.status == GradeStatus.RELEASED


class Mark(TimestampMixin, db.Model):
    """One marker's grading of a grade: score, feedback, rubric levels, observation."""

    __tablename__ = "marks"
    __table_args__ = (
        UniqueConstraint("grade_id", "role"),
        UniqueConstraint("grade_id", "marker_id"),
        CheckConstraint("score IS NULL OR score >= 0", name="score_not_negative"),
        CheckConstraint("completed_at IS NULL OR score IS NOT NULL", name="completed_has_score"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(
        ForeignKey("grades.id", ondelete="CASCADE"), nullable=False
    )
    marker_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    role: Mapped[MarkerRole] = mapped_column(db_enum(MarkerRole, "marker_role", 10), nullable=False)
    score: Mapped[Decimal | None] = mapped_column(POINTS)
    feedback: Mapped[str] = mapped_column(Text, nullable=False, default="")
    # Practical tests and orals: when the observation took place, and the marker's note.
    observed_on: Mapped[dt.date | None] = mapped_column(Date)
    note: Mapped[str] = mapped_column(Text, nullable=False, default="")
    completed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    grade: Mapped[Grade] = relationship(back_populates="marks", lazy="raise")
    marker: Mapped[User] = relationship(lazy="raise")
    levels: Mapped[list[MarkLevel]] = relationship(
        back_populates="mark", lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def role_label(self) -> str:
        return str(ROLE_LABELS[self.role])

    @property
    def completed(self) -> bool:
        return self.completed_at is not None


class MarkLevel(db.Model):
    """The level a marker chose for one rubric criterion (points kept as given)."""

    __tablename__ = "mark_levels"

    mark_id: Mapped[int] = mapped_column(
        ForeignKey("marks.id", ondelete="CASCADE"), primary_key=True
    )
    criterion_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_criteria.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    level_id: Mapped[int] = mapped_column(
        ForeignKey("rubric_levels.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    points: Mapped[Decimal] = mapped_column(POINTS, nullable=False)
    comment: Mapped[str] = mapped_column(String(1000), nullable=False, default="")

    mark: Mapped[Mark] = relationship(back_populates="levels", lazy="raise")
    level: Mapped[RubricLevel] = relationship(lazy="raise")


class GradeHistory(db.Model):
    """Every change of a grade or a mark: who, when, before, after, why."""

    __tablename__ = "grade_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    grade_id: Mapped[int] = mapped_column(
        ForeignKey("grades.id", ondelete="CASCADE"), index=True, nullable=False
    )
    mark_id: Mapped[int | None] = mapped_column(ForeignKey("marks.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(40), nullable=False)
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    changed_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(String(1000))

    changed_by: Mapped[User | None] = relationship(lazy="raise")
