"""The demo dossiers in every state: corsista1's decided one and the other trainees'."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from certificates.demo.common import (
    CANDIDATES,
    _framework,
    _open,
    _self_declaration,
    _sign_all,
    _third_party,
    _user,
)
from certificates.demo.course import _first_edition
from certificates.models import (
    DecisionOutcome,
    Dossier,
)
from certificates.services import dossiers, records
from courses.models import ROME
from lms.db import db, utcnow


def load_demo() -> None:
    """Create the demo dossiers (once), acting as the people of each step."""
    coordinator = _user("coordinatore@demo.example")
    corsista1 = _user("corsista1@demo.example")
    if db.session.scalar(select(Dossier.id).where(Dossier.candidate_id == corsista1.id)):
        return
    profile, items = _framework()
    if profile is None:
        return
    people = {
        "coordinator": coordinator,
        "accompagnatore": _user("docente1@demo.example"),
        "method": _user("valutatore1@demo.example"),
        "content": _user("valutatore2@demo.example"),
    }
    now = utcnow()
    course = _first_edition(coordinator, corsista1, items, now)
    _decided(people, corsista1, profile, items, course, now)
    for n, state in CANDIDATES.items():
        _dossier_in(state, people, _user(f"corsista{n}@demo.example"), profile, items, now)
    db.session.flush()


def _decided(people, candidate, profile, items, course, now) -> Dossier:
    dossier = _open(people, candidate, profile, items, course)
    dossiers.start_identification(people["coordinator"], dossier)
    acc = people["accompagnatore"]
    records.add_attendance_summary(acc, dossier, now=now)
    records.add_assessment_results(acc, dossier)
    day = now.astimezone(ROME).date()
    _third_party(
        candidate,
        dossier,
        items,
        ["C1.A1", "C1.A2", "C2.A1", "C5.A1", "C6.A1"],
        "Dichiarazione del datore di lavoro sulle attività di inserimento",
        "Navigli Logistica S.r.l., direzione del personale",
        day - dt.timedelta(days=40),
    )
    _self_declaration(candidate, dossier, items, ["C2.A2", "C3.A2", "C4.A2", "C5.A2", "C6.A2"], day)
    dossiers.submit(candidate, dossier, now=now)
    dossiers.take_under_assessment(people["method"], dossier)
    _sign_all(people["method"], dossier, items)
    _sign_all(people["content"], dossier, items)
    dossiers.decide(people["method"], dossier, now=now)
    return dossier


# --- the other states ----------------------------------------------------------------------


def _dossier_in(state, people, candidate, profile, items, now) -> Dossier:
    competences = ["C1", "C3", "C4"]
    dossier = _open(people, candidate, profile, items, competences=competences)
    if state == "draft":
        return dossier
    dossiers.start_identification(people["coordinator"], dossier)
    day = now.astimezone(ROME).date()
    _self_declaration(candidate, dossier, items, ["C1.A1", "C3.A1", "C4.A1"], day)
    if state == "withdrawn":
        dossiers.withdraw(
            people["coordinator"], dossier, "La persona ha chiesto di sospendere il percorso."
        )
        return dossier
    if state == "identification":
        return dossier
    _third_party(
        people["accompagnatore"],
        dossier,
        items,
        ["C1.A2", "C3.A2", "C4.A2"],
        "Lettera di incarico come referente per l'inclusione",
        "Brera Servizi Assicurativi S.p.A.",
        day - dt.timedelta(days=90),
    )
    dossiers.submit(candidate, dossier, now=now)
    if state == "submitted":
        return dossier
    if state == "returned":
        dossiers.return_to_identification(
            people["content"],
            dossier,
            "Manca un'evidenza di parte terza sulla competenza C4 (accomodamenti "
            "ragionevoli): aggiungi, per esempio, la relazione sull'adattamento di una "
            "postazione.",
        )
        return dossier
    dossiers.take_under_assessment(people["method"], dossier)
    # disagreement: both sign every competence, on C4 with different outcomes
    _sign_all(people["method"], dossier, items, competences=["C1", "C3", "C4"])
    _sign_all(people["content"], dossier, items, competences=["C1", "C3"])
    _sign_all(people["content"], dossier, items, DecisionOutcome.NOT_VALIDATED, competences=["C4"])
    return dossier
