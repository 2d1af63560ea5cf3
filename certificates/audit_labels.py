"""How the audited actions of certificates read: dossiers, evidence, decisions, documents."""

from __future__ import annotations

from flask import Flask
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_pgettext
from sqlalchemy import select

from certificates.models import (
    DOCUMENT_KIND_LABELS,
    DOCUMENT_STATUS_LABELS,
    KIND_LABELS,
    METHOD_LABELS,
    OUTCOME_LABELS,
    STATE_LABELS,
    TYPE_LABELS,
    VALUE_LABELS,
    CompetenceDecision,
    Dossier,
    Evidence,
    IssuedDocument,
)
from certificates.permissions import can_view_decisions, can_view_dossier
from lms.accounts.models import User
from lms.audit.formatting import PERSON, show_choice, show_date, show_datetime
from lms.audit.registry import (
    Described,
    describe_each,
    int_ids,
    register_actions,
    register_fields,
)
from lms.db import db
from lms.standards.models import FrameworkItem


def _dossiers(ids) -> dict[int, tuple[Dossier, str]]:
    """Dossiers with their candidate's name: one query."""
    rows = db.session.execute(
        select(Dossier, User.full_name)
        .join(User, User.id == Dossier.candidate_id)
        .where(Dossier.id.in_(ids))
    ).all()
    return {d.id: (d, name) for d, name in rows}


def _dossier_link(viewer, dossier):
    if can_view_dossier(viewer, dossier):
        return ("certificates.dossier", {"dossier_id": dossier.id})
    return None


def describe_dossiers(viewer, entries) -> dict[int, Described]:
    """The dossier by its number and candidate, linked to its page."""

    def one(e, row):
        d, name = row
        return Described({"name": name}, _dossier_link(viewer, d))

    return describe_each(entries, _dossiers(int_ids(entries)), one)


def describe_evidence(viewer, entries) -> dict[int, Described]:
    """A piece of evidence by its title, with its dossier linked: two queries."""
    rows = db.session.execute(
        select(Evidence.id, Evidence.title, Evidence.dossier_id).where(
            Evidence.id.in_(int_ids(entries))
        )
    ).all()
    dossiers = _dossiers({r[2] for r in rows})

    def one(e, row):
        d, name = dossiers[row[2]]
        return Described({"title": row[1], "name": name}, _dossier_link(viewer, d))

    # removed evidence is left out: the sentence reads without its title
    return describe_each(entries, {r[0]: r for r in rows}, one)


def describe_decisions(viewer, entries) -> dict[int, Described]:
    """The competence decided and whose dossier, linked to the decision page: two queries."""
    rows = db.session.execute(
        select(CompetenceDecision.id, CompetenceDecision.dossier_id, FrameworkItem)
        .join(FrameworkItem, FrameworkItem.id == CompetenceDecision.competence_id)
        .where(CompetenceDecision.id.in_(int_ids(entries)))
    ).all()
    dossiers = _dossiers({r[1] for r in rows})

    def one(e, row):
        _, dossier_id, competence = row
        d, name = dossiers[dossier_id]
        link = (
            ("certificates.decision", {"dossier_id": d.id, "competence_id": competence.id})
            if can_view_decisions(viewer, d)
            else None
        )
        params = {"competence": f"{competence.code} {competence.title}", "name": name}
        return Described(params, link)

    return describe_each(entries, {r[0]: r for r in rows}, one)


def describe_documents(viewer, entries) -> dict[int, Described]:
    """An issued document by its kind, code and holder, linked to its public verification
    page (open to everyone, as the code printed on the document is): one query."""
    rows = db.session.execute(
        select(IssuedDocument.id, IssuedDocument.kind, IssuedDocument.code, User.full_name)
        .join(User, User.id == IssuedDocument.holder_id)
        .where(IssuedDocument.id.in_(int_ids(entries)))
    ).all()

    def one(e, row):
        _, kind, code, name = row
        params = {"kind": DOCUMENT_KIND_LABELS[kind], "code": code, "name": name}
        return Described(params, ("verification.document", {"code": code}))

    return describe_each(entries, {r[0]: r for r in rows}, one)


