"""The demo's shared pieces: its constants, the demo accounts, the ILLUSTRATIVE framework,
opening a dossier, third-party and self-declared evidence, signing every outcome."""

from __future__ import annotations

from sqlalchemy import select

from certificates.models import (
    AssessmentMethod,
    DecisionOutcome,
    Dossier,
    EvidenceKind,
    EvidenceType,
    EvidenceValue,
)
from certificates.services import decisions, dossiers, evidence
from certificates.services.decisions import DecisionInput
from certificates.services.evidence import EvidenceInput
from lms.accounts.models import User
from lms.accounts.services import get_user_by_email
from lms.db import db
from lms.pdf import render_pdf
from lms.standards.demo import illustrative_framework
from lms.standards.models import FrameworkItem, Profile

COURSE_TITLE = "Percorso Disability Manager"
FIRST_EDITION = "I edizione"
MODULE_PLAN = ["NORM-01", "COM-01", "REL-01", "NORM-02", "COM-02", "REL-02"]
COMPETENCES = ["C1", "C2", "C3", "C4", "C5", "C6"]
# candidate number -> the state their dossier is left in (corsista1: decided)
CANDIDATES = {
    2: "draft",
    3: "identification",
    5: "submitted",
    6: "disagreement",
    7: "returned",
    8: "withdrawn",
}


def _user(email: str) -> User:
    user = get_user_by_email(email)
    if user is None:
        raise RuntimeError(f"The demo account {email} must exist first.")
    return user


def _pdf(title: str, lines: list[str]) -> bytes:
    """A small real PDF, rendered through lms/pdf.py."""
    body = "".join(f"<p>{line}</p>" for line in lines)
    return render_pdf(
        f"<html><body><h1>{title}</h1>{body}<p><em>Documento dimostrativo, dati inventati."
        "</em></p></body></html>"
    )


def _framework():
    fw = illustrative_framework()
    if fw is None:
        return None, {}
    profile = db.session.scalar(
        select(Profile).where(Profile.framework_id == fw.id, Profile.code == "DM")
    )
    items = {
        i.code: i
        for i in db.session.scalars(
            select(FrameworkItem).where(FrameworkItem.framework_id == fw.id)
        )
    }
    return profile, items


def _open(people, candidate, profile, items, course=None, competences=COMPETENCES) -> Dossier:
    return dossiers.open_dossier(
        people["coordinator"],
        candidate=candidate,
        profile=profile,
        competence_ids=[items[c].id for c in competences],
        course=course,
        accompagnatore_id=people["accompagnatore"].id,
        method_expert_id=people["method"].id,
        content_expert_id=people["content"].id,
    )


def _links(items, codes, note) -> list[tuple[int, str]]:
    return [(items[c].id, note) for c in codes if c in items]


def _third_party(actor, dossier, items, codes, title, issuer, when) -> None:
    evidence.add_evidence(
        actor,
        dossier,
        EvidenceInput(
            kind=EvidenceKind.DOCUMENT,
            type=EvidenceType.RESULT,
            value=EvidenceValue.THIRD,
            title=title,
            description="Documento rilasciato dal datore di lavoro.",
            date=when,
            issuer=issuer,
            links=_links(items, codes, "Il documento descrive l'attività svolta."),
        ),
        files=[("attestazione.pdf", _pdf(title, [f"Rilasciato da: {issuer}", f"Data: {when}"]))],
    )


def _self_declaration(actor, dossier, items, codes, when) -> None:
    title = "Autodichiarazione delle esperienze di inserimento lavorativo"
    evidence.add_evidence(
        actor,
        dossier,
        EvidenceInput(
            kind=EvidenceKind.SELF_DECLARATION,
            type=EvidenceType.PROCESS,
            value=EvidenceValue.FIRST,
            title=title,
            description="Racconto delle esperienze di inserimento seguite negli ultimi tre anni.",
            date=when,
            issuer=actor.full_name,
            links=_links(items, codes, "Esperienza descritta dalla persona."),
        ),
        files=[
            (
                "autodichiarazione.pdf",
                _pdf(title, ["Tre inserimenti seguiti come referente aziendale.", actor.full_name]),
            )
        ],
    )


def _sign_all(expert, dossier, items, outcome=DecisionOutcome.VALIDATED, competences=None):
    for code in competences or COMPETENCES:
        decisions.record_decision(
            expert,
            dossier,
            items[code].id,
            DecisionInput(
                outcome=outcome,
                method=AssessmentMethod.DOCUMENTARY,
                reasons="Le evidenze del dossier coprono abilità e conoscenze della competenza.",
            ),
            seen_version=0,
        )
