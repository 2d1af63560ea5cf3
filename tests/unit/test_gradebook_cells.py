"""The gradebook's grade cells, built in one pass (assessments/views/gradebook_cells.py):
each kind of cell, the links to the grading page, and escaping."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace as NS

from assessments.models import GradeStatus
from assessments.views.gradebook_cells import gradebook_lines


def _book(grades: dict, **row):
    quiz = NS(id=1, pass_mark=Decimal("6"))
    essay = NS(id=2, pass_mark=Decimal("18"))
    trainee = NS(id=7, full_name="<b>Rossi & Figli</b>")
    row = {
        "passed": None,
        "planned_pct": 50.0,
        "attendance_pct": 75.0,
        "threshold_pct": 70,
        "eligible": False,
        "result": None,
    } | row
    return NS(assessments=[quiz, essay], rows=[NS(trainee=trainee, cells=grades, **row)])


def _all_cells(app, book, links=None) -> list[str]:
    with app.test_request_context("/", headers={"Accept-Language": "it"}):
        [(_row, html)] = gradebook_lines(
            book,
            links or {},
            {Decimal("5"): "5", Decimal("20"): "20", Decimal("87.5"): "87,5"},
            {s: f"stato {s.value}" for s in GradeStatus},
            {50.0: "50%", 75.0: "75%", 100.0: "100%"},
        )
    return re.split(r"</td><td[^>]*>", str(html).removeprefix("<td>").removesuffix("</td>"))


def _cells(app, book, links=None) -> list[str]:
    """The grade cells (after outcome, attendance and result)."""
    return _all_cells(app, book, links)[3:]


def test_outcome_attendance_and_result(app):
    outcome, attendance, result = _all_cells(app, _book({}))[:3]
    assert outcome == '<span class="text-muted">incompleto</span>'
    assert "50% delle ore previste" in attendance and "70%" in attendance
    assert "<strong>non ancora ammesso" in attendance and "75% delle ore svolte" in attendance
    assert result == "—"
    book = _book({}, passed=True, eligible=True, result=Decimal("87.5"), planned_pct=100.0)
    outcome, attendance, result = _all_cells(app, book)[:3]
    assert outcome == '<span class="badge bg-success">superato</span>'
    assert "100% delle ore previste" in attendance and "<strong>" not in attendance
    assert result == "87,5%"
    outcome = _all_cells(app, _book({}, passed=False))[0]
    assert outcome == '<span class="badge bg-danger">non superato</span>'


def test_each_kind_of_cell(app):
    draft_below = NS(score=Decimal("5"), status=GradeStatus.GRADED)
    released = NS(score=Decimal("20"), status=GradeStatus.RELEASED)
    submitted = NS(score=None, status=GradeStatus.SUBMITTED)
    first, second = _cells(app, _book({1: draft_below, 2: released}))
    assert first.startswith("5 ") and 'badge bg-info text-dark">bozza</span>' in first
    assert '<span aria-hidden="true">↓</span>' in first
    assert second == "20"  # released, above the pass mark: the points alone
    first, second = _cells(app, _book({1: submitted}))
    assert first == '<span class="text-muted">stato submitted</span>'
    assert second.startswith('<span class="text-muted"><span aria-hidden="true">—</span>')
    # a score not yet graded is not shown
    hidden = NS(score=Decimal("20"), status=GradeStatus.IN_GRADING)
    assert _cells(app, _book({2: hidden}))[1] == '<span class="text-muted">stato in_grading</span>'


def test_links_to_grading_name_the_trainee_escaped(app):
    links = {2: ("/valutazioni/2/corsisti/", "?stato=da-correggere&x=1")}
    first, second = _cells(app, _book({2: NS(score=None, status=GradeStatus.SUBMITTED)}), links)
    assert "<a " not in first  # the reader does not grade the quiz
    assert second.startswith('<a href="/valutazioni/2/corsisti/7?stato=da-correggere&amp;x=1">')
    assert "&lt;b&gt;Rossi &amp; Figli&lt;/b&gt;" in second and "<b>" not in second
