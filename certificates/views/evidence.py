"""Evidence pages: add, edit and remove a piece of evidence with its files and links; the
training records added in one click; an expert's observation of a direct test."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from certificates import bp
from certificates.forms import EvidenceForm, ObservationForm
from certificates.models import EvidenceKind, EvidenceType, EvidenceValue
from certificates.permissions import can_record_observation, can_work_on_evidence
from certificates.services import evidence as services
from certificates.services import records
from certificates.services.evidence import EvidenceInput, ObservationInput
from certificates.services.snapshots import evidence_documents
from certificates.views.common import (
    competence_groups,
    dossier_or_404,
    evidence_or_404,
    links_from_form,
)
from lms.db import db
from lms.errors import StaleEdit, ValidationFailed
from lms.permissions import require
from lms.security import login_required
from lms.standards.picker import groups_of
from lms.validation import ascii_number
from lms.web import acting_user, apply_field_errors


def _back(d, anchor="evidenze"):
    return redirect(url_for("certificates.dossier", dossier_id=d.id, _anchor=anchor), 303)


def _uploads() -> list[tuple[str, bytes]]:
    return [
        (f.filename or "", f.read())
        for f in request.files.getlist("files")
        if f and (f.filename or "").strip()
    ]


def _input(form, links) -> EvidenceInput:
    return EvidenceInput(
        kind=EvidenceKind(form.kind.data),
        type=EvidenceType(form.type.data),
        value=EvidenceValue(form.value.data),
        title=form.title.data or "",
        description=form.description.data or "",
        date=form.date.data,
        issuer=form.issuer.data or "",
        links=links,
    )


def _files_of(d, evidence) -> list[dict]:
    if evidence is None:
        return []
    documents, _n = evidence_documents(acting_user(), d)
    return next((x["files"] for x in documents if x["id"] == evidence.id), [])


def _render(d, form, links, evidence=None, status=200, version=None, link_errors=()):
    return render_template(
        "certificates/evidence_form.html",
        d=d,
        form=form,
        evidence=evidence,
        files=_files_of(d, evidence),
        groups=groups_of(competence_groups(d)),
        links=dict(links),
        link_errors=link_errors,
        version=version,
    ), status


def _refused(form, err: ValidationFailed) -> list[str]:
    """Put the service's field messages on the form; the links' own come back for the picker."""
    if not apply_field_errors(form, err):
        flash(err.message, "danger")
    return list(err.fields.get("links", []))


@bp.route("/dossier/<int:dossier_id>/evidenze/nuova", methods=["GET", "POST"])
@login_required
def new_evidence(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_work_on_evidence(me, d))
    form = EvidenceForm()
    links = links_from_form(request.form) if request.method == "POST" else []
    if not form.validate_on_submit():
        return _render(d, form, links, status=422 if request.method == "POST" else 200)
    try:
        services.add_evidence(me, d, _input(form, links), _uploads())
    except ValidationFailed as err:
        db.session.rollback()
        return _render(d, form, links, status=422, link_errors=_refused(form, err))
    db.session.commit()
    flash(_("The evidence is added."), "success")
    return _back(d)


@bp.route("/dossier/<int:dossier_id>/evidenze/<int:evidence_id>", methods=["GET", "POST"])
@login_required
def edit_evidence(dossier_id: int, evidence_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_work_on_evidence(me, d))
    evidence = evidence_or_404(d, evidence_id)
    if request.method == "GET":
        form = EvidenceForm(
            data={
                "kind": evidence.kind.value,
                "type": evidence.type.value,
                "value": evidence.value.value,
                "title": evidence.title,
                "description": evidence.description,
                "date": evidence.date,
                "issuer": evidence.issuer,
            }
        )
        documents, _n = evidence_documents(me, d)
        doc = next((x for x in documents if x["id"] == evidence.id), {"links": []})
        links = [(lk["item_id"], lk["note"]) for lk in doc["links"]]
        return _render(d, form, links, evidence, version=evidence.version_id)
    form = EvidenceForm()
    links = links_from_form(request.form)
    seen = request.form.get("version", "")
    if not form.validate():
        return _render(d, form, links, evidence, 422, seen)
    try:
        services.edit_evidence(me, evidence, _input(form, links), seen_version=ascii_number(seen))
        for name, content in _uploads():
            services.attach_file(me, evidence, name, content)
    except ValidationFailed as err:
        db.session.rollback()
        return _render(d, form, links, evidence, 422, seen, _refused(form, err))
    except StaleEdit as err:
        db.session.rollback()
        flash(err.message, "danger")
        evidence = evidence_or_404(d, evidence_id)
        return _render(d, form, links, evidence, 409, evidence.version_id)
    db.session.commit()
    flash(_("The evidence is saved."), "success")
    return _back(d)


@bp.post("/dossier/<int:dossier_id>/evidenze/<int:evidence_id>/elimina")
@login_required
def remove_evidence(dossier_id: int, evidence_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_work_on_evidence(me, d))
    services.remove_evidence(me, evidence_or_404(d, evidence_id))
    db.session.commit()
    flash(_("The evidence is removed."), "success")
    return _back(d)


@bp.route(
    "/dossier/<int:dossier_id>/evidenze/<int:evidence_id>/file/<int:file_id>/elimina",
    methods=["GET", "POST"],
)
@login_required
def remove_evidence_file(dossier_id: int, evidence_id: int, file_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_work_on_evidence(me, d))
    evidence = evidence_or_404(d, evidence_id)
    stored = services.evidence_file(me, evidence, file_id)
    if request.method == "GET":
        return render_template(
            "certificates/remove_file.html", d=d, evidence=evidence, stored=stored
        )
    services.remove_file(me, evidence, stored.id)
    db.session.commit()
    flash(
        _("The file %(name)s is removed from the evidence.", name=stored.original_name), "success"
    )
    return redirect(
        url_for("certificates.edit_evidence", dossier_id=d.id, evidence_id=evidence.id), 303
    )


@bp.post("/dossier/<int:dossier_id>/evidenze/presenze")
@login_required
def add_attendance(dossier_id: int):
    d = dossier_or_404(dossier_id)
    records.add_attendance_summary(acting_user(), d)
    db.session.commit()
    flash(_("The attendance summary is added as second-party evidence."), "success")
    return _back(d)


@bp.post("/dossier/<int:dossier_id>/evidenze/risultati")
@login_required
def add_results(dossier_id: int):
    d = dossier_or_404(dossier_id)
    added = records.add_assessment_results(acting_user(), d)
    db.session.commit()
    if added:
        flash(
            ngettext(
                "%(num)d assessment result added as second-party evidence.",
                "%(num)d assessment results added as second-party evidence.",
                len(added),
            ),
            "success",
        )
    else:
        flash(_("No new released assessment result bears on the dossier's competences."), "info")
    return _back(d)


@bp.route("/dossier/<int:dossier_id>/osservazioni/nuova", methods=["GET", "POST"])
@login_required
def new_observation(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_record_observation(me, d))
    form = ObservationForm()
    links = links_from_form(request.form) if request.method == "POST" else []

    def render(status, link_errors=()):
        return render_template(
            "certificates/observation.html",
            d=d,
            form=form,
            groups=groups_of(competence_groups(d)),
            links=dict(links),
            link_errors=link_errors,
        ), status

    if not form.validate_on_submit():
        return render(422 if request.method == "POST" else 200)
    try:
        services.record_observation(
            me,
            d,
            ObservationInput(
                title=form.title.data,
                description=form.description.data,
                date=form.date.data,
                type=EvidenceType(form.type.data),
                links=links,
            ),
        )
    except ValidationFailed as err:
        db.session.rollback()
        return render(422, _refused(form, err))
    db.session.commit()
    flash(_("The observation is recorded."), "success")
    return _back(d)
