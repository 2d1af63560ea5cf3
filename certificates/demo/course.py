"""The first edition of the Disability Manager course, completed by corsista1."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from sqlalchemy import select

from assessments.models import AssessmentKind
from assessments.services import authoring, grading
from assessments.services.authoring import AssessmentInput
from assessments.services.grading import MarkInput
from certificates.demo.common import COURSE_TITLE, FIRST_EDITION, MODULE_PLAN, _user
from courses.models import ROME, AttendanceStatus, Course, CourseStatus, LessonMode, Module
from courses.services.courses import create_course, set_status
from courses.services.enrolments import enrol
from courses.services.lessons import schedule_lessons
from courses.services.registers import RowInput, save_register, sign_register
from lms.db import db


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
