"""Revoking an issued document: only coordinators and admins, a reason required, once only,
audited, the holder notified; the dossier becomes revoked when nothing certifies any more."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from certificates.models import (
    DocumentKind,
    DocumentRevocation,
    DocumentStatus,
    Dossier,
    DossierState,
    IssuedCredential,
)
from certificates.services import revocation
from lms.accounts.models import Role, User
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import Conflict, Forbidden, ValidationFailed
from lms.notifications.models import Notification

NOW = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)
REASON = "Il documento riporta una competenza non validata per errore."


def _issued(dossier: Dossier) -> None:
    """The dossier as the issuing leaves it (issued), for the tests of its revoked state."""
    dossier.state = DossierState.ISSUED
    db.session.commit()


def test_a_coordinator_revokes_with_a_reason_audited_and_notified(app, make):
    doc = make.issued_document()
    coordinator = make.coordinator()
    rev = revocation.revoke(coordinator, doc, reason=f"  {REASON}  ", now=NOW)
    db.session.commit()
    assert rev.reason == REASON and rev.revoked_at == NOW and rev.revoked_by_id == coordinator.id
    assert revocation.status_of(doc) == DocumentStatus.REVOKED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "document.revoked"))
    assert entry.actor_id == coordinator.id and entry.object_id == str(doc.id)
    assert entry.before["status"] == "valid" and entry.after["status"] == "revoked"
    assert entry.reason == REASON
    notice = db.session.scalar(
        select(Notification).where(
            Notification.user_id == doc.holder_id, Notification.kind == "document.revoked"
        )
    )
    assert notice is not None and notice.params["code"] == doc.code
    assert notice.link_endpoint == "verification.document"


def test_an_admin_may_revoke_too(app, make):
    doc = make.issued_document()
    revocation.revoke(make.admin(), doc, reason=REASON, now=NOW)
    assert revocation.status_of(doc) == DocumentStatus.REVOKED


@pytest.mark.parametrize("who", ["holder", "trainer", "assessor", "expert"])
def test_only_coordinators_revoke(app, make, who):
    doc = make.issued_document()
    dossier = db.session.get(Dossier, doc.dossier_id)
    user = {
        "holder": lambda: db.session.get(User, doc.holder_id),
        "trainer": lambda: make.user(Role.TRAINER),
        "assessor": lambda: make.user(Role.ASSESSOR),
        "expert": lambda: db.session.get(User, dossier.method_expert_id),
    }[who]()
    with pytest.raises(Forbidden):
        revocation.revoke(user, doc, reason=REASON, now=NOW)
    db.session.rollback()
    assert db.session.scalar(select(DocumentRevocation.id)) is None


@pytest.mark.parametrize("reason", ["", "   ", "no", None, "x" * 2001])
def test_the_reason_is_required(app, make, reason):
    doc = make.issued_document()
    with pytest.raises(ValidationFailed) as err:
        revocation.revoke(make.coordinator(), doc, reason=reason, now=NOW)
    assert "reason" in err.value.fields
    db.session.rollback()
    assert revocation.status_of(doc) == DocumentStatus.VALID


def test_revoking_twice_is_refused(app, make):
    doc = make.issued_document()
    coordinator = make.coordinator()
    revocation.revoke(coordinator, doc, reason=REASON, now=NOW)
    db.session.commit()
    with pytest.raises(Conflict):
        revocation.revoke(coordinator, doc, reason="Un secondo motivo", now=NOW)
    db.session.rollback()
    assert len(db.session.scalars(select(DocumentRevocation)).all()) == 1


def test_a_superseded_document_can_still_be_revoked(app, make):
    old = make.issued_document()
    make.issued_document(db.session.get(Dossier, old.dossier_id), supersedes=old)
    assert revocation.status_of(old) == DocumentStatus.SUPERSEDED
    revocation.revoke(make.coordinator(), old, reason=REASON, now=NOW)
    assert revocation.status_of(old) == DocumentStatus.REVOKED


def test_revoking_the_certificate_revokes_the_issued_dossier(app, make):
    cert = make.issued_document()
    dossier = db.session.get(Dossier, cert.dossier_id)
    verbale = make.issued_document(dossier, kind=DocumentKind.VERBALE)
    _issued(dossier)
    coordinator = make.coordinator()
    revocation.revoke(coordinator, verbale, reason=REASON, now=NOW)
    assert dossier.state == DossierState.ISSUED  # the verbale certifies nothing
    revocation.revoke(coordinator, cert, reason=REASON, now=NOW)
    db.session.commit()
    assert db.session.get(Dossier, dossier.id).state == DossierState.REVOKED
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "dossier.revoked"))
    assert entry.before == {"state": "issued"} and entry.after == {"state": "revoked"}


def test_a_reissued_certificate_keeps_the_dossier_issued_until_the_new_one_is_revoked(app, make):
    old = make.issued_document()
    dossier = db.session.get(Dossier, old.dossier_id)
    new = make.issued_document(dossier, supersedes=old)
    _issued(dossier)
    coordinator = make.coordinator()
    revocation.revoke(coordinator, old, reason=REASON, now=NOW)
    assert dossier.state == DossierState.ISSUED  # the new certificate is still valid
    revocation.revoke(coordinator, new, reason=REASON, now=NOW)
    assert dossier.state == DossierState.REVOKED


def test_a_decided_dossier_is_not_moved(app, make):
    doc = make.issued_document()
    revocation.revoke(make.coordinator(), doc, reason=REASON, now=NOW)
    assert db.session.get(Dossier, doc.dossier_id).state == DossierState.DECIDED


def test_the_credentials_status_follows_revocation_and_reissue(app, make):
    from certificates.credentials.publishing import revoked_positions
    from certificates.credentials.services import certified_competences, issue_credentials

    coordinator = make.coordinator()
    docs = []
    for _ in range(2):
        doc = make.issued_document()
        dossier = db.session.get(Dossier, doc.dossier_id)
        issue_credentials(coordinator, doc, certified_competences(dossier), now=NOW)
        docs.append(doc)
    db.session.commit()
    indexes = {
        d.id: set(
            db.session.scalars(
                select(IssuedCredential.status_index).where(IssuedCredential.document_id == d.id)
            )
        )
        for d in docs
    }
    assert revoked_positions(1) == []
    revocation.revoke(coordinator, docs[0], reason=REASON, now=NOW)
    assert set(revoked_positions(1)) == indexes[docs[0].id]
    make.issued_document(db.session.get(Dossier, docs[1].dossier_id), supersedes=docs[1])
    assert set(revoked_positions(1)) == indexes[docs[0].id] | indexes[docs[1].id]
