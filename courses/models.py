"""Modules, courses, lessons, enrolments, registers and attendance records."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    Time,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import TimestampMixin, UTCDateTime, db, db_enum, on_violation
from lms.errors import Conflict, StaleEdit, ValidationFailed
from lms.timezone import LOCAL_TZ

ROME = LOCAL_TZ  # the one Europe/Rome of lms.timezone; the name stays for older callers


class TopicArea(enum.Enum):
    REGULATORY = "regulatory"
    COMMUNICATION = "communication"
    RELATIONAL = "relational"
    COACHING = "coaching"
    AWARENESS = "awareness"
    OTHER = "other"


class CourseStatus(enum.Enum):
    DRAFT = "draft"
    OPEN = "open"  # open for enrolment
    RUNNING = "running"
    CLOSED = "closed"


class LessonMode(enum.Enum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"


class EnrolmentStatus(enum.Enum):
    ACTIVE = "active"
    WAITING = "waiting"
    WITHDRAWN = "withdrawn"


class AttendanceStatus(enum.Enum):
    PRESENT = "present"
    LATE = "late"
    LEFT_EARLY = "left_early"
    ABSENT = "absent"
    EXCUSED = "excused"


class AttendanceSource(enum.Enum):
    REGISTER = "register"
    CHECK_IN = "check_in"
    API = "api"


TOPIC_LABELS = {
    TopicArea.REGULATORY: _l("Regulatory"),
    TopicArea.COMMUNICATION: _l("Communication"),
    TopicArea.RELATIONAL: _l("Relational"),
    TopicArea.COACHING: _l("Coaching"),
    TopicArea.AWARENESS: _l("Experiential awareness"),
    TopicArea.OTHER: _l("Other"),
}
COURSE_STATUS_LABELS = {
    CourseStatus.DRAFT: _l("Draft"),
    CourseStatus.OPEN: _l("Open for enrolment"),
    CourseStatus.RUNNING: _l("Running"),
    CourseStatus.CLOSED: _l("Closed"),
}
MODE_LABELS = {
    LessonMode.IN_PERSON: _l("In person"),
    LessonMode.ONLINE: _l("Online"),
    LessonMode.BLENDED: _l("Blended"),
}
ENROLMENT_STATUS_LABELS = {
    EnrolmentStatus.ACTIVE: _l("Enrolled"),
    EnrolmentStatus.WAITING: _l("On the waiting list"),
    EnrolmentStatus.WITHDRAWN: _l("Withdrawn"),
}
ATTENDANCE_LABELS = {
    AttendanceStatus.PRESENT: _l("Present"),
    AttendanceStatus.LATE: _l("Late"),
    AttendanceStatus.LEFT_EARLY: _l("Left early"),
    AttendanceStatus.ABSENT: _l("Absent"),
    AttendanceStatus.EXCUSED: _l("Excused"),
}
# One- or two-letter codes for the cells of attendance grids, with ATTENDANCE_LABELS as legend.
ATTENDANCE_CODES = {
    AttendanceStatus.PRESENT: _l("P"),
    AttendanceStatus.LATE: _l("L"),
    AttendanceStatus.LEFT_EARLY: _l("LE"),
    AttendanceStatus.ABSENT: _l("A"),
    AttendanceStatus.EXCUSED: _l("EX"),
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


class Lesson(TimestampMixin, db.Model):
    """A lesson: a date with local start and end times (Europe/Rome)."""

    __tablename__ = "lessons"
    __table_args__ = (
        CheckConstraint("end_time > start_time", name="times_ordered"),
        CheckConstraint(
            "cancelled_at IS NULL OR length(cancel_reason) > 0", name="cancel_has_reason"
        ),
        Index("ix_lessons_trainer_date", "trainer_id", "date"),
        Index("ix_lessons_course_date", "course_id", "date", "start_time"),
        # A trainer is never in two lessons at once: PostgreSQL refuses overlapping
        # [start, end) times of the same trainer (cancelled lessons aside). SQLite has no
        # exclusion constraints; there the service check in courses.services.lessons is
        # the rule (it runs on PostgreSQL too, for the friendly message).
        ExcludeConstraint(
            ("trainer_id", "="),
            (text("tsrange(date + start_time, date + end_time)"), "&&"),
            name="ex_lessons_trainer_overlap",
            using="gist",
            where=text("cancelled_at IS NULL"),
        ).ddl_if(dialect="postgresql"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    module_id: Mapped[int] = mapped_column(
        ForeignKey("modules.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    date: Mapped[dt.date] = mapped_column(Date, nullable=False)
    start_time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    end_time: Mapped[dt.time] = mapped_column(Time, nullable=False)
    mode: Mapped[LessonMode] = mapped_column(db_enum(LessonMode, "lesson_mode", 20), nullable=False)
    place: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    link: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    trainer_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), nullable=False
    )
    series_key: Mapped[str | None] = mapped_column(String(36), index=True)
    cancelled_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    cancel_reason: Mapped[str | None] = mapped_column(String(500))

    course: Mapped[Course] = relationship(lazy="raise")
    module: Mapped[Module] = relationship(lazy="raise")
    trainer: Mapped[User] = relationship(lazy="raise")
    register: Mapped[Register] = relationship(
        back_populates="lesson", lazy="raise", uselist=False, cascade="all, delete-orphan"
    )

    @property
    def starts_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.start_time, tzinfo=ROME)

    @property
    def ends_at(self) -> dt.datetime:
        return dt.datetime.combine(self.date, self.end_time, tzinfo=ROME)

    @property
    def length_minutes(self) -> int:
        return lesson_minutes(self.start_time, self.end_time)

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def mode_label(self) -> str:
        return str(MODE_LABELS[self.mode])

    def __repr__(self) -> str:
        return f"<Lesson {self.id} {self.date} {self.start_time}>"


def lesson_minutes(start: dt.time, end: dt.time) -> int:
    """Length of a lesson in whole minutes, from its local start and end times."""
    return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)


class Register(db.Model):
    """The attendance register of one lesson (registro presenze): signed, it is locked."""

    __tablename__ = "registers"

    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), primary_key=True
    )
    signed_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    signed_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reopen_reason: Mapped[str | None] = mapped_column(String(500))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    lesson: Mapped[Lesson] = relationship(back_populates="register", lazy="raise")
    signed_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[signed_by_id])

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


class Enrolment(TimestampMixin, db.Model):
    """A trainee's place in a course; withdrawn enrolments are kept, with their reason."""

    __tablename__ = "enrolments"
    __table_args__ = (
        UniqueConstraint("course_id", "user_id"),
        CheckConstraint(
            "status <> 'withdrawn' OR (withdrawn_on IS NOT NULL AND length(withdraw_reason) > 0)",
            name="withdrawal_has_reason",
        ),
        CheckConstraint(
            "withdrawn_on IS NULL OR withdrawn_on >= enrolled_on", name="withdrawal_after_enrolment"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), nullable=False
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    status: Mapped[EnrolmentStatus] = mapped_column(
        db_enum(EnrolmentStatus, "enrolment_status", 20), nullable=False
    )
    # Local date from which lessons count for this trainee.
    enrolled_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    withdrawn_on: Mapped[dt.date | None] = mapped_column(Date)
    withdraw_reason: Mapped[str | None] = mapped_column(String(500))

    course: Mapped[Course] = relationship(lazy="raise")
    user: Mapped[User] = relationship(lazy="raise")

    @property
    def status_label(self) -> str:
        return str(ENROLMENT_STATUS_LABELS[self.status])

    def counts_on(self, day: dt.date) -> bool:
        """True when a lesson on this local date counts for this enrolment."""
        if self.status == EnrolmentStatus.WAITING or day < self.enrolled_on:
            return False
        return self.withdrawn_on is None or day <= self.withdrawn_on


class AttendanceRecord(TimestampMixin, db.Model):
    """One trainee's attendance at one lesson, in minutes."""

    __tablename__ = "attendance_records"
    __table_args__ = (
        UniqueConstraint("lesson_id", "enrolment_id"),
        CheckConstraint("minutes >= 0", name="minutes_not_negative"),
        CheckConstraint(
            "status NOT IN ('absent', 'excused') OR minutes = 0", name="absent_has_no_minutes"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("lessons.id", ondelete="CASCADE"), nullable=False
    )
    enrolment_id: Mapped[int] = mapped_column(
        ForeignKey("enrolments.id", ondelete="CASCADE"), index=True, nullable=False
    )
    status: Mapped[AttendanceStatus] = mapped_column(
        db_enum(AttendanceStatus, "attendance_status", 20), nullable=False
    )
    minutes: Mapped[int] = mapped_column(Integer, nullable=False)
    note: Mapped[str] = mapped_column(String(500), nullable=False, default="")
    source: Mapped[AttendanceSource] = mapped_column(
        db_enum(AttendanceSource, "attendance_source", 20), nullable=False
    )
    checked_in_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    lesson: Mapped[Lesson] = relationship(lazy="raise")
    enrolment: Mapped[Enrolment] = relationship(lazy="raise")

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def status_label(self) -> str:
        return str(ATTENDANCE_LABELS[self.status])


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


def _module_code_taken() -> ValidationFailed:
    return ValidationFailed(fields={"code": [_("Another module already has this code.")]})


def _already_enrolled() -> Conflict:
    msg = _("This trainee is already enrolled in this course.")
    return Conflict(msg, {"user_id": [msg]})


def _trainer_busy() -> ValidationFailed:
    msg = _("The trainer already teaches another lesson at that time.")
    return ValidationFailed(msg, {"trainer_id": [msg]})


on_violation("uq_courses_title_edition_ci", _course_exists)
on_violation("uq_modules_code", _module_code_taken)
on_violation("uq_enrolments_course_id_user_id", _already_enrolled)
on_violation("ex_lessons_trainer_overlap", _trainer_busy)
# Two people creating the same attendance line at once: the later one saved over a line it
# had not seen, the creation's version conflict.
on_violation("uq_attendance_records_lesson_id_enrolment_id", StaleEdit)
