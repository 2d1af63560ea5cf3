"""Attendance report of a course (HTML, CSV, XLSX) and the trainee's own courses."""

from __future__ import annotations

from flask import Response, render_template

from courses import bp
from courses.attendance import course_report as build_report
from courses.attendance import courses_of_trainee
from courses.models import ATTENDANCE_CODES, ATTENDANCE_LABELS
from courses.permissions import can_view_course_report, report_scope
from courses.services.courses import has_employees_of
from courses.views.common import course_or_404, require, user
from lms.accounts.models import Role
from lms.db import db
from lms.organisations.models import Organisation
from lms.security import login_required, roles_required

REPORT_ROLES = (Role.ADMIN, Role.COORDINATOR, Role.TRAINER, Role.REFERENT)


def _scoped_report(course_id: int):
    course = course_or_404(course_id)
    u = user()
    own = u.has_role(Role.REFERENT) and has_employees_of(course, u.organisation_id)
    require(can_view_course_report(u, course, has_own_employees=own))
    scope = report_scope(u, course)
    return course, build_report(course, organisation_id=scope), scope


@bp.get("/percorsi/<int:course_id>/presenze")
@roles_required(*REPORT_ROLES)
def course_report(course_id: int):
    course, report, scope = _scoped_report(course_id)
    org = db.session.get(Organisation, scope) if scope else None
    return render_template(
        "courses/report.html",
        course=course,
        report=report,
        organisation=org,
        labels=ATTENDANCE_LABELS,
        # plain strings: translated once, not once per cell
        codes={k: str(v) for k, v in ATTENDANCE_CODES.items()},
    )


@bp.get("/percorsi/<int:course_id>/presenze.csv")
@roles_required(*REPORT_ROLES)
def course_report_csv(course_id: int):
    from courses.exports import report_csv

    course, report, _scope = _scoped_report(course_id)
    return Response(
        report_csv(report),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="presenze-percorso-{course.id}.csv"'
        },
    )


@bp.get("/percorsi/<int:course_id>/presenze.xlsx")
@roles_required(*REPORT_ROLES)
def course_report_xlsx(course_id: int):
    from courses.exports import report_xlsx

    course, report, _scope = _scoped_report(course_id)
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
    rows = courses_of_trainee(user())
    return render_template("courses/my_courses.html", rows=rows)
