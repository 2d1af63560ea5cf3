"""Benchmark of the attendance report: courses of 100 x 30 and 300 x 60 (trainees x lessons).

Not a test. Builds each course through the services (attendance rows in bulk, for speed), then
times the report service, the report page, the exports, a trainee's page, the register page
and the register PDF (open, then signed and stored), and writes one section per database and
size to bench/results/attendance.md.

    python -m bench attendance            # SQLite in a temporary folder
    BENCH_SIZES=500x80 LMS_BENCH_DATABASE_URL=postgresql+psycopg://... python -m bench attendance
"""

from __future__ import annotations

import os
import time
from pathlib import Path

from bench.common import (
    PASSWORD,
    QueryCounter,
    bench_app,
    build_course,
    freeze_heap,
    insert_attendance,
    machine_line,
    timed,
    write_section,
)

RESULTS = Path(__file__).parent / "results" / "attendance.md"


def _build(n_trainees: int, n_lessons: int):
    from courses.models import AttendanceStatus
    from lms.accounts.services import system_actor
    from lms.db import db
    from lms.organisations.models import SizeBand
    from lms.organisations.services import create_organisation
    from lms.organisations.validation import make_partita_iva

    t0 = time.perf_counter()
    orgs = [
        create_organisation(
            system_actor(),
            name=f"Azienda Bench {i}",
            tax_code=make_partita_iva(f"{2000000000 + i * 7}"),
            size_band=SizeBand.MEDIUM,
        )
        for i in range(12)
    ]
    course, lessons, trainer, enrolments = build_course(n_trainees, n_lessons, [o.id for o in orgs])
    statuses = [AttendanceStatus.PRESENT] * 7 + [
        AttendanceStatus.LATE,
        AttendanceStatus.ABSENT,
        AttendanceStatus.EXCUSED,
    ]
    minutes = {AttendanceStatus.PRESENT: 240, AttendanceStatus.LATE: 200}

    def status_of(li, ei):
        st = statuses[(li * 7 + ei * 3) % len(statuses)]
        return st, minutes.get(st, 0)

    insert_attendance(lessons, enrolments, status_of)
    db.session.commit()
    return course, lessons, trainer, enrolments[0], time.perf_counter() - t0


def sizes() -> list[tuple[int, int]]:
    """Course sizes to measure: BENCH_SIZES="100x30,300x60" (trainees x lessons), or the
    older BENCH_TRAINEES and BENCH_LESSONS for one size."""
    if "BENCH_TRAINEES" in os.environ:
        return [(int(os.environ["BENCH_TRAINEES"]), int(os.environ.get("BENCH_LESSONS", 60)))]
    spec = os.environ.get("BENCH_SIZES", "100x30,300x60")
    return [tuple(int(n) for n in part.split("x")) for part in spec.split(",")]


def main() -> None:
    for n_trainees, n_lessons in sizes():
        run(n_trainees, n_lessons)


def run(n_trainees: int, n_lessons: int) -> None:
    from flask_migrate import upgrade

    from lms.db import db

    with bench_app("attendance") as (app, url):
        figures = measure(app, n_trainees, n_lessons, upgrade, db)
    header = [
        "# Attendance report benchmark",
        "",
        "A course of N trainees x M lessons (one attendance record each), built through the "
        "services with the records in bulk; the report service, the page, the exports, a "
        "trainee's page, the register page and the register PDF of the last lesson (all N "
        "trainees; open, then signed: first download renders and stores it, later ones read "
        "it back). Times are wall-clock medians (and best) of a few runs in one process (test "
        "client, no network); the machine is shared, so the load average is given.",
        "One section per database and size: `python -m bench attendance` "
        "(BENCH_SIZES=100x30,300x60 by default), again with `LMS_BENCH_DATABASE_URL`.",
        "Before/after figures of each lever: bench/results/levers.md.",
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    body = [
        machine_line("attendance", url),
        f"Load average (1, 5, 15 min) at the end: {load}.",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in figures],
    ]
    write_section(RESULTS, header, f"{url.split(':', 1)[0]}, {n_trainees} x {n_lessons}", body)


