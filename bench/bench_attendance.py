"""Benchmark of the attendance report: a large course (300 trainees x 60 lessons by default).

Not a test. Builds the course through the services (attendance rows in bulk, for speed), then
times the report service, the report page, the exports, a trainee's page and the register PDF,
and writes the figures to bench/results/attendance.md.

    python -m bench attendance            # SQLite in a temporary folder
    BENCH_TRAINEES=500 BENCH_LESSONS=80 LMS_BENCH_DATABASE_URL=postgresql+psycopg://... \
        python -m bench attendance
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import tempfile
import time
from pathlib import Path

from bench.common import PASSWORD, QueryCounter, build_course, insert_attendance, timed

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


def main() -> None:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.db import db

    n_trainees = int(os.environ.get("BENCH_TRAINEES", 300))
    n_lessons = int(os.environ.get("BENCH_LESSONS", 60))
    tmp = Path(tempfile.mkdtemp(prefix="bench-attendance-"))
    url = os.environ.get("LMS_BENCH_DATABASE_URL") or f"sqlite:///{tmp / 'bench.sqlite'}"
    app = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": url,
            "SECRET_KEY": "bench-secret-key-0123456789",
            "WTF_CSRF_ENABLED": False,
            "UPLOAD_FOLDER": str(tmp / "uploads"),
            "PROPAGATE_TEST_ERRORS": True,
        }
    )
    figures: list[tuple[str, str]] = []
    with app.app_context():
        upgrade()
        course, lessons, _trainer, _first_enrolment, build_s = _build(n_trainees, n_lessons)
        course_id, lesson_id = course.id, lessons[-1].id
        figures.append(("build (services + bulk attendance rows)", f"{build_s:.1f} s"))

        from courses.attendance import course_report
        from courses.exports import register_pdf, report_csv, report_xlsx
        from courses.models import Course, Lesson

        def service():
            db.session.expire_all()
            return course_report(db.session.get(Course, course_id))

        with QueryCounter(db.engine) as qc:
            report = service()
        figures.append(("course_report() queries", str(qc.n)))
        med, best = timed(service)
        figures.append(("course_report() service", f"{med:.0f} ms (best {best:.0f})"))
        med, best = timed(lambda: report_csv(report), 3)
        figures.append(("CSV export build", f"{med:.0f} ms"))
        med, best = timed(lambda: report_xlsx(report), 3)
        figures.append(("XLSX export build", f"{med:.0f} ms"))

    client = app.test_client()
    client.post("/accesso", data={"email": "docente@bench.example", "password": PASSWORD})
    trainee = app.test_client()
    trainee.post("/accesso", data={"email": "corsista0@bench.example", "password": PASSWORD})
    for label, c, path in [
        ("report page GET /percorsi/<id>/presenze", client, f"/percorsi/{course_id}/presenze"),
        ("CSV download", client, f"/percorsi/{course_id}/presenze.csv"),
        ("trainee page GET /i-miei-percorsi", trainee, "/i-miei-percorsi"),
        ("register page GET /lezioni/<id>", client, f"/lezioni/{lesson_id}"),
    ]:
        assert c.get(path).status_code == 200, path
        with app.app_context(), QueryCounter(db.engine) as qc:
            c.get(path)
        med, best = timed(lambda c=c, path=path: c.get(path), 3)
        figures.append((label, f"{med:.0f} ms (best {best:.0f}), {qc.n} queries"))
    resp = client.get(f"/percorsi/{course_id}/presenze")
    figures.append(("report page size", f"{len(resp.data) / 1024:.0f} KiB"))
    with app.test_request_context():
        lesson = db.session.get(Lesson, lesson_id)
        c_obj = db.session.get(Course, course_id)
        t = time.perf_counter()
        pdf = register_pdf(lesson, c_obj)
        figures.append(
            (
                "register PDF, one lesson",
                f"{(time.perf_counter() - t) * 1000:.0f} ms, {len(pdf) / 1024:.0f} KiB",
            )
        )
    with app.app_context():
        db.engine.dispose()

    backend = url.split(":", 1)[0]
    lines = [
        "# Attendance report benchmark",
        "",
        f"Course of {n_trainees} trainees x {n_lessons} lessons "
        f"({n_trainees * n_lessons} attendance records), database `{backend}`, "
        f"Python {platform.python_version()}, {platform.machine()}; measured "
        f"{dt.datetime.now().strftime('%Y-%m-%d %H:%M')} by `python -m bench attendance`.",
        "Times are wall-clock medians of a few runs in one process (test client, no network).",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in figures],
        "",
    ]
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
