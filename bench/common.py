"""Helpers shared by the benchmarks: wall-time measurement and a SQL statement counter."""

from __future__ import annotations

import datetime as dt
import math
import os
import platform
import statistics
import sys
import tempfile
import time
import tracemalloc
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event


def timed(fn, repeat: int = 5) -> tuple[float, float]:
    """Median and best wall time of fn() in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times), min(times)


def percentiles(fn, repeat: int = 20) -> tuple[float, float]:
    """Median and 95th percentile (nearest rank) of fn()'s wall time in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    times.sort()
    return statistics.median(times), times[math.ceil(0.95 * len(times)) - 1]


def peak_memory(fn) -> int:
    """Peak bytes allocated by Python (tracemalloc) while fn() runs."""
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@contextmanager
def bench_app(name: str):
    """A testing app on a scratch SQLite file, or on LMS_BENCH_DATABASE_URL (PostgreSQL: in a
    scratch schema dropped at the end, so runs repeat); yields (app, url)."""
    from sqlalchemy import create_engine, text

    from lms import create_app

    tmp = Path(tempfile.mkdtemp(prefix=f"bench-{name}-"))
    url = os.environ.get("LMS_BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite'}"
    config = {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": url,
        "SECRET_KEY": "bench-secret-key-0123456789",
        "WTF_CSRF_ENABLED": False,
        "UPLOAD_FOLDER": str(tmp / "uploads"),
        "PROPAGATE_TEST_ERRORS": True,
    }
    schema = f"bench_{name}_{os.getpid()}" if url.startswith("postgresql") else None
    admin = create_engine(url) if schema else None
    if schema:
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            "pool_pre_ping": True,
            "connect_args": {"options": f"-csearch_path={schema}"},
        }
    try:
        yield create_app(config), url
    finally:
        if schema:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()


def freeze_heap() -> None:
    """Freeze the heap as a worker does after start-up (lms/heap.py), unless
    BENCH_NO_FREEZE=1 (the figures before that lever)."""
    if not os.environ.get("BENCH_NO_FREEZE"):
        from lms.heap import freeze_startup_heap

        freeze_startup_heap()


def machine_line(name: str, url: str) -> str:
    """Date, machine (nproc), Python version, database and command of a results file."""
    return (
        f"Measured {dt.datetime.now(dt.UTC).strftime('%Y-%m-%d %H:%M')} UTC on "
        f"{len(os.sched_getaffinity(0))} CPUs (`nproc`), {platform.machine()}, "
        f"Python {platform.python_version()} ({sys.implementation.name}), "
        f"database `{url.split(':', 1)[0]}`, by `python -m bench {name}`."
    )


def write_section(path: Path, header: list[str], section: str, body: list[str]) -> None:
    """Write a results file of one `## section` per database, replacing only this run's
    (in place: the sections keep the order they have in the file, a new one goes last)."""
    sections: dict[str, str] = {}
    if path.exists():
        for chunk in path.read_text(encoding="utf-8").split("\n## ")[1:]:
            title, _, rest = chunk.partition("\n")
            sections[title.strip()] = rest.strip("\n")
    sections[section] = "\n".join(body).strip("\n")
    text_out = "\n".join(header).rstrip("\n") + "\n"
    for title in sections:
        text_out += f"\n## {title}\n\n{sections[title]}\n"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text_out, encoding="utf-8")
    print(text_out)


class QueryCounter:
    """Counts the SQL statements an engine runs inside a with-block."""

    def __init__(self, engine):
        self.engine, self.n = engine, 0

    def __enter__(self):
        event.listen(self.engine, "before_cursor_execute", self._hit)
        return self

    def __exit__(self, *exc):
        event.remove(self.engine, "before_cursor_execute", self._hit)

    def _hit(self, *args, **kwargs):
        self.n += 1


PASSWORD = "bench-password-123"


def build_course(n_trainees: int, n_lessons: int, organisation_ids: list[int] | None = None):
    """A course with one trainer, one module, n_lessons past lessons and n_trainees enrolled.

    Returns (course, lessons, trainer, enrolments); trainee 0 can log in with PASSWORD.
    """
    import datetime as dt

    from courses.models import TopicArea
    from courses.services.catalogue import create_module
    from courses.services.courses import create_course
    from courses.services.enrolments import enrol, today
    from courses.services.lessons import schedule_lessons
    from lms.accounts.models import Role
    from lms.accounts.services import create_user, system_actor

    trainer = create_user(
        system_actor(),
        email="docente@bench.example",
        full_name="Docente Bench",
        roles={Role.TRAINER},
        password=PASSWORD,
    )
    coordinator = create_user(
        system_actor(),
        email="coordinatore@bench.example",
        full_name="Coordinatore Bench",
        roles={Role.COORDINATOR},
    )
    module = create_module(
        coordinator,
        code="BENCH-01",
        title="Modulo bench",
        topic_area=TopicArea.REGULATORY,
        planned_minutes=240,
    )
    start = today() - dt.timedelta(days=n_lessons + 10)
    course = create_course(
        coordinator,
        title="Percorso bench",
        edition="I",
        start_date=start,
        end_date=today() + dt.timedelta(days=30),
        trainer_ids=[trainer.id],
        module_ids=[module.id],
    )
    lessons = []
    for i in range(n_lessons):
        lessons += schedule_lessons(
            coordinator,
            course,
            module_id=module.id,
            date=start + dt.timedelta(days=i + 1),
            start_time=dt.time(9),
            end_time=dt.time(13),
            mode="in_person",
            place="Aula",
            trainer_id=trainer.id,
        )
    enrolments = []
    for i in range(n_trainees):
        user = create_user(
            system_actor(),
            email=f"corsista{i}@bench.example",
            full_name=f"Corsista Bench {i:04d}",
            roles={Role.TRAINEE},
            organisation_id=organisation_ids[i % len(organisation_ids)]
            if organisation_ids
            else None,
            password=PASSWORD if i == 0 else None,
        )
        enrolments.append(enrol(coordinator, course, user, enrolled_on=start))
    return course, lessons, trainer, enrolments


def insert_attendance(lessons, enrolments, status_of) -> None:
    """Bulk-insert one attendance record per lesson and trainee.

    status_of(lesson_index, enrolment_index) -> (AttendanceStatus, minutes).
    """
    from sqlalchemy import insert

    from courses.models import AttendanceRecord, AttendanceSource
    from lms.db import db, utcnow

    now = utcnow()
    rows = []
    for li, lesson in enumerate(lessons):
        for ei, e in enumerate(enrolments):
            status, minutes = status_of(li, ei)
            rows.append(
                {
                    "lesson_id": lesson.id,
                    "enrolment_id": e.id,
                    "status": status,
                    "minutes": minutes,
                    "note": "",
                    "source": AttendanceSource.REGISTER,
                    "version_id": 1,
                    "created_at": now,
                    "updated_at": now,
                }
            )
    for i in range(0, len(rows), 5000):
        db.session.execute(insert(AttendanceRecord), rows[i : i + 5000])
