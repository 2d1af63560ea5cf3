"""Outgoing e-mail: one row per message, queued inside the transaction that caused it."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from lms.db import UTCDateTime, db, db_enum, utcnow


class MailStatus(enum.Enum):
    QUEUED = "queued"  # waiting for its first attempt or for a retry at next_attempt_at
    SENT = "sent"
    FAILED = "failed"  # given up after MAIL_MAX_ATTEMPTS


class OutgoingMail(db.Model):
    """A message rendered in the recipient's language, sent after the commit."""

    __tablename__ = "outgoing_mails"
    __table_args__ = (
        CheckConstraint("attempts >= 0", name="attempts_not_negative"),
        CheckConstraint("status <> 'sent' OR sent_at IS NOT NULL", name="sent_has_time"),
        Index("ix_outgoing_mails_due", "status", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(String(254), nullable=False)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    template: Mapped[str] = mapped_column(String(100), nullable=False)
    subject: Mapped[str] = mapped_column(String(300), nullable=False)
    body_text: Mapped[str] = mapped_column(Text, nullable=False)
    body_html: Mapped[str | None] = mapped_column(Text)
    # Bodies holding a one-time link are blanked once the message has left.
    sensitive: Mapped[bool] = mapped_column(Boolean, default=False, nullable=False)
    status: Mapped[MailStatus] = mapped_column(
        db_enum(MailStatus, "mail_status", 10), default=MailStatus.QUEUED, nullable=False
    )
    attempts: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    last_error: Mapped[str | None] = mapped_column(String(500))
    next_attempt_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    sent_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    def __repr__(self) -> str:
        return f"<OutgoingMail {self.id} {self.template} {self.status.value}>"
