"""Evidence in a dossier: its kind, type and value, files and links to framework items."""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.db import TimestampMixin, db, db_enum
from lms.files.models import StoredFile


class EvidenceKind(enum.Enum):
    DOCUMENT = "document"
    ATTENDANCE_SUMMARY = "attendance_summary"
    ASSESSMENT_RESULT = "assessment_result"
    OBSERVATION = "observation"
    WORK_EXPERIENCE = "work_experience"
    WITNESS_STATEMENT = "witness_statement"
    SELF_DECLARATION = "self_declaration"


class EvidenceType(enum.Enum):
    RESULT = "result"  # evidenza di risultato: a product
    PROCESS = "process"  # evidenza di processo: an observed behaviour


class EvidenceValue(enum.Enum):
    FIRST = "first"  # parte prima: self-declared
    SECOND = "second"  # parte seconda: issued by the training body
    THIRD = "third"  # parte terza: issued by others


class EvidencePhase(enum.Enum):
    IDENTIFICATION = "identification"  # gathered by the candidate and the accompagnatore
    ASSESSMENT = "assessment"  # recorded by an expert (direct test observation)


KIND_LABELS = {
    EvidenceKind.DOCUMENT: _l("Document"),
    EvidenceKind.ATTENDANCE_SUMMARY: _l("Attendance summary"),
    EvidenceKind.ASSESSMENT_RESULT: _l("Assessment result"),
    EvidenceKind.OBSERVATION: _l("Observation"),
    EvidenceKind.WORK_EXPERIENCE: _l("Work experience"),
    EvidenceKind.WITNESS_STATEMENT: _l("Witness statement"),
    EvidenceKind.SELF_DECLARATION: _l("Self-declaration"),
}
TYPE_LABELS = {
    EvidenceType.RESULT: _l("Result evidence"),
    EvidenceType.PROCESS: _l("Process evidence"),
}
VALUE_LABELS = {
    EvidenceValue.FIRST: _l("First party"),
    EvidenceValue.SECOND: _l("Second party"),
    EvidenceValue.THIRD: _l("Third party"),
}
# Kinds only the copy services create, with figures taken from the training records.
TRAINING_RECORD_KINDS = frozenset({EvidenceKind.ATTENDANCE_SUMMARY, EvidenceKind.ASSESSMENT_RESULT})


class Evidence(TimestampMixin, db.Model):
    """One piece of evidence of a dossier."""

    __tablename__ = "evidence_records"
    __table_args__ = (
        CheckConstraint("length(title) > 0", name="title_not_empty"),
        CheckConstraint(
            "kind NOT IN ('attendance_summary', 'assessment_result') OR value = 'second'",
            name="training_records_second_party",
        ),
        CheckConstraint(
            "kind <> 'self_declaration' OR value = 'first'", name="self_declaration_first_party"
        ),
        CheckConstraint(
            "kind <> 'observation' OR phase = 'assessment'", name="observation_in_assessment"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="CASCADE"), index=True, nullable=False
    )
    kind: Mapped[EvidenceKind] = mapped_column(
        db_enum(EvidenceKind, "evidence_kind", 30), nullable=False
    )
    type: Mapped[EvidenceType] = mapped_column(
        db_enum(EvidenceType, "evidence_type", 10), nullable=False
    )
    value: Mapped[EvidenceValue] = mapped_column(
        db_enum(EvidenceValue, "evidence_value", 10), nullable=False
    )
    phase: Mapped[EvidencePhase] = mapped_column(
        db_enum(EvidencePhase, "evidence_phase", 20),
        nullable=False,
        default=EvidencePhase.IDENTIFICATION,
    )
    title: Mapped[str] = mapped_column(String(300), nullable=False)
    description: Mapped[str] = mapped_column(Text, nullable=False, default="")
    date: Mapped[dt.date | None] = mapped_column(Date)
    issuer: Mapped[str] = mapped_column(String(300), nullable=False, default="")  # or source
    # Figures copied from the training records when the evidence was added.
    data: Mapped[dict | None] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    version_id: Mapped[int] = mapped_column(Integer, nullable=False)

    links: Mapped[list[EvidenceLink]] = relationship(
        back_populates="evidence",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )
    files: Mapped[list[EvidenceFile]] = relationship(
        back_populates="evidence",
        lazy="raise",
        cascade="all, delete-orphan",
        passive_deletes=True,
    )

    __mapper_args__ = {"version_id_col": version_id}

    @property
    def kind_label(self) -> str:
        return str(KIND_LABELS[self.kind])

    @property
    def type_label(self) -> str:
        return str(TYPE_LABELS[self.type])

    @property
    def value_label(self) -> str:
        return str(VALUE_LABELS[self.value])


class EvidenceLink(db.Model):
    """Evidence supports a framework item; the note says how."""

    __tablename__ = "evidence_links"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_records.id", ondelete="CASCADE"), primary_key=True
    )
    framework_item_id: Mapped[int] = mapped_column(
        ForeignKey("framework_items.id", ondelete="RESTRICT"), primary_key=True, index=True
    )
    note: Mapped[str] = mapped_column(String(1000), nullable=False, default="")

    evidence: Mapped[Evidence] = relationship(back_populates="links", lazy="raise")


class EvidenceFile(db.Model):
    """A file attached to evidence, stored through lms.files."""

    __tablename__ = "evidence_files"

    evidence_id: Mapped[int] = mapped_column(
        ForeignKey("evidence_records.id", ondelete="CASCADE"), primary_key=True
    )
    stored_file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="RESTRICT"), primary_key=True, unique=True
    )

    evidence: Mapped[Evidence] = relationship(back_populates="files", lazy="raise")
    stored_file: Mapped[StoredFile] = relationship(lazy="raise")
