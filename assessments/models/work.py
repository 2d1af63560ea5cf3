"""Assignment submissions and their files."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    ForeignKey,
    Integer,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from assessments.models.assessment import Assessment
from lms.accounts.models import User
from lms.db import TimestampMixin, UTCDateTime, db
from lms.files.models import StoredFile


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
        back_populates="submission",
        lazy="raise",
        cascade="all, delete-orphan",
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
