"""Assessments, quiz questions and attempts, submissions, rubrics, grades, marks and history."""

from __future__ import annotations

import datetime as dt
import enum
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.scoring import PartialCredit, QuestionType
from courses.models import Course, Module
from lms.accounts.models import User
from lms.db import TimestampMixin, UTCDateTime, db, db_enum, utcnow
from lms.files.models import StoredFile

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
criterion_items = _items_table("rubric_criterion_framework_items", "criterion_id", "rubric_criteria")


class Assessment(TimestampMixin, db.Model):
    """A test of a course: quiz, assignment, observed practical test or oral interview."""

    __tablename__ = "assessments"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("closes_at > opens_at", name="times_ordered"),
        CheckConstraint("max_points > 0", name="max_points_positive"),
        CheckConstraint("pass_mark >= 0 AND pass_mark <= max_points", name="pass_mark_range"),
        CheckConstraint("weight >= 0", name="weight_not_negative"),
        CheckConstraint("attempts_allowed IS NULL OR attempts_allowed > 0", name="attempts_positive"),
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
        back_populates="question", lazy="raise", cascade="all, delete-orphan",
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


class Submission(TimestampMixin, db.Model):
    """A trainee's work for an assignment: text and files, replaceable until the deadline."""

    __tablename__ = "submissions"
    __table_args__ = (
        UniqueConstraint("assessment_id", "trainee_id"),
        CheckConstraint("times_submitted > 0", name="times_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("assessments.id", ondelete="CASCADE"), nullable=False
    )
    trainee_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    text: Mapped[str] = mapped_column(Text, nullable=False, default="")
    submitted_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    late: Mapped[bool] = mapped_column(Boolean, nullable=False, default=False)
    times_submitted: Mapped[int] = mapped_column(Integer, nullable=False, default=1)
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    assessment: Mapped[Assessment] = relationship(lazy="raise")
    trainee: Mapped[User] = relationship(lazy="raise")
    files: Mapped[list[SubmissionFile]] = relationship(
        back_populates="submission", lazy="raise", cascade="all, delete-orphan",
        order_by="SubmissionFile.id",
    )

    __mapper_args__ = {"version_id_col": version_id}


class SubmissionFile(db.Model):
    __tablename__ = "submission_files"

    id: Mapped[int] = mapped_column(primary_key=True)
    submission_id: Mapped[int] = mapped_column(
        ForeignKey("submissions.id", ondelete="CASCADE"), index=True, nullable=False
    )
    stored_file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="RESTRICT"), unique=True, nullable=False
    )

    submission: Mapped[Submission] = relationship(back_populates="files", lazy="raise")
    stored: Mapped[StoredFile] = relationship(lazy="raise")


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
        back_populates="rubric", lazy="raise", cascade="all, delete-orphan",
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
        back_populates="criterion", lazy="raise", cascade="all, delete-orphan",
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

    mark_id: Mapped[int] = mapped_column(ForeignKey("marks.id", ondelete="CASCADE"), primary_key=True)
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
