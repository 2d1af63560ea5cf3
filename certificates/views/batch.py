"""Issuing every decided dossier of a course at once: a confirmation page, then the job."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from certificates import bp
from certificates.models import DOCUMENT_KIND_LABELS, DocumentKind
from certificates.permissions import can_issue_course_dossiers
from certificates.services import batch_issuing
from certificates.services.issuing import CERTIFICATE_KINDS
from courses.models import Course
from lms.db import db
from lms.errors import ValidationFailed
from lms.security import allowed_if
from lms.web import acting_user, get_or_404


@bp.route("/percorsi/<int:course_id>/dossier/emissione", methods=["GET", "POST"])
@allowed_if(can_issue_course_dossiers)
def issue_course_dossiers(course_id: int):
    course = get_or_404(Course, course_id)
    me = acting_user()
    rows = batch_issuing.decided_dossiers(me, course)
    kinds = [(k.value, DOCUMENT_KIND_LABELS[k]) for k in CERTIFICATE_KINDS]
    chosen = request.form.get("certificate_kind", DocumentKind.CERTIFICATE.value)
    error = None
    if request.method == "POST":
        try:
            kind = DocumentKind(chosen)
        except ValueError:
            kind = None
        try:
            job = batch_issuing.start(me, course, certificate_kind=kind)
        except ValidationFailed as err:
            db.session.rollback()
            error = err.message
        else:
            db.session.commit()
            flash(_("Issuing has started: this page shows how it proceeds."), "success")
            return redirect(url_for("jobs.detail", job_id=job.id), 303)
    return render_template(
        "certificates/issue_course.html",
        course=course,
        rows=rows,
        kinds=kinds,
        chosen=chosen,
        error=error,
    ), (422 if error else 200)
