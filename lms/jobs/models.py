"""Background jobs: one Job per action a person started, one JobItem per thing it processes."""

from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import UTCDateTime, db, db_enum, utcnow


class JobState(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    PARTLY_FAILED = "partly_failed"


FINISHED = frozenset({JobState.DONE, JobState.FAILED, JobState.PARTLY_FAILED})


class ItemState(enum.Enum):
    PENDING = "pending"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """A batch of items processed in the background by the handler of a registered kind."""

    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint("total >= 0 AND done >= 0 AND failed >= 0", name="counts_positive"),
        CheckConstraint("done + failed <= total", name="counts_within_total"),
        Index("ix_jobs_creator_created", "created_by_id", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(100), nullable=False)
    # Parameters of the kind's label (e.g. the course's title) and of its handler.
    title_params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    params: Mapped[dict] = mapped_column(JSON, nullable=False, default=dict)
    state: Mapped[JobState] = mapped_column(
        db_enum(JobState, "job_state"), nullable=False, default=JobState.QUEUED
    )
    total: Mapped[int] = mapped_column(nullable=False, default=0)
    done: Mapped[int] = mapped_column(nullable=False, default=0)
    failed: Mapped[int] = mapped_column(nullable=False, default=0)
    created_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), nullable=False
    )
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    started_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    items: Mapped[list[JobItem]] = relationship(
        back_populates="job", order_by="JobItem.position", lazy="raise"
    )

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED

    def __repr__(self) -> str:
        return (
            f"<Job {self.id} {self.kind} {self.state.value} {self.done}+{self.failed}/{self.total}>"
        )


class JobItem(db.Model):
    """One thing a job processes (e.g. "dossier:12"), in its own transaction."""

    __tablename__ = "job_items"
    __table_args__ = (
        UniqueConstraint("job_id", "position"),
        UniqueConstraint("job_id", "key"),
        CheckConstraint("attempts >= 0", name="attempts_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    job_id: Mapped[int] = mapped_column(ForeignKey("jobs.id", ondelete="CASCADE"), nullable=False)
    position: Mapped[int] = mapped_column(nullable=False)
    key: Mapped[str] = mapped_column(String(200), nullable=False)
    label: Mapped[str] = mapped_column(String(300), nullable=False, default="")
    state: Mapped[ItemState] = mapped_column(
        db_enum(ItemState, "job_item_state"), nullable=False, default=ItemState.PENDING
    )
    attempts: Mapped[int] = mapped_column(nullable=False, default=0)
    # Short text for the person who started the job; the traceback is only in the log.
    last_error: Mapped[str | None] = mapped_column(String(500))
    result: Mapped[dict | None] = mapped_column(JSON)
    finished_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())

    job: Mapped[Job] = relationship(back_populates="items", lazy="raise")

    def __repr__(self) -> str:
        return f"<JobItem {self.job_id}/{self.position} {self.key} {self.state.value}>"
