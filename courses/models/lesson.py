"""Lessons and their attendance registers."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Time,
    UniqueConstraint,
    event,
    inspect,
    text,
)
from sqlalchemy.dialects.postgresql import ExcludeConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models.catalogue import Module
from courses.models.course import Course
from lms.accounts.models import User
from lms.db import TimestampMixin, UTCDateTime, db, db_enum, on_violation, utcnow
from lms.errors import ValidationFailed
from lms.timezone import LOCAL_TZ

ROME = LOCAL_TZ  # the one Europe/Rome of lms.timezone; the name stays for older callers


class LessonMode(enum.Enum):
    IN_PERSON = "in_person"
    ONLINE = "online"
    BLENDED = "blended"


MODE_LABELS = {
    LessonMode.IN_PERSON: _l("In person"),
    LessonMode.ONLINE: _l("Online"),
    LessonMode.BLENDED: _l("Blended"),
}


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
    # iCalendar SEQUENCE: raised whenever the time, place, link or cancellation changes, so
    # calendar applications replace the event they hold.
    sequence: Mapped[int] = mapped_column(Integer, nullable=False, default=0, server_default="0")

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


CALENDAR_FIELDS = ("date", "start_time", "end_time", "mode", "place", "link", "cancelled_at")


@event.listens_for(Lesson, "before_update")
def _bump_sequence(mapper, connection, target: Lesson) -> None:
    state = inspect(target)
    if any(state.attrs[name].history.has_changes() for name in CALENDAR_FIELDS):
        target.sequence = (target.sequence or 0) + 1


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
    # A coordinator signing for the lesson's trainer: the trainer signed for (else None).
    on_behalf_of_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    reopened_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    reopen_reason: Mapped[str | None] = mapped_column(String(500))
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    lesson: Mapped[Lesson] = relationship(back_populates="register", lazy="raise")
    signed_by: Mapped[User | None] = relationship(lazy="raise", foreign_keys=[signed_by_id])

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def is_signed(self) -> bool:
        return self.signed_at is not None


def _trainer_busy() -> ValidationFailed:
    msg = _("The trainer already teaches another lesson at that time.")
    return ValidationFailed(msg, {"trainer_id": [msg]})


on_violation("ex_lessons_trainer_overlap", _trainer_busy)


class RegisterPdf(db.Model):
    """The PDF of a signed register, kept for that version of the register: the signature
    locks the register, so the document is made once and served from storage afterwards;
    reopening and signing again makes a new version, with its own PDF."""

    __tablename__ = "register_pdfs"
    __table_args__ = (UniqueConstraint("lesson_id", "register_version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    lesson_id: Mapped[int] = mapped_column(
        ForeignKey("registers.lesson_id", ondelete="CASCADE"), nullable=False
    )
    register_version: Mapped[int] = mapped_column(Integer, nullable=False)
    stored_file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="RESTRICT"), nullable=False, index=True
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
