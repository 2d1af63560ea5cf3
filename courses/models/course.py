"""Courses, their ordered modules and their trainers."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Index, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models.catalogue import Module
from lms.accounts.models import User
from lms.db import TimestampMixin, db, db_enum, on_violation
from lms.errors import ValidationFailed


class CourseStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"  # open for enrolment
    RUNNING = "running"
    CLOSED = "closed"


COURSE_STATUS_LABELS = {
    CourseStatus.DRAFT: _l("Draft"),
    CourseStatus.OPEN: _l("Open for enrolment"),
    CourseStatus.RUNNING: _l("Running"),
    CourseStatus.CLOSED: _l("Closed"),
}


class Course(TimestampMixin, db.Model):
    """A course (percorso): ordered modules, trainers, lessons and enrolled trainees."""

    __tablename__ = "courses"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint("end_date >= start_date", name="dates_ordered"),
        CheckConstraint("capacity IS NULL OR capacity > 0", name="capacity_positive"),
        CheckConstraint(
            "assessment_threshold_pct BETWEEN 0 AND 100", name="assessment_threshold_range"
        ),
        CheckConstraint(
            "certification_threshold_pct BETWEEN 0 AND 100", name="certification_threshold_range"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200), nullable=False)
    edition: Mapped[str] = mapped_column(String(60), nullable=False, default="")
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    start_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    end_date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    status: Mapped[CourseStatus] = mapped_column(
        db_enum(CourseStatus, "course_status", 20), nullable=False, default=CourseStatus.DRAFT
    )
    capacity: Mapped[int | None] = mapped_column(Integer)
    # Minimum share of the course's hours to be admitted to the final assessment and to
    # certification: set by the funding notice, so a setting of each course.
    assessment_threshold_pct: Mapped[int] = mapped_column(Integer, nullable=False, default=70)
    certification_threshold_pct: Mapped[int] = mapped_column(Integer, nullable=False, default=75)

    # Small and needed by every permission check: loaded with the course.
    trainer_links: Mapped[list[CourseTrainer]] = relationship(
        lazy="selectin", cascade="all, delete-orphan", back_populates="course"
    )
    module_links: Mapped[list[CourseModule]] = relationship(
        lazy="raise",
        cascade="all, delete-orphan",
        order_by="CourseModule.position",
        back_populates="course",
    )

    @property
    def trainer_ids(self) -> frozenset[int]:
        return frozenset(t.user_id for t in self.trainer_links)

    @property
    def is_closed(self) -> bool:
        return self.status == CourseStatus.CLOSED

    @property
    def status_label(self) -> str:
        return str(COURSE_STATUS_LABELS[self.status])

    @property
    def display_title(self) -> str:
        return f"{self.title} - {self.edition}" if self.edition else self.title

    def __repr__(self) -> str:
        return f"<Course {self.id} {self.title}>"


class CourseModule(db.Model):
    __tablename__ = "course_modules"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, nullable=False, default=0)

    course: Mapped[Course] = relationship(back_populates="module_links", lazy="raise")
    module: Mapped[Module] = relationship(lazy="raise")


class CourseTrainer(db.Model):
    __tablename__ = "course_trainers"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), primary_key=True, index=True
    )

    course: Mapped[Course] = relationship(back_populates="trainer_links", lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")


# Case-insensitive uniqueness of a course's title and edition; the service checks first for
# the friendly message, the index settles a race between two requests.
Index(
    "uq_courses_title_edition_ci",
    func.lower(Course.title),
    func.lower(Course.edition),
    unique=True,
)


def _course_exists() -> ValidationFailed:
    return ValidationFailed(
        fields={"edition": [_("A course with this title and edition already exists.")]}
    )


on_violation("uq_courses_title_edition_ci", _course_exists)
