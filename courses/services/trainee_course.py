"""The trainee's course page: lessons in order with place or link, the trainee's attendance
per signed register, progress against the thresholds, materials. A fixed number of queries
whatever the number of lessons and materials."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import joinedload, lazyload

from courses.attendance import counted_minutes, eligibility_from, records_of, summarise
from courses.models import AttendanceStatus, Course, Enrolment, Lesson, Material, Register
from courses.permissions import can_view_materials, can_view_trainee_course
from courses.progress import Progress, progress_of
from courses.services.courses import load_module_links
from courses.services.materials import materials_of
from lms.accounts.models import User
from lms.db import db, utcnow
from lms.permissions import require, require_actor

DEFAULT_LINK_LEAD = 30


@dataclass
class LessonLine:
    lesson: Lesson
    counts: bool  # the lesson counts for this enrolment (dates of enrolment and withdrawal)
    held: bool
    signed: bool
    status: AttendanceStatus | None  # shown once the register is signed
    minutes: int | None
    link_visible: bool
    link_from: dt.datetime  # when the link appears (local time)
    materials: list[Material] = field(default_factory=list)


@dataclass
class TraineeCoursePage:
    enrolment: Enrolment
    course: Course
    trainee: User
    lines: list[LessonLine]
    progress: Progress
    modules: list  # CourseModule links with their module, in order
    module_materials: dict[int, list[Material]]
    shows_materials: bool
    own: bool  # the viewer is the trainee


def trainee_course(
    actor: User,
    enrolment: Enrolment,
    *,
    now: dt.datetime | None = None,
    link_lead_minutes: int = DEFAULT_LINK_LEAD,
) -> TraineeCoursePage:
    """The course as one enrolled trainee follows it, for the trainee or a reader of the
    enrolment (the company's referent, the course's trainers, staff); 404 for anyone else."""
    require_actor(actor)
    require(can_view_trainee_course(actor, enrolment), private=True)
    now = now or utcnow()
    course = db.session.get(Course, enrolment.course_id)
    # pages about one person show no roles: none loaded (the trainee, the lessons' trainers)
    trainee = db.session.get(User, enrolment.user_id, options=[lazyload(User.role_rows)])
    rows = db.session.execute(
        select(Lesson, Register.signed_at)
        .outerjoin(Register, Register.lesson_id == Lesson.id)
        .where(Lesson.course_id == course.id)
        .options(joinedload(Lesson.module), joinedload(Lesson.trainer).lazyload(User.role_rows))
        .order_by(Lesson.date, Lesson.start_time, Lesson.id)
    ).all()
    lessons = [lesson for lesson, _signed in rows]
    records = records_of([enrolment.id])[enrolment.id]
    summary = summarise(enrolment, lessons, records, now)
    progress = progress_of(
        summary, eligibility_from(course, summary), own=actor.id == enrolment.user_id
    )
    shows = can_view_materials(actor, course, enrolment)
    by_lesson: dict[int, list[Material]] = defaultdict(list)
    by_module: dict[int, list[Material]] = defaultdict(list)
    if shows:
        for m in materials_of(actor, course, enrolment):
            (by_lesson[m.lesson_id] if m.lesson_id else by_module[m.module_id]).append(m)
    lead = dt.timedelta(minutes=link_lead_minutes)
    lines = []
    for lesson, signed_at in rows:
        rec = records.get(lesson.id)
        signed = signed_at is not None
        held = not lesson.is_cancelled and lesson.starts_at <= now
        link_from = lesson.starts_at - lead
        lines.append(
            LessonLine(
                lesson=lesson,
                counts=enrolment.counts_on(lesson.date),
                held=held,
                signed=signed,
                status=rec.status if (signed and rec is not None) else None,
                minutes=counted_minutes(rec, lesson) if (signed and rec is not None) else None,
                link_visible=bool(lesson.link) and not lesson.is_cancelled and now >= link_from,
                link_from=link_from,
                materials=by_lesson.get(lesson.id, []),
            )
        )
    return TraineeCoursePage(
        enrolment=enrolment,
        course=course,
        trainee=trainee,
        lines=lines,
        progress=progress,
        modules=load_module_links(course),
        module_materials=dict(by_module),
        shows_materials=shows,
        own=actor.id == enrolment.user_id,
    )


def own_enrolment(actor: User, course: Course) -> Enrolment | None:
    """The actor's own enrolment in a course, if any (one query)."""
    require_actor(actor)
    return db.session.scalar(
        select(Enrolment).where(Enrolment.course_id == course.id, Enrolment.user_id == actor.id)
    )
