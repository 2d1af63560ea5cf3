"""Attendance report of a course (HTML, CSV, XLSX) and the trainee's own courses."""

from __future__ import annotations

from flask import Response, render_template
from flask_babel import gettext as _
from markupsafe import Markup, escape

from courses import bp
from courses.models import ATTENDANCE_CODES, ATTENDANCE_LABELS
from courses.permissions import (
    can_export_course_report,
    can_view_attendance_reports,
    can_view_course_report,
)
from courses.services import reports
from courses.views.common import course_or_404
from lms.db import db
from lms.organisations.models import Organisation
from lms.security import allowed_if, login_required
from lms.web import acting_user


def grid_lines(report, codes: dict) -> list[tuple]:
    """Each report row with the HTML of its cells, one per lesson held, built in one pass
    (18,000 cells of a large course cost a template loop far more): a code and the minutes,
    "—" when nothing was recorded, a muted dot when the lesson does not count for the
    trainee. Cells carry no attributes (the stylesheet centres them): plain strings joined
    once per row, the codes escaped once per page, the minutes integers."""
    ids = [s.id for s in report.held_lessons]
    not_counted = str(
        Markup('<td><span class="text-muted" title="{}">·</span></td>').format(_("not counted"))
    )
    unrecorded = "<td>—</td>"
    opening = {k: f"<td>{escape(v)} " for k, v in codes.items()}
    out = []
    for row in report.rows:
        cells = row.summary.cells
        parts = []
        for lid in ids:
            cell = cells.get(lid)
            if cell is None:
                parts.append(not_counted)
            elif cell[0] is None:
                parts.append(unrecorded)
            else:
                parts.append(f"{opening[cell[0]]}{int(cell[1])}</td>")
        # every part is a constant, an escaped code or an integer
        out.append((row, Markup("".join(parts))))  # noqa: S704
    return out


def _scoped_report(course_id: int, visible=can_view_course_report):
    course = course_or_404(course_id, visible)
    report, scope = reports.attendance_report(acting_user(), course)
    return course, report, scope


@bp.get("/percorsi/<int:course_id>/presenze")
@allowed_if(can_view_attendance_reports)
def course_report(course_id: int):
    course, report, scope = _scoped_report(course_id)
    org = db.session.get(Organisation, scope) if scope else None
    # plain strings: translated once, not once per cell
    codes = {k: str(v) for k, v in ATTENDANCE_CODES.items()}
    return render_template(
        "courses/report.html",
        course=course,
        report=report,
        grid=grid_lines(report, codes),
        organisation=org,
        labels=ATTENDANCE_LABELS,
        codes=codes,
    )


@bp.get("/percorsi/<int:course_id>/presenze.csv")
@allowed_if(can_view_attendance_reports)
def course_report_csv(course_id: int):
    from courses.exports import report_csv

    course, report, _scope = _scoped_report(course_id, can_export_course_report)
    return Response(
        report_csv(report),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="presenze-percorso-{course.id}.csv"'
        },
    )


@bp.get("/percorsi/<int:course_id>/presenze.xlsx")
@allowed_if(can_view_attendance_reports)
def course_report_xlsx(course_id: int):
    from courses.exports import report_xlsx

    course, report, _scope = _scoped_report(course_id, can_export_course_report)
    return Response(
        report_xlsx(report),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="presenze-percorso-{course.id}.xlsx"'
        },
    )


@bp.get("/i-miei-percorsi")
@login_required
def my_courses():
    rows = reports.my_courses(acting_user())
    return render_template("courses/my_courses.html", rows=rows)
