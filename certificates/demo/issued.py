"""The issued documents of the demo."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from certificates.demo.common import _framework, _open, _sign_all, _third_party, _user
from certificates.models import (
    Dossier,
)
from certificates.services import dossiers
from courses.models import ROME
from lms.db import db, utcnow

# --- issued documents (issue) ---------------------------------------------------------------
# corsista1's decided dossier is issued by the coordinator: the certificate, the complete
# dossier and the verbale, each with its code (`flask lms demo` prints nothing about them: the
# holder sees them on "I miei documenti"). corsista9 and corsista10 get a decided dossier each,
# left decided for the verification demo (one to issue and revoke, one to issue and reissue).
# The holder's data printed on certificates (date and place of birth, tax code) are invented.
DECIDED_FOR_VERIFICATION = (9, 10)
HOLDER_DATA = {
    1: (dt.date(1988, 3, 14), "Milano (MI)", "DMOCRS88C54F205Z"),
    9: (dt.date(1991, 7, 2), "Bergamo (BG)", None),
    10: (dt.date(1979, 11, 23), "Brescia (BS)", None),
}


def load_issued_demo() -> None:
    """Issue corsista1's documents and leave two more decided dossiers (once)."""
    from certificates.models import DocumentKind, DossierState, IssuedDocument
    from certificates.services import issuing

    coordinator = _user("coordinatore@demo.example")
    corsista1 = _user("corsista1@demo.example")
    if db.session.scalar(select(IssuedDocument.id).where(IssuedDocument.holder_id == corsista1.id)):
        return  # already issued (a later run with LMS_BASE_URL set issues them)
    profile, items = _framework()
    if profile is None:
        return
    for n, (born, place, tax_code) in HOLDER_DATA.items():
        holder = _user(f"corsista{n}@demo.example")
        holder.birth_date, holder.birth_place, holder.tax_code = born, place, tax_code
    people = {
        "coordinator": coordinator,
        "accompagnatore": _user("docente1@demo.example"),
        "method": _user("valutatore1@demo.example"),
        "content": _user("valutatore2@demo.example"),
    }
    now = utcnow()
    for n in DECIDED_FOR_VERIFICATION:
        candidate = _user(f"corsista{n}@demo.example")
        if db.session.scalar(select(Dossier.id).where(Dossier.candidate_id == candidate.id)):
            continue
        competences = ["C1", "C3", "C4"]
        dossier = _open(people, candidate, profile, items, competences=competences)
        dossiers.start_identification(coordinator, dossier)
        _third_party(
            candidate,
            dossier,
            items,
            ["C1.A1", "C1.A2", "C3.A1", "C3.A2", "C4.A1", "C4.A2"],
            "Relazione del responsabile sulle attività di inclusione",
            "Porta Romana Servizi S.r.l., direzione del personale",
            now.astimezone(ROME).date() - dt.timedelta(days=60),
        )
        dossiers.submit(candidate, dossier, now=now)
        dossiers.take_under_assessment(people["method"], dossier)
        _sign_all(people["method"], dossier, items, competences=competences)
        _sign_all(people["content"], dossier, items, competences=competences)
        dossiers.decide(people["method"], dossier, now=now)
    mine = db.session.scalar(
        select(Dossier).where(
            Dossier.candidate_id == corsista1.id, Dossier.state == DossierState.DECIDED
        )
    )
    if mine is not None and issuing.can_print_verification():  # LMS_BASE_URL set
        issuing.issue_dossier(coordinator, mine, certificate_kind=DocumentKind.CERTIFICATE, now=now)
    db.session.flush()
