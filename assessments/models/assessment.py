"""Assessments, their enums and labels, and the links to framework items."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal
from typing import TYPE_CHECKING

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.scoring import PartialCredit, QuestionType
from courses.models import Course, Module
from lms.db import TimestampMixin, UTCDateTime, db, db_enum, utcnow

if TYPE_CHECKING:  # the relationships below resolve these by name at mapping time
    from assessments.models.quiz import Question
    from assessments.models.rubric import Rubric

POINTS = Numeric(7, 2)


class AssessmentKind(enum.Enum):
    QUIZ = "quiz"
    ASSIGNMENT = "assignment"
    PRACTICAL = "practical"  # observed practical test
    ORAL = "oral"  # oral interview

    @property
    def observed(self) -> bool:
        """Practical tests and orals have no submission: the marker records an observation."""
        return self in (AssessmentKind.PRACTICAL, AssessmentKind.ORAL)


class LatePolicy(enum.Enum):
    REFUSE = "refuse"  # nothing is accepted after the closing time
    ACCEPT = "accept"  # accepted until late_until, and flagged as late


class GradeStatus(enum.Enum):
    NOT_SUBMITTED = "not_submitted"
    SUBMITTED = "submitted"
    IN_GRADING = "in_grading"
    GRADED = "graded"  # a draft: the trainee does not see it yet
    RELEASED = "released"


class MarkerRole(enum.Enum):
    FIRST = "first"
    SECOND = "second"


KIND_LABELS = {
    AssessmentKind.QUIZ: _l("Quiz"),
    AssessmentKind.ASSIGNMENT: _l("Assignment"),
    AssessmentKind.PRACTICAL: _l("Observed practical test"),
    AssessmentKind.ORAL: _l("Oral interview"),
}
LATE_LABELS = {
    LatePolicy.REFUSE: _l("Not accepted after the closing time"),
    LatePolicy.ACCEPT: _l("Accepted until the late deadline, and flagged as late"),
}
STATUS_LABELS = {
    GradeStatus.NOT_SUBMITTED: _l("Not submitted"),
    GradeStatus.SUBMITTED: _l("Submitted"),
    GradeStatus.IN_GRADING: _l("Being graded"),
    GradeStatus.GRADED: _l("Graded (draft)"),
    GradeStatus.RELEASED: _l("Released"),
}
QUESTION_LABELS = {
    QuestionType.SINGLE: _l("Single choice"),
    QuestionType.MULTIPLE: _l("Multiple choice"),
    QuestionType.TRUE_FALSE: _l("True or false"),
    QuestionType.SHORT_TEXT: _l("Short answer (exact match)"),
    QuestionType.NUMERIC: _l("Numeric answer (with tolerance)"),
}
PARTIAL_LABELS = {
    PartialCredit.ALL_OR_NOTHING: _l("All or nothing: every right choice and no wrong one"),
    PartialCredit.RIGHT_MINUS_WRONG: _l(
        "Partial credit: (right choices ticked - wrong choices ticked) / right choices, "
        "never below zero"
    ),
}
ROLE_LABELS = {MarkerRole.FIRST: _l("First marker"), MarkerRole.SECOND: _l("Second marker")}


def _items_table(name: str, owner: str, owner_table: str) -> Table:
    return Table(
        name,
        db.metadata,
        Column(owner, ForeignKey(f"{owner_table}.id", ondelete="CASCADE"), primary_key=True),
        Column(
            "framework_item_id",
            ForeignKey("framework_items.id", ondelete="RESTRICT"),
            primary_key=True,
            index=True,
        ),
    )


assessment_items = _items_table("assessment_framework_items", "assessment_id", "assessments")
question_items = _items_table("question_framework_items", "question_id", "questions")
criterion_items = _items_table(
    "rubric_criterion_framework_items", "criterion_id", "rubric_criteria"
)


class Assessment(TimestampMixin, db.Model):
    """A test of a course: quiz, assignment, observed practical test or oral interview."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("closes_at > opens_at", name="times_ordered"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= max_points", name="pass_mark_range"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint(
            "attempts_allowed IS NULL OR attempts_allowed > 0", name="attempts_positive"
        ),
        CheckConstraint(
            "time_limit_minutes IS NULL OR time_limit_minutes > 0", name="time_limit_positive"
        ),
        CheckConstraint(
            "late_policy <> 'accept' OR (late_until IS NOT NULL AND late_until >= closes_at)",
            name="late_until_needed",
        ),
        CheckConstraint("marking_tolerance >= 0", name="tolerance_not_negative"),
        CheckConstraint("NOT (double_marking AND kind = 'quiz')", name="quiz_single_marked"),
        Index("ix_assessments_course_closes", "course_id", "closes_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    module_id: Mapped[int | None] = mapped_column(
        ForeignKey("modules.id", ondelete="SET NULL"), index=True
    )
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    instructions: Mapped[str] = mapped_column(Text, nullable=False, default="")
    kind: Mapped[AssessmentKind] = mapped_column(
        db_enum(AssessmentKind, "assessment_kind", 20), nullable=False
    )
    opens_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    closes_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    max_points: Mapped[Decimal] = mapped_column(POINTS, nullable=False)
    pass_mark: Mapped[Decimal] = mapped_column(POINTS, nullable=False)
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2), nullable=False, default=Decimal(1))
    attempts_allowed: Mapped[int | None] = mapped_column(Integer)  # None: no limit
    late_policy: Mapped[LatePolicy] = mapped_column(
        db_enum(LatePolicy, "late_policy", 20), nullable=False, default=LatePolicy.REFUSE
    )
    late_until: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    # Final assessment: open only to trainees whose attendance meets the course threshold.
    is_final: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    published: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Quizzes
    time_limit_minutes: Mapped[int | None] = mapped_column(Integer)
    shuffle_questions: Mapped[bool] = mapped_column(Boolean, nullable=False, default=True)
    # Whether the trainee sees the right answers and feedback of a released quiz.
    show_answers: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    # Release a quiz's grade as soon as an attempt is graded (every question is scored
    # automatically), without waiting for a trainer.
    release_when_graded: Mapped[bool] = mapped_column(
        Boolean, nullable=False, default=False, server_default="false"
    )
    # Double marking: a second marker grades blind; a gap above the tolerance is flagged.
    double_marking: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    marking_tolerance: Mapped[Decimal] = mapped_column(POINTS, nullable=False, default=Decimal(0))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    course: Mapped[Course] = relationship(lazy="raise")
    module: Mapped[Module | None] = relationship(lazy="raise")
    framework_items = relationship(
        "FrameworkItem", secondary=assessment_items, lazy="raise", order_by="FrameworkItem.code"
    )
    questions: Mapped[list[Question]] = relationship(
        back_populates="assessment",
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="Question.position",
    )
    rubric: Mapped[Rubric | None] = relationship(
        back_populates="assessment", lazy="raise", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def is_quiz(self) -> bool:
        return self.kind == AssessmentKind.QUIZ

    @property
    def auto_graded(self) -> bool:
        """Every question is scored automatically: quizzes (their question types all are);
        assignments, practical tests and orals are graded by hand."""
        return self.is_quiz

    @property
    def is_observed(self) -> bool:
        return self.kind.observed

    @property
    def last_accepted_at(self) -> dt.datetime:
        """The last moment a submission is accepted (the late deadline when late work is)."""
        if self.late_policy == LatePolicy.ACCEPT and self.late_until is not None:
            return self.late_until
        return self.closes_at

    def is_open(self, now: dt.datetime | None = None) -> bool:
        now = now or utcnow()
        return self.published and self.opens_at <= now <= self.last_accepted_at

    def is_late(self, now: dt.datetime) -> bool:
        return now > self.closes_at

    def __repr__(self) -> str:
        return f"<Assessment {self.id} {self.kind.value} {self.title!r}>"
