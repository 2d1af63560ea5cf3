"""Public verification in the API: GET /api/v1/verify/<code> and POST /api/v1/verify/<code>/file
(multipart, the PDF to compare). No login; the same rate limit as the pages."""

from __future__ import annotations

from dataclasses import asdict

from flask import request

from certificates.verification import services
from certificates.verification.schemas import FileCheckSchema, VerificationSchema
from certificates.verification.views import document_or_404, limited
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.errors import ValidationFailed
from lms.mail.services import absolute_url
from lms.security import public


def _link(code: str | None) -> dict | None:
    if code is None:
        return None
    return {"code": code, "url": absolute_url("verification.document", code=code)}


def answer(v: services.Verification) -> dict:
    """The JSON answer about one document (also used by the tests of the page's content)."""
    p = v.profile
    return {
        "code": v.code,
        "kind": v.kind,
        "kind_label": v.kind_label,
        "description": v.description,
        "status": v.status,
        "holder": v.holder,
        "competences": v.competences,
        "framework": {
            "code": v.framework.code,
            "title": v.framework.title,
            "issuer": v.framework.issuer,
            "version": v.framework.version,
            "legal_act": v.framework.legal_act,
            "illustrative": v.framework.illustrative,
            "qualification": p,
        },
        "issuer": asdict(v.issuer),
        "issued_on": v.issued_on,
        "sha256": v.sha256,
        "superseded_by": _link(v.superseded_by),
        "supersedes": _link(v.supersedes),
        "revoked_on": v.revoked_on,
        "revocation_reason": v.revocation_reason,
        "verification_url": absolute_url("verification.document", code=v.code),
    }


@api.get("/verify/<code>")
@public
@limited
@endpoint(response=VerificationSchema, summary="Verify an issued document by its code (public)")
def verify_get(code: str):
    return answer(services.verification_of(document_or_404(code)[1]))


@api.post("/verify/<code>/file")
@public
@limited
@endpoint(
    response=FileCheckSchema,
    multipart={"file": "The PDF to compare with the issued one (hashed in memory, not kept)"},
    summary="Whether a file is byte for byte the issued document (public)",
)
def verify_file(code: str):
    _code, document = document_or_404(code)
    upload = request.files.get("file")
    if upload is None:
        raise ValidationFailed(fields={"file": [services.missing_file_message()]})
    sha = services.hash_upload(upload.stream)
    return {"matches": services.matches(document, sha), "sha256": sha}
