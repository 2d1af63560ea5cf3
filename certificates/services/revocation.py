"""Revoking an issued document, and reissuing it after a correction.

Nothing about an issued document is ever changed: a revocation is a row of its own
(`DocumentRevocation`, one per document), and a reissue is a new document of the same kind
whose `supersedes_id` names the old one. The status of each document (valid, revoked,
superseded) is derived from those rows, so the verification pages, the holder's list and the
credentials' status list all follow without anything else being written.

The dossier's state: revoking its certificate (or validation document) moves an issued dossier
to "revoked" when no certifying document of the dossier is left valid or replaced by a valid
one, i.e. when every certificate of the dossier's issuing chain is revoked. The certification
dossier and the verbale only record the process: revoking one of them (say, to correct it
through a new issue) does not withdraw the certification, so the dossier stays issued.
"""

from __future__ import annotations

import datetime as dt

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import exists, select
from sqlalchemy.orm import aliased

from certificates.models import (
    DocumentKind,
    DocumentRevocation,
    DocumentStatus,
    Dossier,
    DossierState,
    IssuedDocument,
)
from certificates.permissions import can_reissue_document, can_revoke_document
from certificates.services.documents import document_status
from certificates.services.notify import after_reissue, after_revocation
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db, flush_versioned, on_violation, utcnow
from lms.errors import Conflict
from lms.permissions import require, require_actor
from lms.validation import required_reason

CERTIFYING_KINDS = (DocumentKind.CERTIFICATE, DocumentKind.VALIDATION)
REASON_MAX = 2000

# Two coordinators revoking the same document at once: the second is told, not a 500.
on_violation(
    "uq_document_revocations_document_id",
    lambda: Conflict(str(_l("This document is already revoked."))),
)


def status_of(document: IssuedDocument) -> DocumentStatus:
    """The document's derived status (the issuing reads' one rule)."""
    return document_status(document)


def _audit_view(document: IssuedDocument, status: DocumentStatus) -> dict:
    return {"code": document.code, "kind": document.kind.value, "status": status.value}


def revoke(
    actor: User, document: IssuedDocument, *, reason: str, now: dt.datetime | None = None
) -> DocumentRevocation:
    """Revoke an issued document with a reason (required): audited, the holder notified;
    a document is revoked only once."""
    require_actor(actor)
    require(can_revoke_document(actor, document))
    reason = required_reason(reason, "reason", REASON_MAX)
    before = status_of(document)
    if before == DocumentStatus.REVOKED:
        raise Conflict(_("This document is already revoked."))
    now = now or utcnow()
    revocation = DocumentRevocation(
        document_id=document.id, reason=reason, revoked_at=now, revoked_by_id=actor.id
    )
    db.session.add(revocation)
    record(
        actor,
        "document.revoked",
        "issued_document",
        document.id,
        _audit_view(document, before),
        _audit_view(document, DocumentStatus.REVOKED),
        reason,
    )
    flush_versioned()
    _revoke_dossier_if_nothing_certifies(actor, document, reason)
    after_revocation(actor, document, reason)
    return revocation


def _revoke_dossier_if_nothing_certifies(actor, document: IssuedDocument, reason: str) -> None:
    """An issued dossier becomes revoked once none of its certifying documents is valid."""
    if document.kind not in CERTIFYING_KINDS:
        return
    dossier = db.session.get(Dossier, document.dossier_id)
    if dossier.state != DossierState.ISSUED:
        return
    successor = aliased(IssuedDocument)
    still_valid = db.session.scalar(
        select(
            exists().where(
                IssuedDocument.dossier_id == dossier.id,
                IssuedDocument.kind.in_(CERTIFYING_KINDS),
                ~exists().where(DocumentRevocation.document_id == IssuedDocument.id),
                ~exists().where(successor.supersedes_id == IssuedDocument.id),
            )
        )
    )
    if still_valid:
        return
    before = {"state": dossier.state.value}
    dossier.state = DossierState.REVOKED
    record(actor, "dossier.revoked", "dossier", dossier.id, before, {"state": "revoked"}, reason)
    flush_versioned()


def reissue(
    actor: User, document: IssuedDocument, *, note: str, now: dt.datetime | None = None
) -> IssuedDocument:
    """A corrected document of the same kind for the same dossier, with its own new code,
    that supersedes the old one (which is never touched); audited, the holder notified.
    A revoked or already superseded document is not reissued."""
    require_actor(actor)
    require(can_reissue_document(actor, document))
    note = required_reason(note, "note", REASON_MAX)
    before = status_of(document)
    if before == DocumentStatus.REVOKED:
        raise Conflict(_("A revoked document cannot be reissued."))
    if before == DocumentStatus.SUPERSEDED:
        raise Conflict(_("This document was already reissued: reissue the newest one."))
    now = now or utcnow()
    dossier = db.session.get(Dossier, document.dossier_id)
    from certificates.services import issuing  # the issuing pipeline: render, sign, store

    new = issuing.issue_document(
        actor, dossier, document.kind, now=now, supersedes=document, correction_note=note
    )
    record(
        actor,
        "document.reissued",
        "issued_document",
        document.id,
        _audit_view(document, before),
        {**_audit_view(document, DocumentStatus.SUPERSEDED), "superseded_by": new.code},
        note,
    )
    flush_versioned()
    after_reissue(actor, document, new)
    return new
