"""The courses part of the demo: an ILLUSTRATIVE Disability Manager framework, a module
catalogue and the course "Percorso Disability Manager - II edizione" with lessons, trainees,
attendance and one lesson running now, so that self check-in can be tried.

Everything is invented. The framework is written for the demo from the profile's published
description: it is not the official text of Regione Lombardia.
"""

from __future__ import annotations

import datetime as dt
import random

from sqlalchemy import select

from courses.models import (
    ROME,
    AttendanceStatus,
    Course,
    CourseStatus,
    LessonMode,
    Module,
    TopicArea,
)
from courses.services.catalogue import create_module
from courses.services.courses import create_course
from courses.services.enrolments import enrol, withdraw
from courses.services.lessons import schedule_lessons
from courses.services.registers import RowInput, save_register, sign_register
from lms.accounts.models import User
from lms.accounts.services import get_user_by_email, system_actor
from lms.db import db
from lms.standards.demo import ILLUSTRATIVE_FILE, illustrative_framework
from lms.standards.exchange.json_format import import_json
from lms.standards.lifecycle import publish
from lms.standards.models import Competence

COURSE_TITLE = "Percorso Disability Manager"
COURSE_EDITION = "II edizione"

# (code, title, topic, hours, competence codes covered)
MODULES = [
    ("NORM-01", "Legge 68/1999 e collocamento mirato", TopicArea.REGULATORY, 8, ["C1", "C2"]),
    (
        "NORM-02",
        "Accomodamento ragionevole, privacy e dati sanitari",
        TopicArea.REGULATORY,
        8,
        ["C4"],
    ),
    (
        "COM-01",
        "Linguaggio inclusivo e comunicazione con colleghi e lavoratori",
        TopicArea.COMMUNICATION,
        8,
        ["C5"],
    ),
    (
        "COM-02",
        "Il colloquio: selezione, accoglienza e verifica",
        TopicArea.COMMUNICATION,
        8,
        ["C2", "C3"],
    ),
    (
        "REL-01",
        "Tutoraggio e progetto personalizzato di inserimento",
        TopicArea.RELATIONAL,
        8,
        ["C3", "C6"],
    ),
    ("REL-02", "Conflitti, clima e benessere organizzativo", TopicArea.RELATIONAL, 8, ["C5"]),
    ("COACH-01", "Coaching di gruppo sui casi aziendali", TopicArea.COACHING, 8, ["C3", "C4"]),
]

# Lesson plan: module code for each weekly lesson (14 lessons over the four areas).
PLAN = [
    "NORM-01",
    "COM-01",
    "REL-01",
    "NORM-02",
    "COM-02",
    "REL-02",
    "COACH-01",
    "NORM-01",
    "COM-01",
    "REL-01",
    "NORM-02",
    "COM-02",
    "REL-02",
    "COACH-01",
]
DEMO_ACTOR_EMAIL = "coordinatore@demo.example"
PAST_WEEKS = 9  # lessons before today; then one running now, then the rest ahead
WEAK_TRAINEES = {4, 11, 17, 26, 31}  # attend less: below the threshold in the report
LATE_JOINERS = {34, 35}  # enrolled after the third lesson
WITHDRAWN = 36
CLOSE_TO_THRESHOLD = 1  # corsista1 attends nearly everything: a few hours short of admission
MEET_LINK = "https://meet.example.org/rencontrer-dm"


def _framework(actor) -> dict[str, object]:
    """The illustrative framework, imported from its data file (the one source) and published."""
    fw = illustrative_framework()
    if fw is None:
        fw = import_json(actor, ILLUSTRATIVE_FILE.read_bytes())
        publish(actor, fw)  # dossiers rest on a published framework only
    return {
        c.code: c
        for c in db.session.scalars(select(Competence).where(Competence.framework_id == fw.id))
    }


def _modules(actor, competences) -> dict[str, Module]:
    out = {}
    for code, title, topic, hours, comps in MODULES:
        module = db.session.scalar(select(Module).where(Module.code == code))
        if module is None:
            module = create_module(
                actor,
                code=code,
                title=title,
                topic_area=topic,
                planned_minutes=hours * 60,
                description=f"Modulo dimostrativo: {title.lower()}.",
                objectives="Conoscere il quadro di riferimento\nApplicarlo a casi aziendali",
                framework_item_ids=[competences[c].id for c in comps if c in competences],
            )
        out[code] = module
    return out


