"""The demo of revocation and reissue: corsista4 holds a revoked certificate, corsista11 a
reissued one (the old certificate superseded, the new one valid).

Each of them gets a decided dossier on the ILLUSTRATIVE profile (three competences, both
experts' signed "validated" outcome), issued through the issuing service as the coordinator;
then the coordinator revokes corsista4's certificate (the dossier becomes revoked) and
reissues corsista11's after a correction. Runs after the issuing demo step; idempotent;
prints nothing. The decided dossiers that step leaves (corsista9, corsista10) stay decided, for
a coordinator to issue by hand in the demo.
Everything is invented.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from certificates.demo.common import (
    _framework,
    _open,
    _self_declaration,
    _sign_all,
    _third_party,
    _user,
)
from certificates.models import DocumentKind, Dossier
from certificates.services import dossiers, issuing, revocation
from courses.models import ROME
from lms.db import db, utcnow

COMPETENCES = ["C1", "C3", "C4"]
REVOKED_HOLDER = "corsista4@demo.example"
REISSUED_HOLDER = "corsista11@demo.example"
REVOCATION_REASON = (
    "Certificato emesso per errore prima della chiusura della verifica: la valutazione "
    "dovrà essere ripetuta (motivo dimostrativo)."
)
CORRECTION_NOTE = (
    "Corretto il nome del percorso formativo riportato sul certificato (dimostrativo)."
)


def load_demo_documents() -> None:
    """Create the revoked and the reissued certificates (once), as the demo coordinator."""
    revoked_holder, reissued_holder = _user(REVOKED_HOLDER), _user(REISSUED_HOLDER)
    taken = select(Dossier.id).where(
        Dossier.candidate_id.in_([revoked_holder.id, reissued_holder.id])
    )
    if db.session.scalar(taken.limit(1)) is not None:
        return
    profile, items = _framework()
    if profile is None:
        return
    people = {
        "coordinator": _user("coordinatore@demo.example"),
        "accompagnatore": _user("docente1@demo.example"),
        "method": _user("valutatore1@demo.example"),
        "content": _user("valutatore2@demo.example"),
    }
    coordinator = people["coordinator"]
    now = utcnow()
    issued_at = now - dt.timedelta(days=20)
    cert = _issued(people, revoked_holder, profile, items, issued_at)
    revocation.revoke(coordinator, cert, reason=REVOCATION_REASON, now=now - dt.timedelta(days=3))
    cert = _issued(people, reissued_holder, profile, items, issued_at)
    revocation.reissue(coordinator, cert, note=CORRECTION_NOTE, now=now - dt.timedelta(days=1))
    db.session.flush()


def _issued(people, candidate, profile, items, when: dt.datetime):
    """A decided dossier of the candidate, issued; its certificate."""
    dossier = _open(people, candidate, profile, items, competences=COMPETENCES)
    dossiers.start_identification(people["coordinator"], dossier)
    day = when.astimezone(ROME).date()
    _self_declaration(candidate, dossier, items, ["C1.A1", "C3.A1", "C4.A1"], day)
    _third_party(
        people["accompagnatore"],
        dossier,
        items,
        ["C1.A2", "C3.A2", "C4.A2"],
        "Relazione sul progetto di inserimento seguito in azienda",
        "Porta Romana Servizi S.r.l., ufficio del personale",
        day - dt.timedelta(days=60),
    )
    dossiers.submit(candidate, dossier, now=when - dt.timedelta(days=10))
    dossiers.take_under_assessment(people["method"], dossier)
    _sign_all(people["method"], dossier, items, competences=COMPETENCES)
    _sign_all(people["content"], dossier, items, competences=COMPETENCES)
    dossiers.decide(people["method"], dossier, now=when - dt.timedelta(days=2))
    documents = issuing.issue_dossier(
        people["coordinator"], dossier, certificate_kind=DocumentKind.CERTIFICATE, now=when
    )
    return documents[0]
