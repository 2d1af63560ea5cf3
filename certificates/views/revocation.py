"""Revoking and reissuing an issued document (coordinators): a confirmation page with the
reason (also inline on the dossier page and the documents list, certificates/_document_links.html),
then the document's public verification page, which shows the new status, or the page the
form came from (a same-site path only)."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from certificates import bp
from certificates.models import DocumentStatus, IssuedDocument
from certificates.permissions import can_reissue_document, can_revoke_document
from certificates.services import revocation
from certificates.verification.forms import ReissueForm, RevokeForm
from certificates.verification.services import verification_of
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import login_required
from lms.views import safe_next
from lms.web import acting_user, apply_field_errors, get_or_404


def _page(template: str, document: IssuedDocument, form, status: int = 200):
    v = verification_of(document)
    return render_template(template, v=v, form=form, valid=v.status == DocumentStatus.VALID), status


@bp.route("/documenti/<int:document_id>/revoca", methods=["GET", "POST"])
@login_required
def revoke_document(document_id: int):
    document = get_or_404(IssuedDocument, document_id, visible=can_revoke_document)
    form = RevokeForm()
    if form.validate_on_submit():
        try:
            revocation.revoke(acting_user(), document, reason=form.reason.data)
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            return _page("certificates/verification/revoke.html", document, form, 422)
        db.session.commit()
        flash(_("The document %(code)s is revoked.", code=document.code), "success")
        back = url_for("verification.document", code=document.code)
        return redirect(safe_next(request.form.get("next"), back), 303)
    return _page("certificates/verification/revoke.html", document, form)


@bp.route("/documenti/<int:document_id>/riemissione", methods=["GET", "POST"])
@login_required
def reissue_document(document_id: int):
    document = get_or_404(IssuedDocument, document_id, visible=can_reissue_document)
    form = ReissueForm()
    if form.validate_on_submit():
        try:
            new = revocation.reissue(acting_user(), document, note=form.note.data)
        except ValidationFailed as err:
            db.session.rollback()
            if not apply_field_errors(form, err):
                flash(err.message, "danger")
            return _page("certificates/verification/reissue.html", document, form, 422)
        db.session.commit()
        flash(_("The corrected document %(code)s is issued.", code=new.code), "success")
        back = url_for("verification.document", code=new.code)
        return redirect(safe_next(request.form.get("next"), back), 303)
    return _page("certificates/verification/reissue.html", document, form)
