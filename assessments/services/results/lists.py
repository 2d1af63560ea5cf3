"""Read models of lists: an assessment's grading list, a trainer's worklist, a trainee's
assessments and results. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import Select, and_, func, not_, or_, select
from sqlalchemy.orm import contains_eager, lazyload

from assessments.models import (
    Assessment,
    Grade,
    GradeStatus,
    Mark,
    MarkerRole,
    Submission,
)
from assessments.permissions import (
    can_grade_assessment,
    can_view_worklist,
    sees_all_assessment_work,
)
from courses.models import Course, CourseStatus, CourseTrainer, Enrolment, EnrolmentStatus
from lms.accounts.models import User
from lms.db import db
from lms.permissions import require, require_actor

# --- an assessment's grading list ---------------------------------------------------------


@dataclass
class GradingRow:
    trainee: User
    enrolment: Enrolment
    grade: Grade | None
    submission: Submission | None
    marks: list[Mark]

    @property
    def status(self) -> GradeStatus:
        return self.grade.status if self.grade else GradeStatus.NOT_SUBMITTED


def grading_rows(actor, assessment: Assessment) -> list[GradingRow]:
    """Every trainee enrolled in the assessment's course with their grade, submission and marks
    (four queries): for the course's graders (404 for anyone else)."""
    require(can_grade_assessment(actor, assessment), private=True)
    enrolments = list(
        db.session.scalars(
            select(Enrolment)
            .join(Enrolment.user)
            .options(contains_eager(Enrolment.user))
            .where(
                Enrolment.course_id == assessment.course_id,
                Enrolment.status == EnrolmentStatus.ACTIVE,
            )
            .order_by(User.full_name, User.id)
        ).unique()
    )
    grades = {
        g.trainee_id: g
        for g in db.session.scalars(select(Grade).where(Grade.assessment_id == assessment.id))
    }
    subs = {
        s.trainee_id: s
        for s in db.session.scalars(
            select(Submission).where(Submission.assessment_id == assessment.id)
        )
    }
    marks: dict[int, list[Mark]] = defaultdict(list)
    for m in db.session.scalars(
        select(Mark).join(Grade).where(Grade.assessment_id == assessment.id).order_by(Mark.role)
    ):
        marks[m.grade_id].append(m)
    rows = []
    for e in enrolments:
        g = grades.get(e.user_id)
        rows.append(GradingRow(e.user, e, g, subs.get(e.user_id), marks[g.id] if g else []))
    return rows


# --- the trainer's worklist ----------------------------------------------------------------


@dataclass
class WorkItem:
    grade: Grade
    assessment: Assessment
    course: Course
    trainee: User
    action: str  # "grade", "second_mark", "agree", "continue"
    submitted_at: dt.datetime | None
    late: bool


def _waiting_grades(user) -> Select:
    """The ids of the grades waiting on the user, filtered in SQL on the grades and their
    assessments only: a double-marked grade with both marks done waits only for an agreement
    (a discrepancy not agreed yet); otherwise a grade waits unless the user's own mark is
    done (then it waits for the other marker)."""
    done = (
        select(func.count(Mark.id))
        .where(Mark.grade_id == Grade.id, Mark.completed_at.is_not(None))
        .correlate(Grade)
        .scalar_subquery()
    )
    mine_done = (
        select(Mark.id)
        .where(Mark.grade_id == Grade.id, Mark.marker_id == user.id, Mark.completed_at.is_not(None))
        .correlate(Grade)
        .exists()
    )
    both_marked = and_(Assessment.double_marking.is_(True), done >= 2)
    q = (
        select(Grade.id)
        .join(Assessment, Assessment.id == Grade.assessment_id)
        .where(
            Grade.status.in_([GradeStatus.SUBMITTED, GradeStatus.IN_GRADING]),
            # cheap tests first: PostgreSQL evaluates each branch in this order, and the
            # count of marks is a subquery per grade
            or_(
                and_(Grade.discrepancy.is_(True), Grade.agreed_at.is_(None), both_marked),
                and_(not_(mine_done), not_(both_marked)),
            ),
        )
    )
    if not sees_all_assessment_work(user):
        q = q.where(
            Assessment.course_id.in_(
                select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id)
            )
        )
    return q


def _submission_of_grade():
    return and_(
        Submission.assessment_id == Grade.assessment_id,
        Submission.trainee_id == Grade.trainee_id,
    )


def worklist_count(user) -> int:
    """How many items worklist(user) has in all (one query)."""
    require(can_view_worklist(user))
    return db.session.scalar(select(func.count()).select_from(_waiting_grades(user).subquery()))


