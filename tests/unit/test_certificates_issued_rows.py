"""Issued documents, revocations and credentials are written once: the ORM and the database
refuse every change and every deletion."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from certificates.models import AppendOnly, DocumentRevocation, IssuedDocument
from lms.db import db
from lms.files.services import read_bytes


def test_the_factory_stores_a_real_pdf_with_its_hash(app, make):
    doc = make.issued_document()
    data = read_bytes(doc.file)
    assert data.startswith(b"%PDF")
    assert doc.sha256 == doc.file.sha256
    assert len(doc.code) == 19


def test_the_orm_refuses_changes(app, make):
    doc = make.issued_document()
    doc.code = "AAAA-AAAA-AAAA-AAAA"
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()
    doc = db.session.get(IssuedDocument, doc.id)
    db.session.delete(doc)
    with pytest.raises(AppendOnly):
        db.session.flush()
    db.session.rollback()


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE issued_documents SET sha256 = :bad WHERE id = :id",
        "DELETE FROM issued_documents WHERE id = :id",
        "UPDATE document_revocations SET reason = 'altro' WHERE document_id = :id",
        "DELETE FROM document_revocations WHERE document_id = :id",
    ],
)
def test_the_database_refuses_changes(app, make, statement):
    doc = make.issued_document()
    db.session.add(
        DocumentRevocation(
            document_id=doc.id, reason="Errore nei dati", revoked_by_id=doc.issued_by_id
        )
    )
    db.session.commit()
    with pytest.raises(DatabaseError):
        db.session.execute(text(statement), {"id": doc.id, "bad": "0" * 64})
        db.session.flush()
    db.session.rollback()
    assert db.session.get(IssuedDocument, doc.id).sha256 == doc.sha256
