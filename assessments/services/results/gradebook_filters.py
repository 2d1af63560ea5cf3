"""Filters of the course gradebook (organisation, state of the grades, name) and the trainees'
order it gives, which the grading screen follows for "previous" and "next". Pure functions
over a gradebook's rows (built, or the light ones of gradebook_order.py): the gradebook's
computations stay in gradebook.py."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from assessments.models import Grade, GradeStatus
from assessments.permissions import can_view_gradebook
from assessments.services.results.gradebook import Gradebook, GradebookRow
from courses.models import Course, Enrolment, EnrolmentStatus
from lms.accounts.models import User
from lms.db import db
from lms.organisations.models import Organisation
from lms.permissions import require
from lms.validation import ascii_number

# The states a row can be filtered by: the row has at least one grade in that state.
STATES = {
    "da-correggere": _l("to grade"),
    "bozza": _l("graded, draft"),
    "rilasciato": _l("released"),
    "mancante": _l("missing"),
}
TO_GRADE = {GradeStatus.SUBMITTED, GradeStatus.IN_GRADING}
_STATUSES = {
    "da-correggere": TO_GRADE,
    "bozza": {GradeStatus.GRADED},
    "rilasciato": {GradeStatus.RELEASED},
}
NAME_MAX = 100


@dataclass(frozen=True)
class GradebookFilter:
    organisation_id: int | None = None
    state: str | None = None
    name: str = ""

    @property
    def active(self) -> bool:
        return bool(self.organisation_id or self.state or self.name)

    def args(self) -> dict:
        """The filter as URL query arguments (only the ones set), for links and exports."""
        out: dict = {}
        if self.organisation_id:
            out["organizzazione"] = self.organisation_id
        if self.state:
            out["stato"] = self.state
        if self.name:
            out["nome"] = self.name
        return out


def parse_filter(args: Mapping[str, str]) -> GradebookFilter:
    """The filter from query arguments; a value that makes no sense is ignored, never an
    error (the page shows every trainee instead)."""
    org = (args.get("organizzazione") or "").strip()
    state = (args.get("stato") or "").strip()
    name = " ".join((args.get("nome") or "").split())[:NAME_MAX]
    return GradebookFilter(
        organisation_id=ascii_number(org),
        state=state if state in STATES else None,
        name=name,
    )


def _cell_matches(state: str, grade: Grade | None) -> bool:
    if state == "mancante":
        return grade is None or grade.status == GradeStatus.NOT_SUBMITTED
    return grade is not None and grade.status in _STATUSES[state]


def filter_rows(rows: list, flt: GradebookFilter) -> list:
    """The gradebook's rows that match the filter, in the gradebook's order (gradebook rows
    or the grading screen's light ones: what they read is trainee and cells)."""
    if flt.organisation_id:
        rows = [r for r in rows if r.trainee.organisation_id == flt.organisation_id]
    if flt.name:
        needle = flt.name.casefold()
        rows = [r for r in rows if needle in r.trainee.full_name.casefold()]
    if flt.state:
        rows = [r for r in rows if any(_cell_matches(flt.state, g) for g in r.cells.values())]
    return rows


def filtered(book: Gradebook, flt: GradebookFilter) -> Gradebook:
    """The same gradebook with only the rows that match the filter."""
    return Gradebook(
        course=book.course,
        assessments=book.assessments,
        rows=filter_rows(book.rows, flt),
        released_only=book.released_only,
    )


def course_organisations(actor, course: Course) -> list[Organisation]:
    """The organisations the course's trainees work for, by name: the filter's choices (for
    whoever may open the gradebook; 404 else)."""
    require(can_view_gradebook(actor, course), private=True)
    employers = (
        select(User.organisation_id)
        .join(Enrolment, Enrolment.user_id == User.id)
        .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ACTIVE)
    )
    return list(
        db.session.scalars(
            select(Organisation)
            .where(Organisation.id.in_(employers))
            .order_by(Organisation.name, Organisation.id)
        )
    )


@dataclass(frozen=True)
class Neighbours:
    """Where the grading screen's "previous", "next" and "next to grade" lead."""

    position: int | None  # 1-based place of the trainee in the filtered list; None if absent
    total: int
    previous: User | None
    next: User | None
    next_to_grade: User | None


def neighbours(rows: list[GradebookRow], assessment_id: int, trainee_id: int) -> Neighbours:
    """The trainees before and after one trainee in the gradebook's order, and the next one
    (after them, then from the top) whose work on this assessment waits to be graded."""
    ids = [r.trainee.id for r in rows]
    if trainee_id not in ids:
        first = rows[0].trainee if rows else None
        return Neighbours(None, len(rows), None, first, _first_to_grade(rows, assessment_id))
    i = ids.index(trainee_id)
    after = rows[i + 1 :] + rows[:i]
    return Neighbours(
        position=i + 1,
        total=len(rows),
        previous=rows[i - 1].trainee if i > 0 else None,
        next=rows[i + 1].trainee if i + 1 < len(rows) else None,
        next_to_grade=_first_to_grade(after, assessment_id),
    )


def _first_to_grade(rows: list[GradebookRow], assessment_id: int) -> User | None:
    for r in rows:
        g = r.cells.get(assessment_id)
        if g is not None and g.status in TO_GRADE:
            return r.trainee
    return None
