"""The certification dossier, its target competences, comments and frozen snapshots."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import TimestampMixin, UTCDateTime, append_only, db, db_enum, utcnow
from lms.standards.models import Profile


class DossierState(enum.Enum):
    DRAFT = "draft"
    IDENTIFICATION = "identification"
    SUBMITTED = "submitted"
    UNDER_ASSESSMENT = "under_assessment"
    DECIDED = "decided"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    ISSUED = "issued"  # issue 9
    REVOKED = "revoked"  # issue 9


STATE_LABELS = {
    DossierState.DRAFT: _l("Draft"),
    DossierState.IDENTIFICATION: _l("Identification"),
    DossierState.SUBMITTED: lazy_pgettext("dossier", "Submitted"),
    DossierState.UNDER_ASSESSMENT: _l("Under assessment"),
    DossierState.DECIDED: _l("Decided"),
    DossierState.RETURNED: _l("Returned to identification"),
    DossierState.WITHDRAWN: _l("Withdrawn"),
    DossierState.ISSUED: _l("Issued"),
    DossierState.REVOKED: _l("Revoked"),
}

# The candidate and the accompagnatore work on the evidence in these states.
EDITABLE_STATES = frozenset(
    {DossierState.DRAFT, DossierState.IDENTIFICATION, DossierState.RETURNED}
)
# Experts are assigned to every dossier from submission on.
ASSESSED_STATES = ("submitted", "under_assessment", "decided", "issued", "revoked")


dossier_competences = Table(
    "dossier_competences",
    db.metadata,
    Column("dossier_id", ForeignKey("dossiers.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "competence_id",
        ForeignKey("framework_items.id", ondelete="RESTRICT"),
        primary_key=True,
        index=True,
    ),
)


class Dossier(TimestampMixin, db.Model):
    """A candidate's dossier of evidence (dossier delle evidenze) for one profile."""

    __tablename__ = "dossiers"
    __table_args__ = (
        # Independence (D.Lgs. 13/2013 and DI 5 January 2021): the accompagnatore never assesses
        # the same candidate, the two experts are two people, nobody assesses themselves.
        CheckConstraint(
            "accompagnatore_id <> method_expert_id", name="accompagnatore_not_method_expert"
        ),
        CheckConstraint(
            "accompagnatore_id <> content_expert_id", name="accompagnatore_not_content_expert"
        ),
        CheckConstraint("method_expert_id <> content_expert_id", name="experts_differ"),
        CheckConstraint("candidate_id <> accompagnatore_id", name="candidate_not_accompagnatore"),
        CheckConstraint("candidate_id <> method_expert_id", name="candidate_not_method_expert"),
        CheckConstraint("candidate_id <> content_expert_id", name="candidate_not_content_expert"),
        CheckConstraint(
            "state NOT IN ('" + "', '".join(ASSESSED_STATES) + "') OR "
            "(method_expert_id IS NOT NULL AND content_expert_id IS NOT NULL)",
            name="experts_when_assessed",
        ),
        CheckConstraint(
            "state = 'draft' OR accompagnatore_id IS NOT NULL", name="accompagnatore_after_draft"
        ),
        Index("ix_dossiers_state", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    candidate_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("profiles.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    course_id: Mapped[int | None] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    accompagnatore_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    method_expert_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    content_expert_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True
    )
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    state: Mapped[DossierState] = mapped_column(
        db_enum(DossierState, "dossier_state", 20), nullable=False, default=DossierState.DRAFT
    )
    submitted_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    decided_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime())
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    candidate: Mapped[User] = relationship(lazy="raise", foreign_keys=[candidate_id])
    profile: Mapped[Profile] = relationship(lazy="raise")
    competences = relationship(
        "Competence", secondary=dossier_competences, lazy="raise", order_by="FrameworkItem.position"
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def expert_ids(self) -> set[int]:
        return {i for i in (self.method_expert_id, self.content_expert_id) if i is not None}

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def __repr__(self) -> str:
        return f"<Dossier {self.id} {self.state.value}>"


class DossierComment(db.Model):
    """A comment on a dossier, e.g. why it was returned to identification."""

    __tablename__ = "dossier_comments"
    __table_args__ = (CheckConstraint("length(body) > 0", name="body_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True, nullable=False
    )
    author_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    # The state the dossier went to with this comment (returned, withdrawn), if any.
    transition: Mapped[str | None] = mapped_column(String(30))
    body: Mapped[str] = mapped_column(Text, nullable=False)


class DossierSnapshot(db.Model):
    """The evidence and its links as submitted: what the experts decide on. Append-only."""

    __tablename__ = "dossier_snapshots"
    __table_args__ = (
        UniqueConstraint("dossier_id", "number"),
        CheckConstraint("number > 0", name="number_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    number: Mapped[int] = mapped_column(Integer, nullable=False)  # 1 for the first submission
    taken_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    taken_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="RESTRICT"))
    content: Mapped[dict] = mapped_column(JSON, nullable=False)


append_only(DossierSnapshot, "dossier snapshots")
