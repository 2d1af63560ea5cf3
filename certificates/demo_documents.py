"""The demo of revocation and reissue: corsista9 holds a revoked certificate, corsista10 a
reissued one (the old certificate superseded, the new one valid).

The issuing demo step (certificates.demo.load_issued_demo, "issue") leaves both with a decided
dossier; here the coordinator issues each (certificate, dossier and verbale) through the
issuing service, then revokes corsista9's certificate (so that dossier becomes revoked) and
reissues corsista10's after a correction. Runs after the issuing step; idempotent; prints
nothing. Everything is invented.
"""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from certificates.demo import _user
from certificates.models import DocumentKind, Dossier, DossierState, IssuedDocument
from certificates.services import issuing, revocation
from lms.db import db, utcnow

REVOKED_HOLDER = "corsista9@demo.example"
REISSUED_HOLDER = "corsista10@demo.example"
REVOCATION_REASON = (
    "Certificato emesso per errore prima della chiusura della verifica: la valutazione "
    "dovrà essere ripetuta (motivo dimostrativo)."
)
CORRECTION_NOTE = (
    "Corretto il nome del percorso formativo riportato sul certificato (dimostrativo)."
)


def load_demo_documents() -> None:
    """Issue, then revoke or reissue, the two decided dossiers left by the issuing step."""
    coordinator = _user("coordinatore@demo.example")
    now = utcnow()
    issued_at = now - dt.timedelta(days=20)
    cert = _issue(coordinator, _user(REVOKED_HOLDER), issued_at)
    if cert is not None:
        revocation.revoke(
            coordinator, cert, reason=REVOCATION_REASON, now=now - dt.timedelta(days=3)
        )
    cert = _issue(coordinator, _user(REISSUED_HOLDER), issued_at)
    if cert is not None:
        revocation.reissue(coordinator, cert, note=CORRECTION_NOTE, now=now - dt.timedelta(days=1))
    db.session.flush()


def _issue(coordinator, holder, when: dt.datetime) -> IssuedDocument | None:
    """Issue the holder's decided dossier; its certificate (None when there is nothing to do:
    the holder already holds documents, or has no decided dossier)."""
    if db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.holder_id == holder.id)):
        return None
    dossier = db.session.scalar(
        select(Dossier)
        .where(Dossier.candidate_id == holder.id, Dossier.state == DossierState.DECIDED)
        .order_by(Dossier.id)
        .limit(1)
    )
    if dossier is None:
        return None
    documents = issuing.issue_dossier(
        coordinator, dossier, certificate_kind=DocumentKind.CERTIFICATE, now=when
    )
    return documents[0]
