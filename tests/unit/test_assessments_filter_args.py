"""The gradebook's filter arguments and the grading screen's neighbours, on plain rows."""

from __future__ import annotations

from types import SimpleNamespace as NS

from assessments.models import GradeStatus
from assessments.services.results.gradebook_filters import (
    GradebookFilter,
    neighbours,
    parse_filter,
)


def _row(uid: int, status: GradeStatus | None):
    cell = NS(status=status) if status else None
    return NS(trainee=NS(id=uid, full_name=f"P{uid}", organisation_id=None), cells={7: cell})


def test_parse_filter_keeps_what_makes_sense_and_ignores_the_rest():
    flt = parse_filter({"organizzazione": "12", "stato": "bozza", "nome": "  Anna   Rossi "})
    assert flt == GradebookFilter(12, "bozza", "Anna Rossi")
    assert flt.args() == {"organizzazione": 12, "stato": "bozza", "nome": "Anna Rossi"}
    odd = parse_filter({"organizzazione": "-1", "stato": "tutto", "nome": "x" * 300})
    assert odd.organisation_id is None and odd.state is None and len(odd.name) == 100
    assert parse_filter({"organizzazione": "9" * 40}).organisation_id is None
    assert parse_filter({}) == GradebookFilter() and not GradebookFilter().active
    assert GradebookFilter().args() == {}


def test_neighbours_in_order_and_the_next_to_grade_wraps_around():
    rows = [
        _row(1, GradeStatus.SUBMITTED),
        _row(2, GradeStatus.GRADED),
        _row(3, None),
        _row(4, GradeStatus.IN_GRADING),
    ]
    n = neighbours(rows, 7, 2)
    assert (n.position, n.total, n.previous.id, n.next.id) == (2, 4, 1, 3)
    assert n.next_to_grade.id == 4
    last = neighbours(rows, 7, 4)
    assert last.next is None and last.previous.id == 3 and last.next_to_grade.id == 1
    first = neighbours(rows, 7, 1)
    assert first.previous is None and first.next_to_grade.id == 4
    # Outside the filtered list: no place, "next" is the first, next to grade the first waiting.
    out = neighbours(rows[1:], 7, 1)
    assert out.position is None and out.next.id == 2 and out.next_to_grade.id == 4
    alone = neighbours([_row(5, GradeStatus.SUBMITTED)], 7, 5)
    assert alone.next_to_grade is None  # only the trainee on screen waits
    assert neighbours([], 7, 1).next is None
