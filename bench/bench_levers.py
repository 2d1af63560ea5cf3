"""The speed-ups of issue 12, one lever at a time, on a course of 300 trainees x 60 lessons
with 12 assessments: each row times the former way and the current way of the same step in
the same process, in CPU milliseconds (time.process_time: the machine is shared, and CPU
time does not count the waits for it). Writes bench/results/levers.md.

    python -m bench levers
"""

from __future__ import annotations

import io
import os
import statistics
import time
from pathlib import Path

from bench.common import bench_app, machine_line, write_section

RESULTS = Path(__file__).parent / "results" / "levers.md"


def cpu(fn, repeat: int = 5) -> float:
    """Median CPU time of fn() in milliseconds."""
    times = []
    for _ in range(repeat):
        t = time.process_time()
        fn()
        times.append((time.process_time() - t) * 1000)
    return statistics.median(times)


def _old_summaries(lessons, enrolments, records, now):
    """The former loop: the lesson's computed properties read in every cell."""
    from courses.attendance import summarise

    out = []
    for e in enrolments:
        # facts=None: computed again for each enrolment, as the cells used to
        out.append(summarise(e, lessons, records[e.id], now, facts=None))
    return out


def _old_xlsx(header, rows) -> bytes:
    """The former writer: a cell object per value in a normal (not write-only) sheet."""
    from openpyxl import Workbook

    from lms.exports import xlsx_value

    wb = Workbook()
    ws = wb.active
    for c, v in enumerate(header, start=1):
        ws.cell(row=3, column=c).value = xlsx_value(v)
    for r, row in enumerate(rows, start=4):
        for c, v in enumerate(row, start=1):
            cell = ws.cell(row=r, column=c)
            cell.value = xlsx_value(v)
            if isinstance(cell.value, str):
                cell.data_type = "s"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def main() -> None:
    from flask_migrate import upgrade
    from sqlalchemy import select

    from bench.bench_gradebook import _build
    from lms.db import db, utcnow

    n, lessons_n = 300, 60
    with bench_app("levers") as (app, url):
        rows: list[tuple[str, str, str, str]] = []
        with app.test_request_context():
            upgrade()
            course, _trainer, _n, _s = _build(n, 12, lessons_n)
            from assessments.models import Grade
            from assessments.services.results.gradebook import GRADE_COLUMNS
            from courses.attendance import (
                course_report,
                lesson_facts,
                lessons_of,
                records_of,
                report_enrolments,
                summarise,
            )
            from courses.attendance_totals import attendance_totals
            from courses.models import ATTENDANCE_CODES, AttendanceStatus
            from courses.views.reports import grid_lines
            from lms.exports import xlsx_bytes

            now = utcnow()
            lessons = lessons_of([course.id])[course.id]
            enrolments = report_enrolments(course)
            records = records_of([e.id for e in enrolments])

            def shared():
                facts = lesson_facts(lessons, now)
                return [summarise(e, lessons, records[e.id], now, facts=facts) for e in enrolments]

            rows.append(
                (
                    "per-lesson values once per page, not once per trainee (summaries of 300 x 60)",
                    f"{cpu(lambda: _old_summaries(lessons, enrolments, records, now)):.0f}",
                    f"{cpu(shared):.0f}",
                    "courses/attendance.py `lesson_facts`",
                )
            )
            active = report_enrolments(course, include_withdrawn=False)
            rows.append(
                (
                    "gradebook attendance: aggregate query instead of the full report",
                    f"{cpu(lambda: course_report(course, include_withdrawn=False, now=now)):.0f}",
                    f"{cpu(lambda: attendance_totals(course, active, now)):.0f}",
                    "courses/attendance_totals.py",
                )
            )
            ids = select(Grade).where(Grade.trainee_id.in_([e.user_id for e in active]))

            def orm():
                db.session.expire_all()
                return list(db.session.scalars(ids))

            plain = ids.with_only_columns(*GRADE_COLUMNS)
            rows.append(
                (
                    "gradebook cells: plain rows instead of ORM grades (3,600)",
                    f"{cpu(orm):.0f}",
                    f"{cpu(lambda: db.session.execute(plain).all()):.0f}",
                    "assessments/services/results/gradebook.py `GRADE_COLUMNS`",
                )
            )
            statuses = list(AttendanceStatus)
            cells = [(statuses[i % len(statuses)], i % 241) for i in range(n * lessons_n)]

            def lazy():
                return [f"{ATTENDANCE_CODES[s]} {m}" for s, m in cells]

            def once():
                codes = {k: str(v) for k, v in ATTENDANCE_CODES.items()}
                return [f"{codes[s]} {m}" for s, m in cells]

            rows.append(
                (
                    "cell codes translated once, not per cell (18,000 cells)",
                    f"{cpu(lazy):.0f}",
                    f"{cpu(once):.0f}",
                    "courses/views/reports.py, courses/exports.py",
                )
            )
            report = course_report(course, now=now)
            codes = {k: str(v) for k, v in ATTENDANCE_CODES.items()}
            from flask import render_template_string

            loop = (
                "{% for row in report.rows %}{% for s in held %}"
                "{% set cell = row.summary.cells.get(s.id) %}"
                '<td class="text-center">{% if cell is none %}<span class="text-muted" '
                "title=\"{{ _('not counted') }}\">·</span>{% elif cell[0] is none %}—"
                "{% else %}{{ codes[cell[0]] }} {{ cell[1] }}{% endif %}</td>"
                "{% endfor %}{% endfor %}"
            )
            held = report.held_lessons
            rows.append(
                (
                    "report grid cells: built in one pass in the view instead of a template "
                    "loop per cell (18,000 cells)",
                    f"{cpu(lambda: render_template_string(loop, report=report, held=held, codes=codes)):.0f}",
                    f"{cpu(lambda: render_template_string('{% for r, c in grid %}{{ c }}{% endfor %}', grid=grid_lines(report, codes))):.0f}",
                    "courses/views/reports.py `grid_lines`",
                )
            )
            from courses.exports import report_table

            header, table = report_table(report)
            rows.append(
                (
                    "XLSX: write-only (streamed) sheet instead of cell objects (attendance)",
                    f"{cpu(lambda: _old_xlsx(header, table), 3):.0f}",
                    f"{cpu(lambda: xlsx_bytes('t', 's', header, table), 3):.0f}",
                    "lms/exports.py",
                )
            )
            db.session.remove()
            db.engine.dispose()
    header_lines = [
        "# Levers of issue 12, one at a time",
        "",
        "Each row times the former and the current way of one step on the same data "
        "(300 trainees x 60 lessons, 12 assessments), in CPU ms (median of 5; 3 for XLSX), "
        "by `python -m bench levers`. Whole pages before/after: see the section below it "
        "and bench/results/attendance.md, gradebook.md.",
    ]
    load = " / ".join(f"{x:.1f}" for x in os.getloadavg())
    body = [
        machine_line("levers", url),
        f"Load average (1, 5, 15 min) at the end: {load}.",
        "",
        "| lever | before (CPU ms) | after (CPU ms) | where |",
        "|---|---|---|---|",
        *[f"| {a} | {b} | {c} | {d} |" for a, b, c, d in rows],
    ]
    write_section(RESULTS, header_lines, f"{url.split(':', 1)[0]}, one lever per row", body)


if __name__ == "__main__":
    main()
