"""Enrolments: a trainee's place in a course."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from courses.models.course import Course
from lms.accounts.models import User
from lms.db import TimestampMixin, db, db_enum, on_violation
from lms.errors import Conflict


class EnrolmentStatus(enum.Enum):
    ACTIVE = "active"
    WAITING = "waiting"
    WITHDRAWN = "withdrawn"


ENROLMENT_STATUS_LABELS = {
    EnrolmentStatus.ACTIVE: _l("Enrolled"),
    EnrolmentStatus.WAITING: _l("On the waiting list"),
    EnrolmentStatus.WITHDRAWN: _l("Withdrawn"),
}


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


def _already_enrolled() -> Conflict:
    msg = _("This trainee is already enrolled in this course.")
    return Conflict(msg, {"user_id": [msg]})


on_violation("uq_enrolments_course_id_user_id", _already_enrolled)
