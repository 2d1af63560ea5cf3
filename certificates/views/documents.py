"""Issued documents in the pages: the coordinator's "Emetti" on a decided dossier, the
transparency document on request, the holder's "I miei documenti" and the downloads (the
stored bytes, the same file every time)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from certificates import bp
from certificates.models import DOCUMENT_KIND_LABELS, DocumentKind, IssuedDocument
from certificates.permissions import can_issue_dossier, can_list_documents, can_view_document
from certificates.services import documents as services
from certificates.services import issuing
from certificates.services.decisions import competence_statuses
from certificates.views.common import dossier_or_404
from lms.db import db, utcnow
from lms.errors import Conflict
from lms.files.http import send_stored
from lms.permissions import require
from lms.security import allowed_if, login_required
from lms.web import acting_user, get_or_404

CHOICES = (DocumentKind.CERTIFICATE, DocumentKind.VALIDATION)


def document_or_404(document_id: int) -> IssuedDocument:
    """An issued document the user may see; 404 otherwise."""
    return get_or_404(IssuedDocument, document_id, visible=can_view_document)


@bp.route("/dossier/<int:dossier_id>/emetti", methods=["GET", "POST"])
@login_required
def issue(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_issue_dossier(me, d))
    errors: dict[str, str] = {}
    chosen = request.form.get("certificate_kind", "")
    status = 200
    if request.method == "POST":
        if chosen not in {k.value for k in CHOICES}:
            errors["certificate_kind"] = _("Choose the certificate or the validation document.")
        if request.form.get("confirm") != "yes":
            errors["confirm"] = _(
                "Confirm that you want to issue: issued documents cannot be changed."
            )
        if not errors:
            try:
                docs = issuing.issue_dossier(
                    me, d, certificate_kind=DocumentKind(chosen), now=utcnow()
                )
            except Conflict as err:
                db.session.rollback()
                flash(err.message, "danger")
                status = 409
            else:
                db.session.commit()
                flash(
                    _("Issued: %(n)d documents, each with its verification code.", n=len(docs)),
                    "success",
                )
                return redirect(url_for("certificates.dossier", dossier_id=d.id), 303)
        else:
            status = 422
    statuses = competence_statuses(d)
    return render_template(
        "certificates/issue.html",
        d=d,
        errors=errors,
        chosen=chosen,
        choices=[(k.value, DOCUMENT_KIND_LABELS[k]) for k in CHOICES],
        validated=sum(1 for s in statuses if s.outcome and s.outcome.value == "validated"),
        total=len(statuses),
    ), status


@bp.post("/dossier/<int:dossier_id>/trasparenza")
@login_required
def issue_transparency(dossier_id: int):
    d = dossier_or_404(dossier_id)
    issuing.issue_transparency(acting_user(), d, now=utcnow())
    db.session.commit()
    flash(_("The transparency document is issued."), "success")
    return redirect(url_for("certificates.dossier", dossier_id=d.id), 303)


@bp.get("/documenti")
@allowed_if(can_list_documents)
def my_documents():
    rows = services.document_rows(acting_user())
    return render_template(
        "certificates/documents.html",
        rows=rows,
        links={r.document.id: issuing.verification_url(r.document.code) for r in rows},
    )


@bp.get("/documenti/<int:document_id>/pdf")
@login_required
def document_pdf(document_id: int):
    return send_stored(document_or_404(document_id).file)
