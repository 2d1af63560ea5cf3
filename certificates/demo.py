"""The certificates part of the demo: dossiers of evidence on the ILLUSTRATIVE Disability
Manager profile, for demo trainees, in every state of the process.

corsista1 completed the first edition of the Disability Manager course (created here: the
second edition, from the courses demo, is still running, so nobody reaches its certification
attendance yet) and has a decided dossier resting on it: attendance and assessment evidence
from the training records, third-party and self-declared evidence with PDF files, both
experts' signed outcome on every competence. Other trainees' dossiers are in draft, in
identification, submitted, under assessment with an unresolved disagreement, returned with
comments and withdrawn. valutatore1 is the esperto di metodo and valutatore2 the esperto di
contenuto on every dossier; docente1, a trainer, accompanies the candidates.

Everything is done through the services, acting as the coordinator, the candidates and the
experts for their own steps. Everything is invented.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from assessments.models import AssessmentKind
from assessments.services import authoring, grading
from assessments.services.authoring import AssessmentInput
from assessments.services.grading import MarkInput
from certificates.models import (
    AssessmentMethod,
    DecisionOutcome,
    Dossier,
    EvidenceKind,
    EvidenceType,
    EvidenceValue,
)
from certificates.services import decisions, dossiers, evidence, records
from certificates.services.decisions import DecisionInput
from certificates.services.evidence import EvidenceInput
from courses.models import ROME, AttendanceStatus, Course, CourseStatus, LessonMode, Module
from courses.services.courses import create_course, set_status
from courses.services.enrolments import enrol
from courses.services.lessons import schedule_lessons
from courses.services.registers import RowInput, save_register, sign_register
from lms.accounts.models import User
from lms.accounts.services import get_user_by_email
from lms.db import db, utcnow
from lms.pdf import render_pdf
from lms.standards.models import Framework, FrameworkItem, Profile

FRAMEWORK_CODE = "DM-ILLUSTRATIVO"
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
    fw = db.session.scalar(select(Framework).where(Framework.code == FRAMEWORK_CODE))
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


# --- the first edition of the course, completed by corsista1 --------------------------------


def _first_edition(coordinator, corsista1, items, now) -> Course:
    """A past edition with full attendance and a released final assessment for corsista1."""
    trainer = _user("docente1@demo.example")
    modules = {
        m.code: m for m in db.session.scalars(select(Module).where(Module.code.in_(MODULE_PLAN)))
    }
    today = now.astimezone(ROME).date()
    first = today - dt.timedelta(days=300)
    course = create_course(
        coordinator,
        title=COURSE_TITLE,
        edition=FIRST_EDITION,
        description="Prima edizione del percorso per Disability Manager aziendali "
        "(dati dimostrativi).",
        start_date=first,
        end_date=first + dt.timedelta(weeks=len(MODULE_PLAN)),
        capacity=30,
        trainer_ids=[trainer.id],
        module_ids=[modules[c].id for c in MODULE_PLAN if c in modules],
        status=CourseStatus.RUNNING,
    )
    enrolment = enrol(coordinator, course, corsista1, enrolled_on=first)
    lessons = []
    for n, code in enumerate(MODULE_PLAN):
        if code not in modules:
            continue
        lessons += schedule_lessons(
            coordinator,
            course,
            module_id=modules[code].id,
            date=first + dt.timedelta(weeks=n),
            start_time=dt.time(9, 30),
            end_time=dt.time(13, 30),
            mode=LessonMode.IN_PERSON,
            trainer_id=trainer.id,
            place="Aula Navigli, via Vigevano 18, Milano",
            link="",
        )
    for lesson in lessons:
        row = RowInput(enrolment.id, AttendanceStatus.PRESENT, lesson.length_minutes, "", 0)
        save_register(trainer, lesson, course, [row], now=lesson.ends_at)
        sign_register(trainer, lesson, course, now=lesson.ends_at)
    end = dt.datetime.combine(course.end_date, dt.time(18), tzinfo=dt.UTC)
    final = authoring.create_assessment(
        coordinator,
        course,
        AssessmentInput(
            title="Prova finale: colloquio orale sul progetto di inserimento (I edizione)",
            kind=AssessmentKind.ORAL,
            opens_at=end - dt.timedelta(days=7),
            closes_at=end,
            max_points="30",
            pass_mark=Decimal("18"),
            weight="1",
            published=True,
            instructions="Colloquio orale sul progetto personalizzato di inserimento.",
            framework_item_ids=[
                items[c].id for c in ("C1", "C3", "C3.A1", "C4.A1", "C6.A1") if c in items
            ],
        ),
    )
    grade = grading.grade_for_marking(trainer, final, corsista1.id)
    grading.save_mark(
        trainer,
        final,
        grade,
        MarkInput(
            score="26",
            observed_on=course.end_date,
            feedback="Progetto completo, rete degli attori ben descritta.",
        ),
        now=end,
    )
    grading.release(trainer, final, now=end + dt.timedelta(days=1))
    set_status(coordinator, course, CourseStatus.CLOSED)  # this edition is over
    return course


# --- corsista1's decided dossier -----------------------------------------------------------


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
