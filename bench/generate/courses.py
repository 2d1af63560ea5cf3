"""Courses: a module catalogue, courses with their trainers, two-hour lessons, enrolments,
the attendance of every held lesson and its signed register."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from bench.generate.bulk import Loader
from bench.generate.plan import ATTENDANCE, LESSON_MINUTES, SLOTS, Scale
from lms.db import utcnow
from lms.timezone import LOCAL_TZ

TOPICS = [
    ("regulatory", "Collocamento mirato e Legge 68/1999"),
    ("communication", "Comunicazione inclusiva in azienda"),
    ("relational", "Relazioni di lavoro e accomodamenti ragionevoli"),
    ("coaching", "Affiancamento e tutoraggio dei nuovi assunti"),
    ("awareness", "Consapevolezza e pregiudizi impliciti"),
    ("regulatory", "Privacy e dati sanitari nel rapporto di lavoro"),
    ("communication", "Accessibilità dei documenti e del web"),
    ("relational", "Gestione dei conflitti e mediazione"),
    ("coaching", "Progetti individuali di inserimento"),
    ("other", "Reti territoriali e servizi per l'impiego"),
]
PLACES = ["Aula Navigli", "Aula Brera", "Aula Sempione", "Sala Bicocca", "Aula Lambro"]


@dataclass
class CourseData:
    id: int
    title: str
    trainer_id: int
    start: dt.date
    lessons: list[tuple[int, dt.date]]  # (lesson id, date), in order
    held: int  # the first `held` lessons are in the past
    enrolments: list[tuple[int, int]] = field(default_factory=list)  # (enrolment id, user id)
    n_assessments: int = 0
    featured: bool = False


def modules(loader: Loader, rng: random.Random) -> list[int]:
    now = utcnow()
    ids = loader.ids("modules", len(TOPICS))
    loader.load(
        "modules",
        (
            "id",
            "code",
            "title",
            "topic_area",
            "description",
            "objectives",
            "planned_minutes",
            "created_at",
            "updated_at",
        ),
        [
            (mid, f"BENCH-{k + 1:02d}", title, topic, "", "", 40 * 60, now, now)
            for k, (mid, (topic, title)) in enumerate(zip(ids, TOPICS, strict=True))
        ],
    )
    return list(ids)


def plan_courses(rng, scale: Scale, featured, trainer_ids, bench_trainer_id, today):
    """(title, trainees, lessons, held, trainer, slot, assessments, featured) per course."""
    out = []
    for k, (title, n, lessons, n_assess) in enumerate(featured):
        out.append((title, n, lessons, lessons, bench_trainer_id, k, n_assess, True))
    for c in range(len(featured), scale.courses):
        n = round(rng.triangular(*scale.size_range))
        lessons = rng.randint(*scale.lesson_range)
        phase = rng.random()
        held = lessons if phase < 0.45 else 0 if phase > 0.9 else round(lessons * rng.random())
        trainer = trainer_ids[c % len(trainer_ids)]
        slot = (c // len(trainer_ids)) % SLOTS
        out.append(
            (
                f"{TOPICS[c % len(TOPICS)][1]} {c:03d}",
                n,
                lessons,
                held,
                trainer,
                slot,
                rng.choice((3, 3, 4, 4)),
                False,
            )
        )
    return out


def bulk_courses(loader, rng, scale, featured, people, bench, module_ids, trainee_ids, today):
    now = utcnow()
    planned = plan_courses(rng, scale, featured, people["trainer"], bench["trainer"].id, today)
    course_ids = loader.ids("courses", len(planned))
    courses: list[CourseData] = []
    course_rows, links, trainers, lesson_rows = [], [], [], []
    for cid, (title, n, n_lessons, held, trainer, slot, n_assess, feat) in zip(
        course_ids, planned, strict=True
    ):
        start = today - dt.timedelta(days=held + (1 if held == n_lessons else 0))
        end = start + dt.timedelta(days=n_lessons - 1)
        status = "closed" if held == n_lessons and not feat else "running" if held else "open"
        course_rows.append((cid, title, "I", "", start, end, status, None, 70, 75, now, now))
        module_id = module_ids[cid % len(module_ids)]
        links.append((cid, module_id, 0))
        trainers.append((cid, trainer))
        lesson_ids = loader.ids("lessons", n_lessons)
        begin = dt.time(8 + 2 * slot)
        finish = dt.time(10 + 2 * slot)
        data = CourseData(cid, title, trainer, start, [], held, [], n_assess, feat)
        for i, lid in enumerate(lesson_ids):
            day = start + dt.timedelta(days=i)
            data.lessons.append((lid, day))
            lesson_rows.append(
                (
                    lid,
                    cid,
                    module_id,
                    day,
                    begin,
                    finish,
                    "in_person",
                    PLACES[cid % len(PLACES)],
                    "",
                    trainer,
                    0,
                    now,
                    now,
                )
            )
        courses.append(data)
        pool = [bench["trainee"].id] if feat else []
        pool += rng.sample(trainee_ids, min(n, len(trainee_ids)) - len(pool))
        e_ids = loader.ids("enrolments", len(pool))
        data.enrolments = list(zip(e_ids, pool, strict=True))
    loader.load(
        "courses",
        (
            "id",
            "title",
            "edition",
            "description",
            "start_date",
            "end_date",
            "status",
            "capacity",
            "assessment_threshold_pct",
            "certification_threshold_pct",
            "created_at",
            "updated_at",
        ),
        course_rows,
    )
    loader.load("course_modules", ("course_id", "module_id", "position"), links)
    loader.load("course_trainers", ("course_id", "user_id"), trainers)
    loader.load(
        "lessons",
        (
            "id",
            "course_id",
            "module_id",
            "date",
            "start_time",
            "end_time",
            "mode",
            "place",
            "link",
            "trainer_id",
            "sequence",
            "created_at",
            "updated_at",
        ),
        lesson_rows,
    )
    loader.load(
        "enrolments",
        ("id", "course_id", "user_id", "status", "enrolled_on", "created_at", "updated_at"),
        (
            (eid, c.id, uid, "active", c.start, now, now)
            for c in courses
            for eid, uid in c.enrolments
        ),
    )
    _registers_and_attendance(loader, rng, courses, now)
    return courses


def _registers_and_attendance(loader, rng, courses, now) -> None:
    statuses = [(s, m) for s, m, _w in ATTENDANCE]
    weights = [w for _s, _m, w in ATTENDANCE]
    registers = []
    for c in courses:
        for i, (lid, day) in enumerate(c.lessons[: c.held]):
            # The last held lesson of a featured course stays unsigned: its register is saved
            # by the benchmark. Every other held lesson's register is signed after the lesson.
            open_register = c.featured and i == c.held - 1
            signed = dt.datetime.combine(day, dt.time(19), tzinfo=LOCAL_TZ).astimezone(dt.UTC)
            registers.append(
                (lid, None if open_register else signed, None if open_register else c.trainer_id, 1)
            )
    loader.load("registers", ("lesson_id", "signed_at", "signed_by_id", "version_id"), registers)

    def rows():
        for c in courses:
            n = len(c.enrolments)
            for lid, _day in c.lessons[: c.held]:
                picks = rng.choices(statuses, weights, k=n)
                for (eid, _uid), (status, minutes) in zip(c.enrolments, picks, strict=True):
                    yield (lid, eid, status, minutes, "", "register", c.trainer_id, 1, now, now)

    loader.load(
        "attendance_records",
        (
            "lesson_id",
            "enrolment_id",
            "status",
            "minutes",
            "note",
            "source",
            "recorded_by_id",
            "version_id",
            "created_at",
            "updated_at",
        ),
        rows(),
    )


assert LESSON_MINUTES == 120  # ATTENDANCE minutes are of a two-hour lesson
