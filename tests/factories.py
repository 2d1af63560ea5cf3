"""The ``make`` fixture's object: builds test data through the services, as users do.

Imported by tests/conftest.py, which re-exports ``Factory`` and ``TEST_PASSWORD``.
"""

from __future__ import annotations

from lms.accounts.models import Role
from lms.db import db

TEST_PASSWORD = "correct horse battery"


class Factory:
    """Builds data through the services, as users do."""

    def __init__(self):
        self.n = 0

    def _next(self) -> int:
        self.n += 1
        return self.n

    def organisation(self, name: str | None = None, **kw):
        from lms.accounts.services import system_actor
        from lms.organisations.models import SizeBand
        from lms.organisations.services import create_organisation
        from lms.organisations.validation import make_partita_iva

        i = self._next()
        org = create_organisation(
            system_actor(),
            name=name or f"Azienda di prova {i}",
            tax_code=kw.pop("tax_code", make_partita_iva(f"{1000000000 + i * 7}")),
            sector=kw.pop("sector", "Servizi"),
            size_band=kw.pop("size_band", SizeBand.SMALL),
        )
        db.session.commit()
        return org

    def user(self, *roles: Role, email: str | None = None, organisation=None, **kw):
        from lms.accounts.services import create_user, system_actor

        i = self._next()
        roles = set(roles) or {Role.TRAINEE}
        if Role.REFERENT in roles and organisation is None:
            organisation = self.organisation()
        user = create_user(
            system_actor(),
            email=email or f"utente{i}@example.org",
            full_name=kw.pop("full_name", f"Persona Prova {i}"),
            roles=roles,
            organisation_id=organisation.id if organisation is not None else None,
            password=kw.pop("password", TEST_PASSWORD),
            locale=kw.pop("locale", "it"),
        )
        db.session.commit()
        return user

    # --- courses (added by the courses package) -------------------------------------------

    def coordinator(self):
        """The coordinator the course helpers act as (services never act as nobody)."""
        from lms.accounts.models import User

        if getattr(self, "_coordinator_id", None) is None:
            self._coordinator_id = self.user(
                Role.COORDINATOR, full_name="Coordinatrice di prova"
            ).id
        return db.session.get(User, self._coordinator_id)

    def module(self, topic_area=None, **kw):
        from courses.models import TopicArea
        from courses.services.catalogue import create_module

        i = self._next()
        module = create_module(
            self.coordinator(),
            code=kw.pop("code", f"MOD{i:03d}"),
            title=kw.pop("title", f"Modulo di prova {i}"),
            topic_area=topic_area or TopicArea.REGULATORY,
            planned_minutes=kw.pop("planned_minutes", 240),
            **kw,
        )
        db.session.commit()
        return module

    def course(self, *, trainers=(), modules=None, **kw):
        """A running course from 60 days ago to 60 days ahead, with one module by default."""
        import datetime as dt

        from courses.models import CourseStatus
        from courses.services.courses import create_course
        from courses.services.enrolments import today as rome_today

        i = self._next()
        today = rome_today()
        if modules is None:
            modules = [self.module()]
        course = create_course(
            self.coordinator(),
            title=kw.pop("title", f"Percorso di prova {i}"),
            edition=kw.pop("edition", "I edizione"),
            start_date=kw.pop("start_date", today - dt.timedelta(days=60)),
            end_date=kw.pop("end_date", today + dt.timedelta(days=60)),
            trainer_ids=[t.id for t in trainers],
            module_ids=[m.id for m in modules],
            status=kw.pop("status", CourseStatus.RUNNING),
            **kw,
        )
        db.session.commit()
        return course

    def lesson(self, course, *, trainer, date, start="09:00", end="13:00", module=None, **kw):
        """One lesson (or a weekly series with weeks=n) of a course; returns the first."""
        import datetime as dt

        from courses.models import LessonMode
        from courses.services.courses import load_module_links
        from courses.services.lessons import schedule_lessons

        module_id = module.id if module is not None else load_module_links(course)[0].module_id
        lessons = schedule_lessons(
            self.coordinator(),
            course,
            module_id=module_id,
            date=date,
            start_time=dt.time.fromisoformat(start),
            end_time=dt.time.fromisoformat(end),
            mode=kw.pop("mode", LessonMode.IN_PERSON),
            place=kw.pop("place", "Aula 1, via Dante 1, Milano"),
            trainer_id=trainer.id,
            **kw,
        )
        db.session.commit()
        return lessons[0]

    def enrolment(self, course, user=None, *, enrolled_on=None):
        from courses.services.enrolments import enrol

        user = user or self.user(Role.TRAINEE)
        enrolment = enrol(
            self.coordinator(), course, user, enrolled_on=enrolled_on or course.start_date
        )
        db.session.commit()
        return enrolment

    # --- assessments (added by the assessments package) -----------------------------------

    def assessment(self, course, kind=None, *, actor=None, **kw):
        """A published assessment of a course, open from yesterday to next week."""
        import datetime as dt

        from assessments.models import AssessmentKind
        from assessments.services.authoring import AssessmentInput, create_assessment
        from lms.db import utcnow

        now = utcnow()
        data = AssessmentInput(
            title=kw.pop("title", f"Prova {self._next()}"),
            kind=kind or AssessmentKind.ASSIGNMENT,
            opens_at=kw.pop("opens_at", now - dt.timedelta(days=1)),
            closes_at=kw.pop("closes_at", now + dt.timedelta(days=7)),
            max_points=kw.pop("max_points", "10"),
            pass_mark=kw.pop("pass_mark", "6"),
            published=kw.pop("published", True),
            **kw,
        )
        actor = actor or self.user(Role.COORDINATOR)
        assessment = create_assessment(actor, course, data)
        db.session.commit()
        return assessment

    def question(self, assessment, kind=None, *, actor=None, **kw):
        """A quiz question; single choice with the second of three choices right by default."""
        from assessments.scoring import QuestionType
        from assessments.services.authoring import QuestionInput, add_question

        kind = kind or QuestionType.SINGLE
        if "choices" not in kw and kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
            kw["choices"] = [("Risposta A", False), ("Risposta B", True), ("Risposta C", False)]
        if "choices" not in kw and kind == QuestionType.TRUE_FALSE:
            kw["choices"] = [("Vero", True), ("Falso", False)]
        data = QuestionInput(
            kind=kind,
            prompt=kw.pop("prompt", f"Domanda {self._next()}"),
            points=kw.pop("points", "2"),
            **kw,
        )
        question = add_question(actor or self.user(Role.COORDINATOR), assessment, data)
        db.session.commit()
        return question

    def rubric(self, assessment=None, *, criteria=2, actor=None, items=()):
        """A rubric template with criteria of three levels (0, 3, 5 points), copied into the
        assessment when one is given; returns the assessment's copy or the template."""
        from assessments.services.authoring import (
            CriterionInput,
            LevelInput,
            add_criterion,
            attach_rubric,
            create_template,
        )

        actor = actor or self.user(Role.COORDINATOR)
        template = create_template(actor, title=f"Griglia {self._next()}")
        for i in range(criteria):
            add_criterion(
                actor,
                template,
                CriterionInput(
                    title=f"Criterio {i + 1}",
                    levels=[
                        LevelInput("Non adeguato", "0"),
                        LevelInput("Adeguato", "3"),
                        LevelInput("Ottimo", "5"),
                    ],
                    framework_item_ids=[it.id for it in items],
                ),
            )
        rubric = attach_rubric(actor, assessment, template) if assessment else template
        db.session.commit()
        return rubric

    # --- standards and dossiers (added by the certificates package) -----------------------

    def admin(self):
        """The admin the standards helpers act as."""
        from lms.accounts.models import User

        if getattr(self, "_admin_id", None) is None:
            self._admin_id = self.user(Role.ADMIN, full_name="Amministratrice di prova").id
        return db.session.get(User, self._admin_id)

    def profile(self, *, competences=2, abilities=2, knowledge=2, publish=True):
        """A framework with one profile of n competences, each with abilities and knowledge
        items; published by default. Returns the profile."""
        from lms.standards import lifecycle
        from lms.standards.services import (
            create_ability,
            create_competence,
            create_framework,
            create_knowledge_item,
            create_profile,
        )

        i = self._next()
        admin = self.admin()
        fw = create_framework(
            admin, code=f"QRSP{i}", title=f"Quadro di prova {i}", issuer="Regione Lombardia"
        )
        profile = create_profile(admin, fw, code="DM", title="Disability Manager", eqf_level=6)
        for c in range(1, competences + 1):
            comp = create_competence(
                admin, fw, code=f"C{c}", title=f"Competenza {c}", position=c, profile=profile
            )
            for a in range(1, abilities + 1):
                create_ability(admin, comp, code=f"C{c}.A{a}", title=f"Abilità {c}.{a}", position=a)
            for k in range(1, knowledge + 1):
                create_knowledge_item(
                    admin, comp, code=f"C{c}.K{k}", title=f"Conoscenza {c}.{k}", position=k
                )
        if publish:
            lifecycle.publish(admin, fw)
        db.session.commit()
        return profile

    def dossier(
        self, profile=None, *, candidate=None, course=None, state=None, evidence=True, **people
    ):
        """A dossier on every competence of a (new) published profile, with an accompagnatore
        (a trainer) and two experts (assessors), opened by the coordinator; moved on to
        `state` (identification, submitted, under_assessment or decided: both experts sign
        "validated" on every competence, or `outcomes` {competence code: DecisionOutcome})
        through the services, with one
        third-party document linked to every target item from identification on (unless
        evidence=False)."""
        from sqlalchemy import select

        from certificates.models import DossierState
        from certificates.services import dossiers
        from certificates.services.common import target_items
        from lms.standards.models import profile_competences

        profile = profile or self.profile()
        candidate = candidate or self.user(Role.TRAINEE)
        acc = people.get("accompagnatore") or self.user(Role.TRAINER)
        method = people.get("method_expert") or self.user(Role.ASSESSOR)
        content = people.get("content_expert") or self.user(Role.ASSESSOR)
        competence_ids = db.session.scalars(
            select(profile_competences.c.competence_id).where(
                profile_competences.c.profile_id == profile.id
            )
        ).all()
        coordinator = self.coordinator()
        dossier = dossiers.open_dossier(
            coordinator,
            candidate=candidate,
            profile=profile,
            competence_ids=competence_ids,
            course=course,
            accompagnatore_id=acc.id,
            method_expert_id=method.id,
            content_expert_id=content.id,
        )
        order = [
            DossierState.IDENTIFICATION,
            DossierState.SUBMITTED,
            DossierState.UNDER_ASSESSMENT,
            DossierState.DECIDED,
        ]
        target = order.index(state) + 1 if state in order else 0
        if target >= 1:
            dossiers.start_identification(coordinator, dossier)
        if target >= 1 and evidence:
            self.evidence(candidate, dossier, target_items(dossier))
        if target >= 2:
            dossiers.submit(candidate, dossier)
        if target >= 3:
            dossiers.take_under_assessment(method, dossier)
        if target >= 4:
            self._decide(dossier, method, content, people.get("outcomes") or {})
        db.session.commit()
        return dossier

    def evidence(self, author, dossier, items, *, value=None, title="Attestato di prova"):
        """One document of the author's on the dossier, linked to each of the items (a
        third-party result unless value says otherwise), through the service."""
        from certificates.models import EvidenceKind, EvidenceType, EvidenceValue
        from certificates.services.evidence import EvidenceInput, add_evidence

        return add_evidence(
            author,
            dossier,
            EvidenceInput(
                kind=EvidenceKind.DOCUMENT,
                type=EvidenceType.RESULT,
                value=value or EvidenceValue.THIRD,
                title=title,
                issuer="Ente terzo",
                links=[(item.id, "Copre la voce") for item in items],
            ),
        )

    def _decide(self, dossier, method, content, outcomes):
        from certificates.models import AssessmentMethod, DecisionOutcome
        from certificates.services import transitions
        from certificates.services.common import target_competence_ids
        from certificates.services.decisions import DecisionInput, record_decision
        from lms.standards.models import FrameworkItem

        for comp_id in target_competence_ids(dossier):
            comp = db.session.get(FrameworkItem, comp_id)
            outcome = outcomes.get(comp.code, DecisionOutcome.VALIDATED)
            for expert in (method, content):
                record_decision(
                    expert,
                    dossier,
                    comp_id,
                    DecisionInput(
                        outcome=outcome,
                        method=AssessmentMethod.DOCUMENTARY,
                        reasons="Le evidenze coprono tutte le abilità e le conoscenze.",
                    ),
                    seen_version=0,
                )
        transitions.decide(method, dossier)

    def issued_document(self, dossier=None, *, kind=None, supersedes=None, issued_on=None):
        """An issued document row for a decided dossier (a new one by default), with a real
        one-page PDF stored through lms.files: for tests of verification and revocation that
        do not need the issuing pipeline. The dossier is not moved to "issued"."""
        import datetime as dt
        import uuid

        from certificates.codes import new_code
        from certificates.models import DocumentKind, DossierState, IssuedDocument
        from lms.files.services import store_generated
        from lms.pdf import render_pdf

        dossier = dossier or self.dossier(state=DossierState.DECIDED)
        kind = kind or DocumentKind.CERTIFICATE
        code = new_code()
        pdf = render_pdf(
            f"<html><body><h1>Documento di prova</h1><p>Codice {code}</p></body></html>"
        )
        stored = store_generated(self.coordinator(), f"{kind.value}-{code}.pdf", pdf)
        doc = IssuedDocument(
            dossier_id=dossier.id,
            holder_id=dossier.candidate_id,
            kind=kind,
            code=code,
            file_id=stored.id,
            sha256=stored.sha256,
            issued_on=issued_on or dt.date(2026, 11, 30),
            issued_by_id=self.coordinator().id,
            supersedes_id=supersedes.id if supersedes is not None else None,
            issue_batch=uuid.uuid4().hex,
        )
        db.session.add(doc)
        db.session.commit()
        return doc
