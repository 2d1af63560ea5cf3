"""The assessments part of the demo, on the course "Percorso Disability Manager - II edizione":
a quiz on Law 68/1999 and targeted placement, an assignment (a personalised placement project
for a case), a simulated inclusive interview observed with double marking, and the final oral
assessment. Most trainees are graded and released, some are drafts, one double-marked grade
has an agreed mark. corsista1 has done nothing yet, so the quiz and the assignment can be tried.

Everything is invented; answers and marks come from a seeded random generator.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from assessments.demo.data import (
    FEEDBACK,
    INTERVIEW_RUBRIC,
    PROJECT_RUBRIC,
    PROJECT_TEXT,
    QUIZ,
    pdf,
)
from assessments.demo.selfcheck import load_self_check
from assessments.models import Assessment, AssessmentKind, LatePolicy
from assessments.scoring import QuestionType
from assessments.services import authoring, grading, taking
from assessments.services.authoring import (
    AssessmentInput,
    CriterionInput,
    LevelInput,
    QuestionInput,
)
from assessments.services.grading import MarkInput
from assessments.services.taking import AnswerInput, Upload
from courses.models import Course, Enrolment, EnrolmentStatus
from lms.accounts.services import get_user_by_email
from lms.db import db, utcnow
from lms.standards.demo import illustrative_framework
from lms.standards.models import FrameworkItem

COURSE_TITLE = "Percorso Disability Manager"
COURSE_EDITION = "II edizione"


def _items() -> dict[str, int]:
    fw = illustrative_framework()
    if fw is None:
        return {}
    return {
        i.code: i.id
        for i in db.session.scalars(
            select(FrameworkItem).where(FrameworkItem.framework_id == fw.id)
        )
    }


def _ids(items: dict[str, int], codes) -> list[int]:
    return [items[c] for c in codes if c in items]


def _template(actor, title, description, criteria, items):
    rubric = authoring.create_template(actor, title=title, description=description)
    for name, codes, levels in criteria:
        authoring.add_criterion(
            actor,
            rubric,
            CriterionInput(
                title=name,
                framework_item_ids=_ids(items, codes),
                levels=[LevelInput(title=t, points=p, descriptor=d) for p, t, d in levels],
            ),
        )
    return rubric


def load_demo() -> None:
    """Create the demo assessments, attempts, submissions and grades (once)."""
    course = db.session.scalar(
        select(Course).where(Course.title == COURSE_TITLE, Course.edition == COURSE_EDITION)
    )
    if course is None or db.session.scalar(
        select(Assessment.id).where(Assessment.course_id == course.id).limit(1)
    ):
        return
    coordinator = get_user_by_email("coordinatore@demo.example")
    t1, t2, t3 = (get_user_by_email(f"docente{i}@demo.example") for i in (1, 2, 3))
    enrolments = db.session.scalars(
        select(Enrolment)
        .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .options(joinedload(Enrolment.user))
    ).all()
    trainees = {
        int(e.user.email.split("@")[0].removeprefix("corsista")): e.user
        for e in enrolments
        if e.user.email.startswith("corsista")
    }
    items = _items()
    rnd = random.Random(681999)
    now = utcnow()
    day = dt.timedelta(days=1)

    project_tpl = _template(
        t1,
        "Progetto personalizzato di inserimento",
        "Griglia per valutare un progetto di inserimento lavorativo su un caso.",
        PROJECT_RUBRIC,
        items,
    )
    interview_tpl = _template(
        t1,
        "Colloquio di selezione inclusivo (osservazione)",
        "Griglia di osservazione di un colloquio simulato.",
        INTERVIEW_RUBRIC,
        items,
    )

    # --- the quiz --------------------------------------------------------------------------
    quiz = authoring.create_assessment(
        t1,
        course,
        AssessmentInput(
            title="Quiz: Legge 68/1999 e collocamento mirato",
            kind=AssessmentKind.QUIZ,
            opens_at=now - 28 * day,
            closes_at=now + 14 * day,
            max_points="10",
            pass_mark=Decimal("6"),
            weight="1",
            attempts_allowed=2,
            time_limit_minutes=30,
            show_answers=True,
            published=True,
            instructions="Sei domande sulla quota di riserva, il prospetto informativo e gli "
            "strumenti del collocamento mirato. Hai 30 minuti e due tentativi: conta il "
            "migliore. Le risposte si salvano man mano.",
            framework_item_ids=_ids(items, ["C1.K1", "C1.A1", "C2.K1"]),
        ),
    )
    for kind, prompt, pts, choices, extra, codes in QUIZ:
        authoring.add_question(
            t1,
            quiz,
            QuestionInput(
                kind=kind,
                prompt=prompt,
                points=pts,
                choices=choices,
                framework_item_ids=_ids(items, codes),
                **extra,
            ),
        )
    questions = taking.load_questions(t1, quiz)
    for n in range(2, 31):
        started = now - (20 - n % 10) * day
        attempt = taking.start_attempt(trainees[n], quiz, now=started)
        answers = []
        for q in questions:
            good = rnd.random() < 0.78
            if q.has_choices:
                right = [c.id for c in q.choices if c.correct]
                wrong = [c.id for c in q.choices if not c.correct]
                picked = right if good else [rnd.choice(wrong)]
                if q.kind == QuestionType.SINGLE or q.kind == QuestionType.TRUE_FALSE:
                    picked = picked[:1]
                answers.append(AnswerInput(q.id, picked))
            elif q.kind == QuestionType.NUMERIC:
                answers.append(AnswerInput(q.id, [], "4" if good else "5"))
            else:
                answers.append(AnswerInput(q.id, [], "collocamento mirato" if good else "CPI"))
        taking.submit_attempt(trainees[n], attempt, answers, now=started + dt.timedelta(minutes=12))
    grading.release(t1, quiz, now=now - 2 * day)
    load_self_check(t1, course, trainees, now)

    # --- the assignment --------------------------------------------------------------------
    project = authoring.create_assessment(
        t1,
        course,
        AssessmentInput(
            title="Progetto personalizzato di inserimento: il caso di M.",
            kind=AssessmentKind.ASSIGNMENT,
            opens_at=now - 35 * day,
            closes_at=now + 10 * day,
            late_policy=LatePolicy.ACCEPT,
            late_until=now + 13 * day,
            max_points="20",
            pass_mark=Decimal("12"),
            weight="2",
            attempts_allowed=3,
            published=True,
            instructions="Leggi il caso di M. (magazziniere, 34 anni, esiti di un trauma alla "
            "colonna) e scrivi un progetto personalizzato di inserimento: analisi, "
            "accomodamenti ragionevoli, tutoraggio e monitoraggio, rete degli attori. "
            "Puoi scrivere qui sotto e allegare un documento (PDF, ODT o DOCX).",
            framework_item_ids=_ids(items, ["C3.A1", "C3.A2", "C4.A1"]),
        ),
    )
    authoring.attach_rubric(t1, project, project_tpl)
    rubric = grading.assessment_rubric(project)
    for n in range(2, 26):
        uploads = (
            [Upload(f"progetto-{n}.pdf", pdf(f"Progetto di inserimento - corsista {n}"))]
            if n % 3 == 0
            else []
        )
        taking.submit_work(
            trainees[n], project, text=PROJECT_TEXT, uploads=uploads, now=now - (12 - n % 10) * day
        )
    for n in range(2, 21):
        grade = grading.grade_for_marking(t1, project, trainees[n].id)
        levels = {}
        for crit in rubric.criteria:
            ordered = sorted(crit.levels, key=lambda lv: lv.points)
            levels[crit.id] = ordered[min(len(ordered) - 1, 1 + rnd.randrange(3))].id
        grading.save_mark(
            t1,
            project,
            grade,
            MarkInput(levels=levels, feedback=FEEDBACK[n % len(FEEDBACK)]),
            now=now - 3 * day,
        )
    ids = [grading.grade_for_marking(t1, project, trainees[n].id).id for n in range(2, 17)]
    grading.release(t1, project, ids, now=now - 1 * day)  # 17-20 stay drafts; 21-25 to grade

    # --- the observed practical test, double marked ----------------------------------------
    interview = authoring.create_assessment(
        t2,
        course,
        AssessmentInput(
            title="Prova pratica: colloquio di selezione inclusivo simulato",
            kind=AssessmentKind.PRACTICAL,
            opens_at=now - 21 * day,
            closes_at=now + 21 * day,
            max_points="20",
            pass_mark=Decimal("12"),
            weight="2",
            double_marking=True,
            marking_tolerance="3",
            published=True,
            instructions="Colloquio simulato di 20 minuti con un candidato con disabilità "
            "(interpretato da un attore). Due docenti osservano e valutano in modo "
            "indipendente con la griglia.",
            framework_item_ids=_ids(items, ["C2.A2", "C5.A1"]),
        ),
    )
    authoring.attach_rubric(t2, interview, interview_tpl)
    irubric = grading.assessment_rubric(interview)

    def observe(marker, n, shift):
        grade = grading.grade_for_marking(marker, interview, trainees[n].id)
        levels = {}
        for k, crit in enumerate(irubric.criteria):
            ordered = sorted(crit.levels, key=lambda lv: lv.points)
            levels[crit.id] = ordered[max(0, min(len(ordered) - 1, 1 + shift + (n + k) % 2))].id
        grading.save_mark(
            marker,
            interview,
            grade,
            MarkInput(
                levels=levels,
                observed_on=(now - (14 - n % 7) * day).date(),
                note="Colloquio svolto in aula Brera, candidato simulato.",
                feedback="Accoglienza curata; domande centrate sulle competenze.",
            ),
            now=now - 5 * day,
        )
        return grade

    for n in range(2, 13):
        observe(t2, n, 0)
        observe(t3, n, 0)
    agreed = observe(t2, 13, 1)
    observe(t3, 13, -1)
    grading.record_agreement(
        coordinator,
        interview,
        agreed,
        score=Decimal("14"),
        reason="Confronto tra i due osservatori: la chiusura del colloquio era adeguata ma non "
        "condivisa con il candidato.",
        feedback="Buona accoglienza e domande pertinenti; curare la restituzione finale.",
        now=now - 4 * day,
    )
    observe(t2, 14, 1)
    observe(t3, 14, -1)  # differs: the agreement is still to record
    observe(t2, 15, 0)  # the second marker has not observed yet
    grading.release(t2, interview, now=now - 2 * day)

    # --- the final assessment --------------------------------------------------------------
    end = dt.datetime.combine(course.end_date, dt.time(18), tzinfo=dt.UTC)
    authoring.create_assessment(
        coordinator,
        course,
        AssessmentInput(
            title="Prova finale: colloquio orale sul progetto di inserimento",
            kind=AssessmentKind.ORAL,
            opens_at=end - 7 * day,
            closes_at=end,
            max_points="30",
            pass_mark=Decimal("18"),
            weight="3",
            is_final=True,
            published=True,
            instructions="Colloquio con la commissione sul progetto personalizzato e sui casi "
            "discussi nel percorso. Sono ammessi i corsisti che hanno frequentato "
            "almeno il 70% delle ore.",
            framework_item_ids=_ids(items, ["C1.K1", "C3.A1", "C4.A1", "C6.A1"]),
        ),
    )
    db.session.flush()