def measure(app, n_trainees, n_lessons, upgrade, db) -> list[tuple[str, str]]:
    figures: list[tuple[str, str]] = []
    with app.app_context():
        upgrade()
        course, lessons, trainer, _first_enrolment, build_s = _build(n_trainees, n_lessons)
        course_id, lesson_id, trainer_id = course.id, lessons[-1].id, trainer.id
        freeze_heap()  # as wsgi.py does once the worker is built
        figures.append(("build (services + bulk attendance rows)", f"{build_s:.1f} s"))

        from courses.attendance import course_report
        from courses.exports import report_csv, report_xlsx
        from courses.models import Course

        def service():
            db.session.expire_all()
            return course_report(db.session.get(Course, course_id))

        with QueryCounter(db.engine) as qc:
            report = service()
        figures.append(("course_report() queries", str(qc.n)))
        med, best = timed(service)
        figures.append(("course_report() service", f"{med:.0f} ms (best {best:.0f})"))
    with app.test_request_context():
        med, best = timed(lambda: report_csv(report), 3)
        figures.append(("CSV export build", f"{med:.0f} ms (best {best:.0f})"))
        med, best = timed(lambda: report_xlsx(report), 3)
        figures.append(("XLSX export build", f"{med:.0f} ms (best {best:.0f})"))

    client = app.test_client()
    client.post("/accesso", data={"email": "docente@bench.example", "password": PASSWORD})
    trainee = app.test_client()
    trainee.post("/accesso", data={"email": "corsista0@bench.example", "password": PASSWORD})
    pages = [
        ("report page GET /percorsi/<id>/presenze", client, f"/percorsi/{course_id}/presenze"),
        ("CSV download", client, f"/percorsi/{course_id}/presenze.csv"),
        ("XLSX download", client, f"/percorsi/{course_id}/presenze.xlsx"),
        ("trainee page GET /i-miei-percorsi", trainee, "/i-miei-percorsi"),
        ("register page GET /lezioni/<id>", client, f"/lezioni/{lesson_id}"),
        ("register PDF (open register)", client, f"/lezioni/{lesson_id}/registro.pdf"),
    ]
    for label, c, path in pages:
        figures.append((label, _page(app, db, c, path)))
    resp = client.get(f"/percorsi/{course_id}/presenze")
    figures.append(("report page size", f"{len(resp.data) / 1024:.0f} KiB"))
    resp = client.get(f"/lezioni/{lesson_id}/registro.pdf")
    figures.append(
        (f"register PDF size ({n_trainees} trainees)", f"{len(resp.data) / 1024:.0f} KiB")
    )

    with app.app_context():
        from courses.models import Course, Lesson
        from courses.services.registers import sign_register
        from lms.accounts.models import User

        sign_register(
            db.session.get(User, trainer_id),
            db.session.get(Lesson, lesson_id),
            db.session.get(Course, course_id),
        )
        db.session.commit()
    path = f"/lezioni/{lesson_id}/registro.pdf"
    t = time.perf_counter()
    assert client.get(path).status_code == 200
    figures.append(
        (
            "register PDF, signed: first download (render + store)",
            f"{(time.perf_counter() - t) * 1000:.0f} ms",
        )
    )
    figures.append(
        ("register PDF, signed: later downloads (from storage)", _page(app, db, client, path))
    )
    with app.app_context():
        db.engine.dispose()
    return figures


def _page(app, db, c, path) -> str:
    assert c.get(path).status_code == 200, path
    with app.app_context(), QueryCounter(db.engine) as qc:
        c.get(path)
    med, best = timed(lambda: c.get(path), 3)
    return f"{med:.0f} ms (best {best:.0f}), {qc.n} queries"


if __name__ == "__main__":
    main()
