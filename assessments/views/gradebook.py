"""The course gradebook (page, CSV, XLSX) and the list of gradebooks for coordinators."""

from __future__ import annotations

from flask import Response, render_template
from sqlalchemy import select

from assessments import bp
from assessments.exports import gradebook_csv, gradebook_xlsx
from assessments.models import STATUS_LABELS, GradeStatus
from assessments.permissions import can_view_assessments
from assessments.services.results import gradebook as build_gradebook
from assessments.views.common import course_or_404, require, user
from courses.models import Course, CourseTrainer
from courses.permissions import is_staff
from lms.accounts.models import Role
from lms.db import db
from lms.security import roles_required

GRADER_ROLES = (Role.TRAINER, Role.COORDINATOR, Role.ADMIN)


def _book(course_id: int):
    course = course_or_404(course_id)
    require(can_view_assessments(user(), course))
    return build_gradebook(course)


@bp.get("/percorsi/<int:course_id>/voti")
@roles_required(*GRADER_ROLES)
def gradebook(course_id: int):
    book = _book(course_id)
    return render_template(
        "assessments/gradebook.html",
        book=book,
        course=book.course,
        labels=STATUS_LABELS,
        statuses=GradeStatus,
    )


@bp.get("/percorsi/<int:course_id>/voti.csv")
@roles_required(*GRADER_ROLES)
def gradebook_csv_export(course_id: int):
    book = _book(course_id)
    return Response(
        gradebook_csv(book),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="voti-percorso-{book.course.id}.csv"'
        },
    )


@bp.get("/percorsi/<int:course_id>/voti.xlsx")
@roles_required(*GRADER_ROLES)
def gradebook_xlsx_export(course_id: int):
    book = _book(course_id)
    return Response(
        gradebook_xlsx(book),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="voti-percorso-{book.course.id}.xlsx"'
        },
    )


@bp.get("/registri-voti")
@roles_required(*GRADER_ROLES)
def gradebooks():
    q = select(Course).order_by(Course.start_date.desc(), Course.id)
    if not is_staff(user()):
        q = q.where(
            Course.id.in_(select(CourseTrainer.course_id).where(CourseTrainer.user_id == user().id))
        )
    return render_template("assessments/gradebooks.html", courses=db.session.scalars(q).all())
