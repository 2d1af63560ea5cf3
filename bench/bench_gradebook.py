"""Benchmark of the gradebook: 12 assessments in courses of 100 x 30 and 300 x 60 (trainees x
lessons).

Not a test. Builds a course through the services (attendance, grades and submissions in bulk,
for speed), then times the gradebook service, page and exports, the trainer's worklist and a
trainee's assessments page, and writes one section per database and size to
bench/results/gradebook.md.

    python -m bench gradebook             # SQLite in a temporary folder
    BENCH_SIZES=500x80 BENCH_ASSESSMENTS=20 LMS_BENCH_DATABASE_URL=postgresql+psycopg://... \
        python -m bench gradebook
"""

from __future__ import annotations

import datetime as dt
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path

from sqlalchemy import insert

from bench.common import (
    PASSWORD,
    QueryCounter,
    build_course,
    freeze_heap,
    insert_attendance,
    machine_line,
    timed,
    write_section,
)

RESULTS = Path(__file__).parent / "results" / "gradebook.md"
LESSONS = 20


def _build(n_trainees: int, n_assessments: int, n_lessons: int = LESSONS):
    from assessments.models import AssessmentKind, Grade, GradeStatus, Submission
    from assessments.services.authoring import AssessmentInput, create_assessment
    from courses.models import AttendanceStatus
    from lms.db import db, utcnow

    t0 = time.perf_counter()
    course, lessons, trainer, enrolments = build_course(n_trainees, n_lessons)

    def status_of(li, ei):
        present = (li + ei) % 9 != 0
        return (AttendanceStatus.PRESENT if present else AttendanceStatus.ABSENT), (
            240 if present else 0
        )

    insert_attendance(lessons, enrolments, status_of)
    now = utcnow()
    kinds = [AssessmentKind.QUIZ, AssessmentKind.ASSIGNMENT, AssessmentKind.PRACTICAL]
    assessments = [
        create_assessment(
            trainer,
            course,
            AssessmentInput(
                title=f"Prova {k + 1:02d}",
                kind=kinds[k % 3],
                opens_at=now - dt.timedelta(days=20),
                closes_at=now + dt.timedelta(days=5 + k),
                max_points="20",
                pass_mark=Decimal(12),
                weight=str(1 + k % 3),
                published=True,
            ),
        )
        for k in range(n_assessments)
    ]
    statuses = [GradeStatus.RELEASED] * 6 + [
        GradeStatus.GRADED,
        GradeStatus.SUBMITTED,
        GradeStatus.IN_GRADING,
    ]
    grades, subs = [], []
    for k, a in enumerate(assessments):
        for ei, e in enumerate(enrolments):
            st = statuses[(k + ei) % len(statuses)]
            scored = st in (GradeStatus.RELEASED, GradeStatus.GRADED)
            grades.append(
                {
                    "assessment_id": a.id,
                    "trainee_id": e.user_id,
                    "status": st,
                    "score": Decimal(8 + (k * 3 + ei) % 13) if scored else None,
                    "feedback": "",
                    "discrepancy": False,
                    "version_id": 1,
                    "created_at": now,
                    "updated_at": now,
                    "graded_at": now if scored else None,
                    "released_at": now if st == GradeStatus.RELEASED else None,
                }
            )
            if a.kind == AssessmentKind.ASSIGNMENT:
                subs.append(
                    {
                        "assessment_id": a.id,
                        "trainee_id": e.user_id,
                        "text": "Lavoro",
                        "submitted_at": now,
                        "late": False,
                        "times_submitted": 1,
                        "version_id": 1,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
    for i in range(0, len(grades), 5000):
        db.session.execute(insert(Grade), grades[i : i + 5000])
    for i in range(0, len(subs), 5000):
        db.session.execute(insert(Submission), subs[i : i + 5000])
    db.session.commit()
    return course, trainer, len(grades), time.perf_counter() - t0


def main() -> None:
    from bench.bench_attendance import sizes

    for n_trainees, n_lessons in sizes():
        run(n_trainees, n_lessons)


def run(n_trainees: int, n_lessons: int) -> None:
    from flask_migrate import upgrade

    from lms import create_app
    from lms.db import db

    n_assessments = int(os.environ.get("BENCH_ASSESSMENTS", 12))
    tmp = Path(tempfile.mkdtemp(prefix="bench-gradebook-"))
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
        course, trainer, n_grades, build_s = _build(n_trainees, n_assessments, n_lessons)
        course_id, trainer_id = course.id, trainer.id
        freeze_heap()  # as wsgi.py does once the worker is built
        figures.append(
            ("build (services + bulk attendance, grades, submissions)", f"{build_s:.1f} s")
        )

        from assessments.exports import gradebook_csv, gradebook_xlsx
        from assessments.services.results import gradebook, worklist
        from courses.models import Course
        from lms.accounts.models import User

        def service():
            db.session.expire_all()
            return gradebook(db.session.get(User, trainer_id), db.session.get(Course, course_id))

        with QueryCounter(db.engine) as qc:
            book = service()
        figures.append(("gradebook() queries", str(qc.n)))
        med, best = timed(service)
        figures.append(("gradebook() service", f"{med:.0f} ms (best {best:.0f})"))
    with app.test_request_context():
        med, best = timed(lambda: gradebook_csv(book), 3)
        figures.append(("CSV export build", f"{med:.0f} ms (best {best:.0f})"))
        med, best = timed(lambda: gradebook_xlsx(book), 3)
        figures.append(("XLSX export build", f"{med:.0f} ms (best {best:.0f})"))
    with app.app_context():

        def work():
            db.session.expire_all()
            return worklist(db.session.get(User, trainer_id))

        with QueryCounter(db.engine) as qc:
            items = work()
        figures.append(("worklist() queries", f"{qc.n} ({len(items)} items)"))
        med, best = timed(work)
        figures.append(("worklist() service", f"{med:.0f} ms (best {best:.0f})"))

    client = app.test_client()
    client.post("/accesso", data={"email": "docente@bench.example", "password": PASSWORD})
    trainee = app.test_client()
    trainee.post("/accesso", data={"email": "corsista0@bench.example", "password": PASSWORD})
    for label, c, path in [
        ("gradebook page GET /percorsi/<id>/voti", client, f"/percorsi/{course_id}/voti"),
        ("CSV download", client, f"/percorsi/{course_id}/voti.csv"),
        ("XLSX download", client, f"/percorsi/{course_id}/voti.xlsx"),
        ("worklist page GET /da-correggere", client, "/da-correggere"),
        (
            "API GET /api/v1/courses/<id>/gradebook",
            client,
            f"/api/v1/courses/{course_id}/gradebook",
        ),
        ("trainee page GET /valutazioni", trainee, "/valutazioni"),
    ]:
        assert c.get(path).status_code == 200, path
        with app.app_context(), QueryCounter(db.engine) as qc:
            c.get(path)
        med, best = timed(lambda c=c, path=path: c.get(path), 3)
        figures.append((label, f"{med:.0f} ms (best {best:.0f}), {qc.n} queries"))
    resp = client.get(f"/percorsi/{course_id}/voti")
    figures.append(("gradebook page size", f"{len(resp.data) / 1024:.0f} KiB"))
    with app.app_context():
        db.engine.dispose()

    backend = url.split(":", 1)[0]
    header = [
        "# Gradebook benchmark",
        "",
        f"A course of N trainees x M lessons of attendance with {n_assessments} assessments "
        "(one grade each, submissions for the assignments), built through the services with "
        "the rows in bulk; the gradebook service, page, API and exports, the trainer's "
        "worklist and a trainee's assessments page. Times are wall-clock medians (and best) of "
        "a few runs in one process (test client, no network); the machine is shared, so the "
        "load average is given. Query counts do not depend on the cohort size (asserted in "
        "tests/functional/test_query_budgets.py).",
        "One section per database and size: `python -m bench gradebook` "
        "(BENCH_SIZES=100x30,300x60 by default), again with `LMS_BENCH_DATABASE_URL`.",
        "Before/after figures of each lever: bench/results/levers.md.",
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    body = [
        machine_line("gradebook", url),
        f"{n_grades} grades. Load average (1, 5, 15 min) at the end: {load}.",
        "",
        "| measure | result |",
        "|---|---|",
        *[f"| {k} | {v} |" for k, v in figures],
    ]
    write_section(RESULTS, header, f"{backend}, {n_trainees} x {n_lessons}", body)


if __name__ == "__main__":
    main()
