"""Quiz questions, their choices, and trainees' attempts with their answers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.models.assessment import POINTS, QUESTION_LABELS, Assessment, question_items
from assessments.scoring import PartialCredit, QuestionType
from lms.accounts.models import User
from lms.db import UTCDateTime, db, db_enum, utcnow


class Question(db.Model):
    """A quiz question, tied to framework items, with its points."""

    __tablename__ = "questions"
    __table_args__ = (
        CheckConstraint("length(prompt) > 0", name="prompt_not_empty"),
        CheckConstraint("points > 0", name="points_positive"),
        CheckConstraint(
            "kind <> 'numeric' OR (expected_number IS NOT NULL AND tolerance >= 0)",
            name="numeric_has_expected",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    kind: Mapped[QuestionType] = mapped_column(
        db_enum(QuestionType, "question_kind", 20), nullable=False
    )
    prompt: Mapped[str] = mapped_column(Text, nullable=False)
    points: Mapped[Decimal] = mapped_column(POINTS, nullable=False)
    partial_credit: Mapped[PartialCredit] = mapped_column(
        db_enum(PartialCredit, "partial_credit", 30),
        nullable=False,
        default=PartialCredit.ALL_OR_NOTHING,
    )
    # Short answers: the accepted answers, one per line.
    accepted_answers: Mapped[str] = mapped_column(Text, nullable=False, default="")
    expected_number: Mapped[Decimal | None] = mapped_column(Numeric(14, 4))
    tolerance: Mapped[Decimal] = mapped_column(Numeric(14, 4), nullable=False, default=Decimal(0))
    # Shown to the trainee after release when the assessment allows it.
    feedback: Mapped[str] = mapped_column(Text, nullable=False, default="")

    assessment: Mapped[Assessment] = relationship(back_populates="questions", lazy="raise")
    choices: Mapped[list[Choice]] = relationship(
        back_populates="question",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Choice.position",
    )
    framework_items = relationship(
        "FrameworkItem", secondary=question_items, lazy="raise", order_by="FrameworkItem.code"
    )

    @property
    def kind_label(self) -> str:
        return str(QUESTION_LABELS[self.kind])

    @property
    def accepted_list(self) -> list[str]:
        return [a.strip() for a in self.accepted_answers.splitlines() if a.strip()]

    @property
    def has_choices(self) -> bool:
        return self.kind in (QuestionType.SINGLE, QuestionType.MULTIPLE, QuestionType.TRUE_FALSE)


class Choice(db.Model):
    __tablename__ = "question_choices"
    __table_args__ = (CheckConstraint("length(text) > 0", name="text_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), index=True, nullable=False
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)
    text: Mapped[str] = mapped_column(String(1000), nullable=False)
    correct: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)

    question: Mapped[Question] = relationship(back_populates="choices", lazy="raise")


class Attempt(db.Model):
    """One trainee's attempt at a quiz, kept on the server as they go."""

    __tablename__ = "attempts"
    __table_args__ = (
        UniqueConstraint("assessment_id", "trainee_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
        CheckConstraint("deadline IS NULL OR deadline > started_at", name="deadline_after_start"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)
    started_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)
    # The time limit's end (or the closing time, whichever comes first).
    deadline: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    auto_closed: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Question ids in the order this attempt shows them (shuffled once, at the start).
    question_order: Mapped[list] = mapped_column(JSON, nullable=False)
    score: Mapped[Decimal | None] = mapped_column(POINTS)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    assessment: Mapped[Assessment] = relationship(lazy="raise")
    trainee: Mapped[User] = relationship(lazy="raise")
    answers: Mapped[list[AttemptAnswer]] = relationship(
        back_populates="attempt", lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def finished(self) -> bool:
        return self.submitted_at is not None


class AttemptAnswer(db.Model):
    """The answer to one question of an attempt, saved as soon as it is given."""

    __tablename__ = "attempt_answers"

    attempt_id: Mapped[int] = mapped_column(
        ForeignKey("attempts.id", ondelete="CASCADE"), primary_key=True
    )
    question_id: Mapped[int] = mapped_column(
        ForeignKey("questions.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    selected: Mapped[list] = mapped_column(JSON, nullable=False, default=list)
    text: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    score: Mapped[Decimal | None] = mapped_column(POINTS)
    saved_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False, default=utcnow)

    attempt: Mapped[Attempt] = relationship(back_populates="answers", lazy="raise")
