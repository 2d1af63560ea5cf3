"""Reissuing a document after a correction: a new document of the same kind and dossier, with
its own code, that supersedes the old one; audited, notified; refused when revoked, already
superseded, without a note or by anyone but coordinators and admins."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from certificates.models import DocumentKind, DocumentStatus, DossierState, IssuedDocument
from certificates.services import issuing, revocation
from certificates.verification.services import verification_of
from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import Conflict, Forbidden, ValidationFailed
from lms.files.services import read_bytes
from lms.notifications.models import Notification

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
LATER = dt.datetime(2026, 12, 1, 11, 0, tzinfo=dt.UTC)
NOTE = "Corretto il luogo di nascita della persona."


@pytest.fixture
def issued(app, make):
    """A decided dossier, issued: certificate, dossier and verbale."""
    dossier = make.dossier(state=DossierState.DECIDED)
    coordinator = make.coordinator()
    docs = issuing.issue_dossier(
        coordinator, dossier, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
    )
    db.session.commit()
    return coordinator, dossier, docs


def test_a_reissue_supersedes_the_old_document_and_links_both_ways(issued):
    coordinator, dossier, (cert, *_rest) = issued
    new = revocation.reissue(coordinator, cert, note=f" {NOTE} ", now=LATER)
    db.session.commit()
    assert new.kind == cert.kind and new.dossier_id == dossier.id
    assert new.supersedes_id == cert.id and new.code != cert.code
    assert new.correction_note == NOTE and new.issued_on == dt.date(2026, 12, 1)
    assert read_bytes(new.file).startswith(b"%PDF") and new.sha256 != cert.sha256
    assert revocation.status_of(cert) == DocumentStatus.SUPERSEDED
    assert revocation.status_of(new) == DocumentStatus.VALID
    old_v, new_v = verification_of(cert), verification_of(new)
    assert old_v.superseded_by == new.code and new_v.supersedes == cert.code
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "document.reissued"))
    assert entry.object_id == str(cert.id) and entry.reason == NOTE
    assert entry.before["status"] == "valid"
    assert entry.after["status"] == "superseded" and entry.after["superseded_by"] == new.code
    notice = db.session.scalar(
        select(Notification).where(
            Notification.user_id == dossier.candidate_id, Notification.kind == "document.reissued"
        )
    )
    assert notice.params["code"] == new.code and notice.params["old"] == cert.code


def test_a_superseded_or_revoked_document_is_not_reissued(issued):
    coordinator, _dossier, (cert, _full, verbale) = issued
    revocation.reissue(coordinator, cert, note=NOTE, now=LATER)
    with pytest.raises(Conflict):
        revocation.reissue(coordinator, cert, note=NOTE, now=LATER)
    db.session.rollback()
    revocation.revoke(coordinator, verbale, reason="Verbale firmato per errore.", now=LATER)
    with pytest.raises(Conflict):
        revocation.reissue(coordinator, verbale, note=NOTE, now=LATER)
    db.session.rollback()


def test_only_coordinators_reissue_and_a_note_is_required(issued, make):
    coordinator, dossier, (cert, *_rest) = issued
    for user in (db.session.get(User, dossier.candidate_id), make.user()):
        with pytest.raises(Forbidden):
            revocation.reissue(user, cert, note=NOTE, now=LATER)
    with pytest.raises(ValidationFailed) as err:
        revocation.reissue(coordinator, cert, note="  ", now=LATER)
    assert "note" in err.value.fields
    db.session.rollback()
    count = db.session.scalar(select(db.func.count(IssuedDocument.id)))
    assert count == 3