def init_app(app: Flask) -> None:
    register_actions(
        app,
        {
            "dossier.open": (_l("Dossier opened"), _l("%(actor)s opened the dossier of %(name)s")),
            "dossier.assign": (
                _l("Dossier assignments changed"),
                _l("%(actor)s changed who works on the dossier of %(name)s"),
            ),
            "dossier.identification": (
                _l("Identification started"),
                _l("%(actor)s started the identification of the dossier of %(name)s"),
            ),
            "dossier.submitted": (
                _l("Dossier submitted"),
                _l("%(actor)s submitted the dossier of %(name)s"),
            ),
            "dossier.under_assessment": (
                _l("Assessment of the dossier started"),
                _l("%(actor)s started the assessment of the dossier of %(name)s"),
            ),
            "dossier.decided": (
                _l("Dossier decided"),
                _l("%(actor)s closed the decisions on the dossier of %(name)s"),
            ),
            "dossier.returned": (
                _l("Dossier returned to identification"),
                _l("%(actor)s returned the dossier of %(name)s to identification"),
            ),
            "dossier.withdrawn": (
                _l("Dossier withdrawn"),
                _l("%(actor)s withdrew the dossier of %(name)s"),
            ),
            "dossier.issued": (
                _l("Document issued"),
                _l("%(actor)s issued the document of the dossier of %(name)s"),
            ),
            "dossier.revoked": (
                _l("Document revoked"),
                _l("%(actor)s revoked the document of the dossier of %(name)s"),
            ),
        },
        describe=describe_dossiers,
    )
    register_actions(
        app,
        {
            "evidence.add": (
                _l("Evidence added"),
                _l("%(actor)s added the evidence %(title)s to the dossier of %(name)s"),
            ),
            "evidence.edit": (
                _l("Evidence changed"),
                _l("%(actor)s changed the evidence %(title)s of the dossier of %(name)s"),
            ),
            "evidence.remove": (
                _l("Evidence removed"),
                _l("%(actor)s removed a piece of evidence from a dossier"),
            ),
            "evidence.remove_file": (
                _l("File removed from evidence"),
                _l("%(actor)s removed a file from the evidence %(title)s"),
            ),
            "evidence.attach": (
                _l("File attached to evidence"),
                _l("%(actor)s attached a file to the evidence %(title)s"),
            ),
            "evidence.observe": (
                _l("Observation recorded"),
                _l("%(actor)s recorded the observation %(title)s in the dossier of %(name)s"),
            ),
            "evidence.add_attendance": (
                _l("Attendance added as evidence"),
                _l("%(actor)s added the attendance record to the dossier of %(name)s"),
            ),
            "evidence.add_assessment": (
                _l("Assessment results added as evidence"),
                _l("%(actor)s added assessment results to the dossier of %(name)s"),
            ),
        },
        describe=describe_evidence,
    )
    register_actions(
        app,
        {
            "decision.create": (
                _l("Decision recorded"),
                _l("%(actor)s decided on the competence %(competence)s of %(name)s"),
            ),
            "decision.revise": (
                _l("Decision revised"),
                _l("%(actor)s revised the decision on the competence %(competence)s of %(name)s"),
            ),
        },
        describe=describe_decisions,
    )
    register_actions(
        app,
        {
            "document.issued": (
                _l("Document issued"),
                _l("%(actor)s issued a document for %(name)s: %(kind)s %(code)s"),
            ),
            "document.revoked": (
                _l("Document revoked"),
                _l("%(actor)s revoked a document of %(name)s: %(kind)s %(code)s"),
            ),
            "document.reissued": (
                _l("Document reissued"),
                _l(
                    "%(actor)s reissued after a correction a document of %(name)s: %(kind)s %(code)s"
                ),
            ),
        },
        describe=describe_documents,
    )
    register_actions(
        app,
        {
            "credential.issue": (
                _l("Digital credential issued"),
                _l("%(actor)s issued a digital credential"),
            ),
        },
    )
    register_fields(
        app,
        ["issued_document"],
        {
            "code": _l("Verification code"),
            "kind": (_l("Kind"), show_choice(DOCUMENT_KIND_LABELS)),
            "status": (_l("State"), show_choice(DOCUMENT_STATUS_LABELS)),
            "superseded_by": _l("Replaced by"),
            "dossier_id": _l("Dossier"),
            "sha256": "SHA-256",
            "issued_on": (_l("Issued on"), show_date),
        },
    )
    register_fields(
        app,
        ["dossier"],
        {
            "state": (_l("State"), show_choice(STATE_LABELS)),
            "candidate_id": (_l("Candidate"), PERSON),
            "profile_id": _l("Profile"),
            "course_id": _l("Course"),
            "accompagnatore_id": (_l("Accompagnatore"), PERSON),
            "method_expert_id": (_l("Method expert"), PERSON),
            "content_expert_id": (_l("Content expert"), PERSON),
            "competence_ids": _l("Competences"),
        },
    )
    register_fields(
        app,
        ["evidence"],
        {
            "kind": (_l("Kind"), show_choice(KIND_LABELS)),
            "type": (_l("Type"), show_choice(TYPE_LABELS)),
            "value": (_l("Value"), show_choice(VALUE_LABELS)),
            "title": _l("Title"),
            "description": _l("Description"),
            "date": (_l("Date"), show_date),
            "issuer": _l("Issued by"),
        },
    )
    register_fields(
        app,
        ["competence_decision"],
        {
            "outcome": (_l("Outcome"), show_choice(OUTCOME_LABELS)),
            "method": (_l("Method"), show_choice(METHOD_LABELS)),
            "test_date": (_l("Date of the direct test"), show_date),
            "test_result": _l("Result of the direct test"),
            "reasons": _l("Reasons"),
            "signed_at": (lazy_pgettext("decision", "Signed on"), show_datetime),
        },
    )
