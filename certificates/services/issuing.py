"""Issuing: a coordinator turns a decided dossier into its certificate (or validation
document), the complete dossier and the verbale, in one batch; the transparency document is
issued on request during identification.

Each document gets a fresh verification code, is rendered from the dossier's frozen snapshot
in an isolated process, signed (`finalise_pdf`), stored, hashed (SHA-256 of the final bytes)
and audited; the rows are append-only. Nothing is half-issued: any failure raises before the
caller commits, and the dossier stays decided.
"""

from __future__ import annotations

import datetime as dt
import uuid

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from certificates.codes import new_code
from certificates.credentials.services import (
    PreparedCredential,
    embedded_files,
    prepare_credentials,
    store_credentials,
)
from certificates.models import (
    DocumentKind,
    Dossier,
    DossierState,
    IssuedDocument,
)
from certificates.pdfs import build_context, render_document
from certificates.permissions import can_issue_dossier, can_request_transparency
from certificates.services.common import require_on, require_state
from certificates.services.decisions import competence_statuses
from certificates.services.snapshots import latest_snapshot
from certificates.services.transitions import _move
from certificates.signing import embed_files, sign_pdf
from lms.accounts.models import User
from lms.audit.services import record
from lms.db import db
from lms.errors import AlreadyIssued, Conflict
from lms.files.services import store_generated
from lms.mail.services import base_url
from lms.pdf import PdfError
from lms.standards.models import FrameworkItem
from lms.timezone import local_date

CERTIFICATE_KINDS = (DocumentKind.CERTIFICATE, DocumentKind.VALIDATION)
BATCH_KINDS = (DocumentKind.DOSSIER, DocumentKind.VERBALE)
FILE_NAMES = {
    DocumentKind.CERTIFICATE: "certificato",
    DocumentKind.VALIDATION: "documento-di-validazione",
    DocumentKind.DOSSIER: "dossier-di-certificazione",
    DocumentKind.VERBALE: "verbale",
    DocumentKind.TRANSPARENCY: "documento-di-trasparenza",
}


class RenderFailed(Conflict):
    """A document could not be rendered (time or memory limit, bad markup): nothing issued."""

    code = "render_failed"


def verification_url(code: str) -> str:
    """The public verification page of a code, on the configured base URL (LMS_BASE_URL)."""
    return f"{base_url()}/verify/{code}"


def can_print_verification() -> bool:
    """Documents print their verification address: without LMS_BASE_URL nothing is issued."""
    return bool(current_app.config.get("BASE_URL"))


def finalise_pdf(
    actor: User,
    dossier: Dossier,
    kind: DocumentKind,
    code: str,
    pdf: bytes,
    competences: list[FrameworkItem],
    now: dt.datetime,
) -> tuple[bytes, list[PreparedCredential]]:
    """The bytes to store: a certificate carries one signed Open Badges credential per
    certified competence as embedded files; every document is then signed by the training
    body (PAdES), so the signature covers the credentials. The prepared credentials are
    written once the document row exists (store_credentials)."""
    prepared: list[PreparedCredential] = []
    if kind in CERTIFICATE_KINDS:
        prepared = prepare_credentials(
            actor, dossier, kind=kind, code=code, competences=competences, now=now
        )
        pdf = embed_files(pdf, embedded_files(prepared))
    return sign_pdf(pdf, now=now), prepared


