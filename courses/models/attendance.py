"""Attendance records: one trainee's minutes at one lesson."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models.enrolment import Enrolment
from courses.models.lesson import Lesson
from lms.db import TimestampMixin, UTCDateTime, db, db_enum, on_violation
from lms.errors import StaleEdit


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


# Two people creating the same attendance line at once: the later one saved over a line it
# had not seen, the creation's version conflict.
on_violation("uq_attendance_records_lesson_id_enrolment_id", StaleEdit)
