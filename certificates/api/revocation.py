"""Revoking and reissuing an issued document in the API (coordinators and admins):
POST /api/v1/documents/<id>/revoke {"reason"} and POST /api/v1/documents/<id>/reissue {"note"}."""

from __future__ import annotations

from certificates.models import IssuedDocument
from certificates.permissions import can_reissue_document, can_revoke_document
from certificates.services import revocation
from certificates.verification.schemas import (
    DocumentStateSchema,
    ReissueInSchema,
    RevokeInSchema,
)
from certificates.verification.services import verification_of
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db
from lms.mail.services import absolute_url
from lms.security import login_required
from lms.web import acting_user, get_or_404


def _state(document: IssuedDocument) -> dict:
    v = verification_of(document)
    return {
        "id": document.id,
        "kind": document.kind,
        "code": document.code,
        "status": v.status,
        "issued_on": document.issued_on,
        "sha256": document.sha256,
        "dossier_id": document.dossier_id,
        "supersedes": v.supersedes,
        "superseded_by": v.superseded_by,
        "revoked_on": v.revoked_on,
        "revocation_reason": v.revocation_reason,
        "verification_url": absolute_url("verification.document", code=document.code),
    }


@api.post("/documents/<int:document_id>/revoke")
@login_required
@endpoint(body=RevokeInSchema, response=DocumentStateSchema, summary="Revoke a document")
def documents_revoke(document_id: int, data):
    document = get_or_404(IssuedDocument, document_id, visible=can_revoke_document)
    revocation.revoke(acting_user(), document, reason=data["reason"])
    db.session.commit()
    return _state(document)


@api.post("/documents/<int:document_id>/reissue")
@login_required
@endpoint(
    body=ReissueInSchema,
    response=DocumentStateSchema,
    status=201,
    summary="Reissue a document after a correction (the new document supersedes it)",
)
def documents_reissue(document_id: int, data):
    document = get_or_404(IssuedDocument, document_id, visible=can_reissue_document)
    new = revocation.reissue(acting_user(), document, note=data["note"])
    db.session.commit()
    return _state(new)
