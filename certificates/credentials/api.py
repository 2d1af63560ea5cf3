"""`GET /api/v1/documents/<id>/credentials`: the Open Badges credentials of a certificate."""

from __future__ import annotations

from flask import url_for

from certificates.credentials import services
from certificates.credentials.jwt import credential_of
from certificates.credentials.schemas import CredentialSchema
from certificates.models import IssuedDocument
from certificates.permissions import can_view_credentials
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.security import login_required
from lms.web import acting_user, get_or_404


@api.get("/documents/<int:document_id>/credentials")
@login_required
@endpoint(response=CredentialSchema, many=True, summary="A document's Open Badges credentials")
def documents_credentials(document_id: int):
    doc = get_or_404(IssuedDocument, document_id, visible=can_view_credentials)
    out = []
    for row in services.credentials_of(acting_user(), doc):
        credential = credential_of(row.token)
        achievement = credential["credentialSubject"]["achievement"]
        out.append(
            {
                "id": row.id,
                "credential_id": row.credential_id,
                "competence": {
                    "id": row.competence_id,
                    "code": achievement["alignment"][0]["targetCode"],
                    "name": achievement["name"],
                },
                "status_index": row.status_index,
                "issued_at": row.issued_at,
                "jwt": row.token,
                "credential": credential,
                "download_url": url_for(
                    "credentials.credential_download",
                    document_id=doc.id,
                    credential_id=row.id,
                    _external=False,
                ),
            }
        )
    return out