def issue_document(
    actor: User,
    dossier: Dossier,
    kind: DocumentKind,
    *,
    now: dt.datetime,
    supersedes: IssuedDocument | None = None,
    correction_note: str = "",
    batch: str | None = None,
) -> IssuedDocument:
    """Render, sign, store, hash and audit one document of the dossier (flush only)."""
    if kind == DocumentKind.TRANSPARENCY:
        require_on(actor, dossier, can_request_transparency(actor, dossier))
        require_state(dossier, DossierState.IDENTIFICATION)
    else:
        require_on(actor, dossier, can_issue_dossier(actor, dossier))
        # A reissue (with `supersedes`) replaces a document of an issued dossier.
        allowed = (DossierState.ISSUED,) if supersedes is not None else (DossierState.DECIDED,)
        require_state(dossier, *allowed)
    if supersedes is not None and supersedes.dossier_id != dossier.id:
        raise Conflict(_("A document can only be replaced by one of the same dossier."))
    if not can_print_verification():
        raise Conflict(
            _(
                "LMS_BASE_URL is not set: the verification address cannot be printed, so nothing is issued."
            )
        )
    code = new_code()
    issued_on = local_date(now)
    context = build_context(dossier, kind.value, code, issued_on, verification_url(code), now)
    competences = [b.item for b in context.validated] if kind in CERTIFICATE_KINDS else []
    if kind in CERTIFICATE_KINDS and not competences:
        raise Conflict(_("No competence was validated: there is nothing to certify."))
    try:
        pdf = render_document(kind, context)
    except PdfError as err:
        raise RenderFailed(
            _("The PDF could not be produced, so nothing was issued: try again later.")
        ) from err
    snap = latest_snapshot(dossier)
    doc = IssuedDocument(
        dossier_id=dossier.id,
        holder_id=dossier.candidate_id,
        kind=kind,
        code=code,
        issued_on=issued_on,
        issued_at=now,
        issued_by_id=actor.id,
        snapshot_id=snap.id if snap else None,
        supersedes_id=supersedes.id if supersedes is not None else None,
        issue_batch=batch or uuid.uuid4().hex,
        correction_note=correction_note or "",
    )
    pdf, prepared = finalise_pdf(actor, dossier, kind, code, pdf, competences, now)
    stored = store_generated(actor, f"{FILE_NAMES[kind]}-{code}.pdf", pdf)
    doc.file_id = stored.id
    doc.sha256 = stored.sha256
    db.session.add(doc)
    db.session.flush()
    record(
        actor,
        "document.issued",
        "issued_document",
        doc.id,
        None,
        {
            "dossier_id": dossier.id,
            "kind": kind.value,
            "code": code,
            "sha256": doc.sha256,
            "issued_on": issued_on.isoformat(),
            "issue_batch": doc.issue_batch,
            "supersedes_id": doc.supersedes_id,
        },
        correction_note or None,
    )
    if prepared:
        store_credentials(actor, doc, prepared, now=now)
    return doc


def check_issuable(actor: User, dossier: Dossier) -> None:
    """Refuse issuing twice, or before both experts signed every decided competence."""
    require_on(actor, dossier, can_issue_dossier(actor, dossier))
    already = db.session.scalar(
        select(IssuedDocument.id)
        .where(
            IssuedDocument.dossier_id == dossier.id,
            IssuedDocument.kind.in_(CERTIFICATE_KINDS),
        )
        .limit(1)
    )
    if already is not None or dossier.state in (DossierState.ISSUED, DossierState.REVOKED):
        raise AlreadyIssued(_("The documents of this dossier have already been issued."))
    require_state(dossier, DossierState.DECIDED)
    statuses = competence_statuses(dossier)
    if not statuses or not all(s.both_signed and s.decided for s in statuses):
        raise Conflict(
            _("Both experts must sign the final outcome of every competence before issuing.")
        )


def issue_dossier(
    actor: User, dossier: Dossier, *, certificate_kind: DocumentKind, now: dt.datetime
) -> list[IssuedDocument]:
    """Issue the certificate (or validation document), the dossier and the verbale in one batch
    and move the dossier to issued (flush only; a failed render raises PdfError before any
    change is committed)."""
    if certificate_kind not in CERTIFICATE_KINDS:
        raise Conflict(_("Choose a certificate or a validation document."))
    check_issuable(actor, dossier)
    batch = uuid.uuid4().hex
    documents = [
        issue_document(actor, dossier, kind, now=now, batch=batch)
        for kind in (certificate_kind, *BATCH_KINDS)
    ]
    _move(actor, dossier, DossierState.ISSUED, sources=(DossierState.DECIDED,))
    return documents


def issue_transparency(actor: User, dossier: Dossier, *, now: dt.datetime) -> IssuedDocument:
    """The Documento di trasparenza of a dossier in identification (first-party, no decision)."""
    return issue_document(actor, dossier, DocumentKind.TRANSPARENCY, now=now)


__all__ = [
    "RenderFailed",
    "check_issuable",
    "finalise_pdf",
    "issue_document",
    "issue_dossier",
    "issue_transparency",
    "verification_url",
]
