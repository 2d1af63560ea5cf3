"""The gradebook's trainees in its order, as a light projection for the grading screen's
"previous" and "next": one query (ids, names, organisations and the grades' states), not
the whole gradebook with attendance and results."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import and_, select

from assessments.models import Assessment, Grade
from assessments.permissions import can_view_gradebook
from assessments.services.results.gradebook_filters import GradebookFilter, filter_rows
from courses.models import Course, Enrolment, EnrolmentStatus
from lms.accounts.models import User
from lms.db import db
from lms.permissions import require


@dataclass(frozen=True)
class Trainee:
    id: int
    full_name: str
    organisation_id: int | None


@dataclass(frozen=True)
class Cell:
    status: object


@dataclass
class OrderRow:
    """What filter_rows and neighbours read of a gradebook row."""

    trainee: Trainee
    cells: dict[int, Cell | None] = field(default_factory=dict)


def gradebook_order(actor, course: Course, flt: GradebookFilter) -> list[OrderRow]:
    """The trainees the gradebook lists (active enrolments, by name then id), with one cell
    per assessment of the course (None where no grade), filtered as the gradebook filters.
    One SQL statement whatever the number of trainees (404 for whoever may not open the
    gradebook)."""
    require(can_view_gradebook(actor, course), private=True)
    q = (
        select(User.id, User.full_name, User.organisation_id, Assessment.id, Grade.status)
        .select_from(Enrolment)
        .join(User, User.id == Enrolment.user_id)
        .outerjoin(Assessment, Assessment.course_id == Enrolment.course_id)
        .outerjoin(Grade, and_(Grade.assessment_id == Assessment.id, Grade.trainee_id == User.id))
        .where(Enrolment.course_id == course.id, Enrolment.status == EnrolmentStatus.ACTIVE)
        .order_by(User.full_name, User.id)
    )
    if flt.organisation_id:
        q = q.where(User.organisation_id == flt.organisation_id)
    rows: dict[int, OrderRow] = {}
    for uid, name, org, aid, status in db.session.execute(q):
        row = rows.get(uid)
        if row is None:
            row = rows[uid] = OrderRow(Trainee(uid, name, org))
        if aid is not None:
            row.cells[aid] = Cell(status) if status is not None else None
    return filter_rows(list(rows.values()), flt)