def worklist(user, *, limit: int | None = None, offset: int = 0) -> list[WorkItem]:
    """What a trainer (or a coordinator) has to grade across their courses: submitted work,
    grades in progress, second marks and agreements to record, oldest submission first.
    Three queries: the page's grade ids (limit and offset cut in SQL, on narrow rows), then
    those grades with their assessment, course, trainee and submission, then their marks."""
    require(can_view_worklist(user))
    page = (
        _waiting_grades(user)
        .outerjoin(Submission, _submission_of_grade())
        .order_by(Submission.submitted_at.is_(None), Submission.submitted_at, Grade.id)
    )
    if limit is not None:
        page = page.limit(limit).offset(offset)
    ids = list(db.session.scalars(page))
    if not ids:
        return []
    found = db.session.execute(
        select(Grade, Assessment, Course, User, Submission)
        .join(Assessment, Assessment.id == Grade.assessment_id)
        .join(Course, Course.id == Assessment.course_id)
        .join(User, User.id == Grade.trainee_id)
        .outerjoin(Submission, _submission_of_grade())
        .where(Grade.id.in_(ids))
        # the worklist shows neither roles nor trainers
        .options(lazyload(User.role_rows), lazyload(Course.trainer_links))
    ).all()
    position = {grade_id: i for i, grade_id in enumerate(ids)}
    rows = sorted(found, key=lambda r: position[r[0].id])
    marks: dict[int, list[Mark]] = defaultdict(list)
    if rows:
        for m in db.session.scalars(select(Mark).where(Mark.grade_id.in_([r[0].id for r in rows]))):
            marks[m.grade_id].append(m)
    items = []
    for grade, assessment, course, trainee, sub in rows:
        ms = marks[grade.id]
        mine = next((m for m in ms if m.marker_id == user.id), None)
        done = [m for m in ms if m.completed]
        if assessment.double_marking and len(done) >= 2:
            if not grade.discrepancy or grade.agreed_at is not None:
                continue
            action = "agree"
        elif mine is not None and mine.completed:
            continue  # waiting for the other marker
        elif mine is not None:
            action = "continue"
        elif assessment.double_marking and any(m.role == MarkerRole.FIRST for m in ms):
            action = "second_mark"
        elif ms:
            action = "continue"
        else:
            action = "grade"
        items.append(
            WorkItem(
                grade,
                assessment,
                course,
                trainee,
                action,
                sub.submitted_at if sub else None,
                bool(sub and sub.late),
            )
        )
    return items


# --- the trainee's side --------------------------------------------------------------------


@dataclass
class MyAssessment:
    assessment: Assessment
    course: Course
    grade: Grade | None  # only when released
    status: GradeStatus


def my_assessments(user) -> list[MyAssessment]:
    """The published assessments of the trainee's courses, with the status of their own work
    and their grade once released (two queries)."""
    require_actor(user)
    rows = db.session.execute(
        select(Assessment, Course)
        .join(Course, Course.id == Assessment.course_id)
        .join(Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == user.id))
        .where(
            Enrolment.status == EnrolmentStatus.ACTIVE,
            Assessment.published.is_(True),
            Course.status != CourseStatus.DRAFT,
        )
        .order_by(Course.start_date.desc(), Assessment.closes_at, Assessment.id)
        # the lists show course titles: the courses' trainers are not loaded
        .options(lazyload(Course.trainer_links))
    ).all()
    grades = {}
    if rows:
        grades = {
            g.assessment_id: g
            for g in db.session.scalars(
                select(Grade).where(
                    Grade.trainee_id == user.id, Grade.assessment_id.in_([a.id for a, _c in rows])
                )
            )
        }
    out = []
    for a, c in rows:
        g = grades.get(a.id)
        status = g.status if g else GradeStatus.NOT_SUBMITTED
        # A trainee sees "submitted" until the grade is released: drafts stay private.
        if status in (GradeStatus.IN_GRADING, GradeStatus.GRADED):
            status = GradeStatus.SUBMITTED
        out.append(MyAssessment(a, c, g if status == GradeStatus.RELEASED else None, status))
    return out


def my_results(user) -> list[tuple[Grade, Assessment, Course]]:
    """The trainee's released grades, newest first (one query)."""
    require_actor(user)
    return list(
        db.session.execute(
            select(Grade, Assessment, Course)
            .join(Assessment, Assessment.id == Grade.assessment_id)
            .join(Course, Course.id == Assessment.course_id)
            .where(
                Grade.trainee_id == user.id,
                Grade.status == GradeStatus.RELEASED,
                Course.status != CourseStatus.DRAFT,
            )
            .order_by(Grade.released_at.desc(), Grade.id.desc())
        ).all()
    )
