"""Dossiers in the API: the caller's list, one dossier, its matrix, adding evidence (multipart
with files) and removing one of its files, transitions, the caller's own decision on a competence, an evidence file."""

from __future__ import annotations

from types import SimpleNamespace

from flask import request

from certificates.models import (
    AssessmentMethod,
    DecisionOutcome,
    DossierState,
    EvidenceKind,
    EvidenceType,
    EvidenceValue,
)
from certificates.permissions import (
    can_list_dossiers,
    can_record_decision,
    can_view_decisions,
    can_work_on_evidence,
)
from certificates.schemas import (
    DecisionInSchema,
    DecisionSchema,
    DossierDetailSchema,
    DossierRowSchema,
    EvidenceFormSchema,
    EvidenceSchema,
    MatrixSchema,
    TransitionInSchema,
)
from certificates.services import decisions as decision_services
from certificates.services import dossiers as services
from certificates.services import evidence as evidence_services
from certificates.services import reads
from certificates.services.common import target_competence_ids
from certificates.services.decisions import DecisionInput
from certificates.services.evidence import EvidenceInput
from certificates.services.matrix import matrix as build_matrix
from certificates.services.snapshots import dossier_file, evidence_documents
from certificates.views.common import dossier_or_404, evidence_or_404
from lms.api import blueprint as api
from lms.api.io import endpoint, load
from lms.api.pagination import CutInSql
from lms.db import db
from lms.errors import ValidationFailed
from lms.files.http import send_stored
from lms.permissions import require
from lms.security import allowed_if, login_required
from lms.standards.models import Profile
from lms.validation import ascii_number
from lms.web import acting_user, require_visible

EVIDENCE_MULTIPART = {
    "kind": "document, work_experience, witness_statement or self_declaration",
    "type": "result or process",
    "value": "first, second or third (party)",
    "title": "The evidence's title",
    "description": "A description (optional)",
    "date": "Its date, YYYY-MM-DD (optional)",
    "issuer": "Who issued it, or its source (optional)",
    "link": "A framework item id it supports, optionally followed by '|' and a note (repeatable)",
    "files": "A file to attach (repeatable; PDF, ODT, DOCX, JPEG, PNG)",
}


def _detail(d):
    me = acting_user()
    people = reads.dossier_people(me, d)
    statuses = decision_services.decisions_of(me, d) if can_view_decisions(me, d) else None
    return SimpleNamespace(
        dossier=d,
        profile=db.session.get(Profile, d.profile_id),
        waiting=None,
        competence_ids=target_competence_ids(d),
        available_transitions=services.available_transitions(me, d),
        comments=services.comments_of(me, d),
        decisions=statuses,
        **people,
    )


@api.get("/dossiers")
@allowed_if(can_list_dossiers)
@endpoint(response=DossierRowSchema, paginated=True, summary="The dossiers the caller may see")
def dossiers_list():
    me = acting_user()
    total, _waiting = reads.worklist_counts(me)
    return CutInSql(total, lambda limit, offset: reads.worklist(me, limit=limit, offset=offset))


@api.get("/dossiers/<int:dossier_id>")
@login_required
@endpoint(response=DossierDetailSchema, summary="One dossier")
def dossiers_get(dossier_id: int):
    return _detail(dossier_or_404(dossier_id))


@api.get("/dossiers/<int:dossier_id>/matrix")
@login_required
@endpoint(response=MatrixSchema, summary="The dossier's evidence matrix")
def dossiers_matrix(dossier_id: int):
    return build_matrix(acting_user(), dossier_or_404(dossier_id))


def _form() -> dict:
    out: dict = {}
    for key in request.form:
        values = [v for v in request.form.getlist(key) if v != ""]
        if key == "link":
            out[key] = values
        elif values:
            out[key] = values[-1]
    return out


def _links(raw: list[str]) -> list[tuple[int, str]]:
    out = []
    for value in raw:
        ident, _sep, note = value.partition("|")
        item_id = ascii_number(ident)
        if item_id is None:
            raise ValidationFailed(fields={"link": ["Framework item ids are whole numbers."]})
        out.append((item_id, note.strip()))
    return out


@api.post("/dossiers/<int:dossier_id>/evidence")
@login_required
@endpoint(
    response=EvidenceSchema,
    status=201,
    multipart=EVIDENCE_MULTIPART,
    summary="Add evidence with its links and files (multipart/form-data)",
)
def dossiers_add_evidence(dossier_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_work_on_evidence(me, d))
    data = load(EvidenceFormSchema(), _form())
    evidence = evidence_services.add_evidence(
        me,
        d,
        EvidenceInput(
            kind=EvidenceKind(data["kind"]),
            type=EvidenceType(data["type"]),
            value=EvidenceValue(data["value"]),
            title=data["title"],
            description=data["description"],
            date=data["date"],
            issuer=data["issuer"],
            links=_links(data["link"]),
        ),
        [
            (f.filename or "", f.read())
            for f in request.files.getlist("files")
            if f and (f.filename or "").strip()
        ],
    )
    db.session.commit()
    documents, _n = evidence_documents(me, d)
    return next(x for x in documents if x["id"] == evidence.id)


@api.delete("/dossiers/<int:dossier_id>/evidence/<int:evidence_id>/files/<int:file_id>")
@login_required
@endpoint(response=EvidenceSchema, summary="Remove one file from a piece of evidence")
def dossiers_remove_evidence_file(dossier_id: int, evidence_id: int, file_id: int):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_work_on_evidence(me, d))
    evidence = evidence_or_404(d, evidence_id)
    evidence_services.remove_file(me, evidence, file_id)
    db.session.commit()
    documents, _n = evidence_documents(me, d)
    return next(x for x in documents if x["id"] == evidence_id)


@api.post("/dossiers/<int:dossier_id>/transitions")
@login_required
@endpoint(body=TransitionInSchema, response=DossierDetailSchema, summary="Change the state")
def dossiers_transition(dossier_id: int, data):
    d = dossier_or_404(dossier_id)
    services.transition(acting_user(), d, DossierState(data["to"]), comment=data["comment"])
    db.session.commit()
    return _detail(d)


@api.put("/dossiers/<int:dossier_id>/decisions/<int:competence_id>")
@login_required
@endpoint(body=DecisionInSchema, response=DecisionSchema, summary="The caller's own decision")
def dossiers_put_decision(dossier_id: int, competence_id: int, data):
    d = dossier_or_404(dossier_id)
    me = acting_user()
    require(can_record_decision(me, d))
    require_visible(competence_id in target_competence_ids(d))
    decision = decision_services.record_decision(
        me,
        d,
        competence_id,
        DecisionInput(
            outcome=DecisionOutcome(data["outcome"]),
            method=AssessmentMethod(data["method"]),
            reasons=data["reasons"],
            test_date=data["test_date"],
            test_result=data["test_result"],
        ),
        seen_version=data["version"],
    )
    db.session.commit()
    return decision


@api.get("/dossiers/<int:dossier_id>/files/<int:file_id>")
@login_required
@endpoint(binary="application/octet-stream", summary="An evidence file, as an attachment")
def dossiers_file(dossier_id: int, file_id: int):
    d = dossier_or_404(dossier_id)
    return send_stored(dossier_file(acting_user(), d, file_id))
