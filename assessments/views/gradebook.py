"""The course gradebook (page, CSV, XLSX) and the list of gradebooks for coordinators."""

from __future__ import annotations

from flask import Response, render_template, request, url_for

from assessments import bp
from assessments.exports import gradebook_csv, gradebook_xlsx
from assessments.models import STATUS_LABELS
from assessments.navigation import format_points
from assessments.permissions import can_grade_assessment, can_view_gradebook, can_view_gradebooks
from assessments.services.results import gradebook as build_gradebook
from assessments.services.results import gradebook_courses
from assessments.services.results.gradebook_filters import (
    STATES,
    course_organisations,
    filtered,
    parse_filter,
)
from assessments.views.gradebook_cells import gradebook_lines
from courses.models import Course
from courses.progress import percent
from lms.db import db
from lms.security import allowed_if
from lms.web import acting_user, get_or_404


def _book(course_id: int):
    """The gradebook with the filters of the query string (the page and its exports alike)."""
    course = get_or_404(Course, course_id, visible=can_view_gradebook)
    flt = parse_filter(request.args)
    book = build_gradebook(acting_user(), course)
    return filtered(book, flt), flt, len(book.rows)


class _OncePerValue(dict):
    """fn(value) computed once per distinct value on a page (a score repeats many times among
    the cells; each Babel formatting reads the locale anew)."""

    def __init__(self, fn):
        super().__init__()
        self.fn = fn

    def __missing__(self, value):
        out = self[value] = self.fn(value)
        return out


def _grade_links(book, fargs: dict) -> dict[int, tuple[str, str]]:
    """For each assessment the actor grades: the grading page's address before and after the
    trainee's id, built once per assessment rather than once per cell."""
    me = acting_user()
    out = {}
    for a in book.assessments:
        if can_grade_assessment(me, a):
            url = url_for("assessments.grade", assessment_id=a.id, trainee_id=0, **fargs)
            before, _cut, after = url.partition("/corsisti/0")
            out[a.id] = (before + "/corsisti/", after)
    return out


@bp.get("/percorsi/<int:course_id>/voti")
@allowed_if(can_view_gradebooks)
def gradebook(course_id: int):
    book, flt, total = _book(course_id)
    return render_template(
        "assessments/gradebook.html",
        book=book,
        course=book.course,
        # the grade cells' HTML in one pass: texts translated and points formatted once per
        # page, not once per cell (3,600 on a large course)
        lines=gradebook_lines(
            book,
            _grade_links(book, flt.args()),
            _OncePerValue(format_points),
            {s: str(label) for s, label in STATUS_LABELS.items()},
            _OncePerValue(percent),
        ),
        flt=flt,
        total=total,
        states=STATES,
        organisations=course_organisations(acting_user(), book.course),
    )


@bp.get("/percorsi/<int:course_id>/voti.csv")
@allowed_if(can_view_gradebooks)
def gradebook_csv_export(course_id: int):
    book, _flt, _total = _book(course_id)
    return Response(
        gradebook_csv(book),
        mimetype="text/csv",
        headers={
            "Content-Disposition": f'attachment; filename="voti-percorso-{book.course.id}.csv"'
        },
    )


@bp.get("/percorsi/<int:course_id>/voti.xlsx")
@allowed_if(can_view_gradebooks)
def gradebook_xlsx_export(course_id: int):
    book, _flt, _total = _book(course_id)
    return Response(
        gradebook_xlsx(book),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        headers={
            "Content-Disposition": f'attachment; filename="voti-percorso-{book.course.id}.xlsx"'
        },
    )


@bp.get("/registri-voti")
@allowed_if(can_view_gradebooks)
def gradebooks():
    courses = db.session.scalars(gradebook_courses(acting_user())).all()
    return render_template("assessments/gradebooks.html", courses=courses)
