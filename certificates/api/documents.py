"""Issued documents in the API: the caller's list, one document's PDF, issuing a decided
dossier (the certificate or validation document, the dossier and the verbale) and the
transparency document of a dossier in identification."""

from __future__ import annotations

from flask import url_for

from certificates.models import DocumentKind, IssuedDocument
from certificates.permissions import (
    can_issue_course_dossiers,
    can_issue_dossier,
    can_list_documents,
)
from certificates.schemas import DocumentSchema, IssueInSchema
from certificates.services import batch_issuing, issuing
from certificates.services import documents as services
from certificates.views.common import dossier_or_404
from certificates.views.documents import document_or_404
from courses.models import Course
from lms.api import blueprint as api
from lms.api.io import endpoint
from lms.db import db, utcnow
from lms.files.http import send_stored
from lms.jobs.api import JobSchema
from lms.permissions import require
from lms.security import allowed_if, login_required
from lms.web import acting_user, get_or_404


def _row(doc: IssuedDocument, status) -> dict:
    return {
        "id": doc.id,
        "kind": doc.kind.value,
        "code": doc.code,
        "status": status.value,
        "sha256": doc.sha256,
        "issued_on": doc.issued_on,
        "dossier_id": doc.dossier_id,
        "supersedes_id": doc.supersedes_id,
        "download_url": url_for("api.documents_pdf", document_id=doc.id),
        "page_url": url_for("certificates.document_pdf", document_id=doc.id),
        "verification_url": issuing.verification_url(doc.code),
        "credentials_url": url_for("api.documents_credentials", document_id=doc.id)
        if doc.kind in issuing.CERTIFICATE_KINDS
        else None,
    }


def _rows(docs: list[IssuedDocument]) -> list[dict]:
    statuses = services.status_of_many([d.id for d in docs])
    return [_row(d, statuses[d.id]) for d in docs]


@api.get("/documents")
@allowed_if(can_list_documents)
@endpoint(
    response=DocumentSchema, paginated=True, summary="The issued documents the caller may see"
)
def documents_list():
    return [_row(r.document, r.status) for r in services.document_rows(acting_user())]


@api.get("/documents/<int:document_id>/pdf")
@login_required
@endpoint(binary="application/pdf", summary="The issued PDF, byte for byte as issued")
def documents_pdf(document_id: int):
    doc = document_or_404(document_id)
    return send_stored(doc.file)


@api.post("/dossiers/<int:dossier_id>/issue")
@login_required
@endpoint(
    body=IssueInSchema,
    response=DocumentSchema,
    many=True,
    status=201,
    summary="Issue a decided dossier: certificate or validation document, dossier, verbale",
)
def dossiers_issue(dossier_id: int, data):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_issue_dossier(me, d))  # before the body is read: 403, not 422, for others
    docs = issuing.issue_dossier(
        me, d, certificate_kind=DocumentKind(data["certificate_kind"]), now=utcnow()
    )
    db.session.commit()
    return _rows(docs)


@api.post("/dossiers/<int:dossier_id>/transparency")
@login_required
@endpoint(response=DocumentSchema, status=201, summary="The transparency document (identification)")
def dossiers_transparency(dossier_id: int):
    d = dossier_or_404(dossier_id)
    doc = issuing.issue_transparency(acting_user(), d, now=utcnow())
    db.session.commit()
    return _rows([doc])[0]


@api.post("/courses/<int:course_id>/issue")
@allowed_if(can_issue_course_dossiers)
@endpoint(
    body=IssueInSchema,
    response=JobSchema,
    status=202,
    summary="Issue every decided dossier of a course in the background (a job to follow)",
)
def courses_issue(course_id: int, data):
    course = get_or_404(Course, course_id)
    job = batch_issuing.start(
        acting_user(), course, certificate_kind=DocumentKind(data["certificate_kind"])
    )
    db.session.commit()
    return job
