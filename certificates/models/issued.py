"""Issued documents (certificate, dossier, verbale, transparency document), their revocations
and their Open Badges credentials.

Every row here is written once: nothing about an issued document is ever edited or deleted.
A revocation is a row of its own; a reissue is a new document whose `supersedes_id` names the
old one. The status of a document (valid, revoked, superseded) is read from those rows. The ORM
refuses UPDATE and DELETE (`append_only`) and the migration's triggers refuse them in the
database.
"""

from __future__ import annotations

import datetime as dt
import enum

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Date, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from lms.accounts.models import User
from lms.db import UTCDateTime, append_only, db, db_enum, utcnow
from lms.files.models import StoredFile


class DocumentKind(enum.Enum):
    CERTIFICATE = "certificate"  # Certificato (competences validated and certified)
    VALIDATION = "validation"  # Documento di validazione (the coordinator's choice instead)
    DOSSIER = "dossier"  # the complete certification dossier
    VERBALE = "verbale"  # the minutes of the assessment
    TRANSPARENCY = "transparency"  # Documento di trasparenza (identification phase)


DOCUMENT_KIND_LABELS = {
    DocumentKind.CERTIFICATE: _l("Certificate"),
    DocumentKind.VALIDATION: _l("Validation document"),
    DocumentKind.DOSSIER: _l("Certification dossier"),
    DocumentKind.VERBALE: _l("Assessment minutes"),
    DocumentKind.TRANSPARENCY: _l("Transparency document"),
}


class DocumentStatus(enum.Enum):
    """Derived, never stored: from the revocation rows and the documents that supersede."""

    VALID = "valid"
    REVOKED = "revoked"
    SUPERSEDED = "superseded"


DOCUMENT_STATUS_LABELS = {
    DocumentStatus.VALID: _l("Valid"),
    DocumentStatus.REVOKED: _l("Revoked"),
    DocumentStatus.SUPERSEDED: _l("Superseded"),
}


class IssuedDocument(db.Model):
    """One issued PDF: its verification code, its bytes (a stored file) and their SHA-256."""

    __tablename__ = "issued_documents"
    __table_args__ = (
        CheckConstraint("length(code) = 19", name="code_grouped"),
        CheckConstraint("length(sha256) = 64", name="sha256_hex"),
        UniqueConstraint("supersedes_id"),  # a document is superseded at most once
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    dossier_id: Mapped[int] = mapped_column(
        ForeignKey("dossiers.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    holder_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    kind: Mapped[DocumentKind] = mapped_column(
        db_enum(DocumentKind, "document_kind", 20), nullable=False
    )
    code: Mapped[str] = mapped_column(String(19), unique=True, nullable=False)
    file_id: Mapped[int] = mapped_column(
        ForeignKey("stored_files.id", ondelete="RESTRICT"), unique=True, nullable=False
    )
    sha256: Mapped[str] = mapped_column(String(64), nullable=False, index=True)
    issued_on: Mapped[dt.date] = mapped_column(Date, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    issued_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    # The frozen snapshot of the evidence the document was built from.
    snapshot_id: Mapped[int | None] = mapped_column(
        ForeignKey("dossier_snapshots.id", ondelete="RESTRICT"), index=True
    )
    # A reissue names the document it replaces; the old row is never touched.
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="RESTRICT")
    )
    # Issued together (the certificate, the dossier and the verbale of one issuing) share it.
    issue_batch: Mapped[str] = mapped_column(String(32), nullable=False, index=True)
    # The reason given when this document was issued as a correction of another one.
    correction_note: Mapped[str] = mapped_column(Text, nullable=False, default="")

    file: Mapped[StoredFile] = relationship(lazy="joined")
    holder: Mapped[User] = relationship(foreign_keys=[holder_id])
    issued_by: Mapped[User] = relationship(foreign_keys=[issued_by_id])
    supersedes: Mapped[IssuedDocument | None] = relationship(remote_side=[id])

    @property
    def kind_label(self) -> str:
        return str(DOCUMENT_KIND_LABELS[self.kind])


class DocumentRevocation(db.Model):
    """The revocation of one issued document, with its reason: written once, never undone."""

    __tablename__ = "document_revocations"
    __table_args__ = (CheckConstraint("length(reason) > 0", name="reason_not_empty"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="RESTRICT"), unique=True, nullable=False
    )
    reason: Mapped[str] = mapped_column(Text, nullable=False)
    revoked_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)
    revoked_by_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="RESTRICT"), index=True, nullable=False
    )

    document: Mapped[IssuedDocument] = relationship()
    revoked_by: Mapped[User] = relationship()


class IssuedCredential(db.Model):
    """An Open Badges 3.0 credential for one certified competence of an issued certificate.

    `status_index` is the credential's bit in the issuer's status list (revocation);
    `token` is the signed credential exactly as issued (a VC-JWT)."""

    __tablename__ = "issued_credentials"
    __table_args__ = (
        UniqueConstraint("document_id", "competence_id"),
        CheckConstraint("status_index >= 0", name="status_index_natural"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("issued_documents.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    competence_id: Mapped[int] = mapped_column(
        ForeignKey("framework_items.id", ondelete="RESTRICT"), index=True, nullable=False
    )
    credential_id: Mapped[str] = mapped_column(String(100), unique=True, nullable=False)
    status_index: Mapped[int] = mapped_column(Integer, unique=True, nullable=False)
    token: Mapped[str] = mapped_column(Text, nullable=False)
    issued_at: Mapped[dt.datetime] = mapped_column(UTCDateTime(), default=utcnow, nullable=False)

    document: Mapped[IssuedDocument] = relationship()


append_only(IssuedDocument, "issued documents")
append_only(DocumentRevocation, "document revocations")
append_only(IssuedCredential, "issued credentials")