def _now_slot(now_local: dt.datetime) -> tuple[dt.time, dt.time]:
    """A three-hour slot containing now, within the day."""
    start_min = max(0, (now_local.hour * 60 + now_local.minute) // 15 * 15 - 60)
    end_min = min(23 * 60 + 59, start_min + 180)
    if end_min - start_min < 60:
        start_min = end_min - 120
    return dt.time(start_min // 60, start_min % 60), dt.time(end_min // 60, end_min % 60)


def demo_actor() -> User:
    """The named demo coordinator (created by the lms demo step) who builds the course."""
    actor = get_user_by_email(DEMO_ACTOR_EMAIL)
    if actor is None:
        raise RuntimeError(f"The demo coordinator {DEMO_ACTOR_EMAIL} must exist first.")
    return actor


def load_demo() -> None:
    """Create the demo course, lessons, enrolments and attendance (once), acting as the demo
    coordinator; each register is kept by its lesson's trainer."""
    actor = demo_actor()
    existing = db.session.scalar(
        select(Course).where(Course.title == COURSE_TITLE, Course.edition == COURSE_EDITION)
    )
    if existing is not None:
        _materials(actor, existing)  # a demo database made before materials existed
        return
    competences = _framework(system_actor())  # standards are the administrators'
    modules = _modules(actor, competences)
    trainers = [get_user_by_email(f"docente{i}@demo.example") for i in (1, 2, 3)]
    trainees = [get_user_by_email(f"corsista{i}@demo.example") for i in range(1, 37)]
    now = dt.datetime.now(ROME)
    today = now.date()
    first = today - dt.timedelta(weeks=PAST_WEEKS)
    course = create_course(
        actor,
        title=COURSE_TITLE,
        edition=COURSE_EDITION,
        description="Percorso di formazione per Disability Manager aziendali delle 12 imprese "
        "partner del progetto Rencontrer (dati dimostrativi).",
        start_date=first - dt.timedelta(days=7),
        end_date=today + dt.timedelta(weeks=8),
        capacity=40,
        assessment_threshold_pct=70,
        certification_threshold_pct=75,
        trainer_ids=[t.id for t in trainers],
        module_ids=[modules[code].id for code, *_rest in MODULES],
        status=CourseStatus.RUNNING,
    )
    places = ["Aula Navigli, via Vigevano 18, Milano", "Aula Brera, via Solferino 7, Milano"]
    lessons = []
    for n, code in enumerate(PLAN):
        day = first + dt.timedelta(weeks=n)
        trainer = trainers[n % 3]
        if day == today:
            start, end = _now_slot(now)
            trainer = trainers[0]  # docente1 runs the lesson happening now
        else:
            start, end = (dt.time(9, 30), dt.time(13, 30)) if n % 2 else (dt.time(14), dt.time(18))
        mode = [LessonMode.IN_PERSON, LessonMode.BLENDED, LessonMode.ONLINE][n % 3]
        lessons += schedule_lessons(
            actor,
            course,
            module_id=modules[code].id,
            date=day,
            start_time=start,
            end_time=end,
            mode=mode,
            trainer_id=trainer.id,
            place="" if mode == LessonMode.ONLINE else places[n % 2],
            link=MEET_LINK if mode != LessonMode.IN_PERSON else "",
        )
    enrolments = {}
    for i, user in enumerate(trainees, start=1):
        on = lessons[3].date - dt.timedelta(days=2) if i in LATE_JOINERS else course.start_date
        enrolments[i] = enrol(actor, course, user, enrolled_on=on)
    withdraw(
        actor,
        enrolments[WITHDRAWN],
        course,
        "Cambio di mansione: non può più frequentare",
        on=lessons[4].date + dt.timedelta(days=1),
    )
    _attendance(actor, course, lessons, enrolments, today)
    db.session.flush()
    _materials(actor, course)


def _demo_pdf(title: str, lines: list[str]) -> bytes:
    from lms.pdf import render_pdf

    body = "".join(f"<p>{line}</p>" for line in lines)
    return render_pdf(
        f"<html><body><h1>{title}</h1>{body}<p><em>Materiale dimostrativo.</em></p></body></html>"
    )


def _materials(actor, course: Course) -> None:
    """Materials of the demo course: a PDF and a link for a module and for its first lesson."""
    from courses.models import Lesson, Material
    from courses.services.materials import MaterialUpload, add_material

    if db.session.scalar(select(Material.id).where(Material.course_id == course.id).limit(1)):
        return
    norm = db.session.scalar(select(Module).where(Module.code == "NORM-01"))
    first = db.session.scalar(
        select(Lesson)
        .where(Lesson.course_id == course.id, Lesson.module_id == norm.id)
        .order_by(Lesson.date, Lesson.start_time)
    )
    add_material(
        actor,
        course,
        title="Dispensa: la Legge 68/1999 in sintesi",
        note="Quote di riserva, prospetto informativo, convenzioni dell'art. 11.",
        module_id=norm.id,
        upload=MaterialUpload(
            "dispensa-legge-68-1999.pdf",
            _demo_pdf(
                "La Legge 68/1999 in sintesi",
                [
                    "Quota di riserva: chi deve assumere e quante persone.",
                    "Il prospetto informativo annuale.",
                    "Le convenzioni dell'art. 11 con i servizi per il collocamento mirato.",
                ],
            ),
        ),
    )
    add_material(
        actor,
        course,
        title="Testo della Legge 12 marzo 1999, n. 68 (Normattiva)",
        note="Il testo vigente, da consultare durante il modulo.",
        module_id=norm.id,
        url="https://www.normattiva.it/uri-res/N2Ls?urn:nir:stato:legge:1999-03-12;68",
    )
    add_material(
        actor,
        course,
        title="Slide della prima lezione",
        note="Le slide proiettate in aula.",
        lesson_id=first.id,
        upload=MaterialUpload(
            "slide-prima-lezione.pdf",
            _demo_pdf(
                "Collocamento mirato: la prima lezione",
                ["Chi è il Disability Manager.", "Il quadro normativo.", "Casi aziendali."],
            ),
        ),
    )
    add_material(
        actor,
        course,
        title="Linee guida sul collocamento mirato (Ministero del Lavoro)",
        note="Da leggere prima della lezione.",
        lesson_id=first.id,
        url="https://www.lavoro.gov.it/",
    )


def _attendance(actor, course, lessons, enrolments, today) -> None:
    rnd = random.Random(2024)
    past = [s for s in lessons if s.date < today]
    for k, lesson in enumerate(past):
        trainer = db.session.get(User, lesson.trainer_id)
        length = lesson.length_minutes
        rows = []
        for i, e in enrolments.items():
            if not e.counts_on(lesson.date):
                continue
            roll = rnd.random()
            weak = i in WEAK_TRAINEES
            if roll < (0.40 if weak else 0.05):
                status, minutes, note = AttendanceStatus.ABSENT, 0, ""
            elif roll < (0.48 if weak else 0.10):
                status, minutes, note = AttendanceStatus.EXCUSED, 0, "Certificato medico"
            elif roll < (0.58 if weak else 0.16):
                status, minutes, note = AttendanceStatus.LATE, length - rnd.choice([20, 30, 45]), ""
            elif roll < (0.66 if weak else 0.20):
                status, minutes, note = (
                    AttendanceStatus.LEFT_EARLY,
                    length - rnd.choice([30, 60, 90]),
                    "Impegno di lavoro",
                )
            else:
                status, minutes, note = AttendanceStatus.PRESENT, length, ""
            if i == CLOSE_TO_THRESHOLD:
                # present throughout, late once: a few hours short of admission until the next
                # lessons, which the course page says in words (the random draws stay the same)
                late = k == 1
                status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
                minutes, note = (length - 30 if late else length), ""
            rows.append(RowInput(e.id, status, minutes, note, 0))
        save_register(trainer, lesson, course, rows, now=lesson.ends_at)
        # The most recent register is left unsigned (it shows on the dashboards, with its age);
        # the one before was signed by the coordinator on the trainer's behalf.
        if k < len(past) - 2:
            sign_register(trainer, lesson, course, now=lesson.ends_at)
        elif k == len(past) - 2:
            sign_register(actor, lesson, course, now=lesson.ends_at + dt.timedelta(days=1))
