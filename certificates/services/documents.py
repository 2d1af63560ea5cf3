"""Reading issued documents: their derived status, the documents a person may see, one
document's bytes. Nothing here changes a document (issuing.py writes them, once)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Select, exists, select

from certificates.models import (
    DOCUMENT_STATUS_LABELS,
    DocumentRevocation,
    DocumentStatus,
    IssuedDocument,
)
from certificates.permissions import can_list_documents, can_view_document
from lms.accounts.models import User
from lms.accounts.permissions import is_staff
from lms.db import db
from lms.files.services import read_bytes
from lms.permissions import require, require_actor


def document_status(doc: IssuedDocument) -> DocumentStatus:
    """Revoked if a revocation row exists, superseded if another document replaces it, else
    valid (two small queries; use status_of_many for a list)."""
    return status_of_many([doc.id])[doc.id]


def status_of_many(ids: list[int]) -> dict[int, DocumentStatus]:
    """The status of each document id, in one query whatever the number of ids."""
    if not ids:
        return {}
    successor = IssuedDocument.__table__.alias("successor")
    revoked = exists().where(DocumentRevocation.document_id == IssuedDocument.id)
    superseded = exists().where(successor.c.supersedes_id == IssuedDocument.id)
    rows = db.session.execute(
        select(IssuedDocument.id, revoked.label("revoked"), superseded.label("superseded")).where(
            IssuedDocument.id.in_(ids)
        )
    )
    return {doc_id: status_from(revoked, superseded) for doc_id, revoked, superseded in rows}


def status_from(revoked: bool, superseded: bool) -> DocumentStatus:
    """The rule: a revocation wins over a successor; with neither the document is valid."""
    if revoked:
        return DocumentStatus.REVOKED
    if superseded:
        return DocumentStatus.SUPERSEDED
    return DocumentStatus.VALID


def visible_documents_query(actor: User, dossier_id: int | None = None) -> Select:
    """The documents the actor may see, newest first: their own, or all of them for staff."""
    require_actor(actor)
    require(can_list_documents(actor))
    query = select(IssuedDocument).order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id)
    if not is_staff(actor):
        query = query.where(IssuedDocument.holder_id == actor.id)
    if dossier_id is not None:
        query = query.where(IssuedDocument.dossier_id == dossier_id)
    return query


def documents_of_dossier(actor: User, dossier_id: int) -> list[IssuedDocument]:
    """The issued documents of one dossier the actor may see (one query)."""
    return list(db.session.scalars(visible_documents_query(actor, dossier_id)))


def document_bytes(actor: User, doc: IssuedDocument) -> bytes:
    """The stored bytes of a document: the same file at every download."""
    require_actor(actor)
    require(can_view_document(actor, doc), private=True)
    return read_bytes(doc.file)


@dataclass
class DocumentRow:
    """An issued document with its derived status, for lists."""

    document: IssuedDocument
    status: DocumentStatus

    @property
    def status_label(self) -> str:
        return str(DOCUMENT_STATUS_LABELS[self.status])


def document_rows(actor: User, dossier_id: int | None = None) -> list[DocumentRow]:
    """The documents the actor may see with their status (two queries whatever their number)."""
    docs = list(db.session.scalars(visible_documents_query(actor, dossier_id)))
    statuses = status_of_many([d.id for d in docs])
    return [DocumentRow(d, statuses[d.id]) for d in docs]
