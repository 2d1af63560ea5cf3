"""Read models: an assessment's grading list, the course gradebook, a trainer's worklist, a
trainee's results, and results by framework item. Each runs a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from sqlalchemy import and_, func, select
from sqlalchemy.orm import contains_eager

from assessments.models import (
    Assessment,
    AttemptAnswer,
    Grade,
    GradeStatus,
    Mark,
    MarkerRole,
    MarkLevel,
    Question,
    RubricCriterion,
    RubricLevel,
    Submission,
    assessment_items,
    criterion_items,
    question_items,
)
from assessments.scoring import passed, weighted_result
from courses.attendance import course_report
from courses.models import Course, CourseTrainer, Enrolment, EnrolmentStatus
from courses.permissions import is_staff
from lms.accounts.models import User
from lms.db import db, utcnow

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


def grading_rows(assessment: Assessment) -> list[GradingRow]:
    """Every trainee enrolled in the assessment's course with their grade, submission and marks
    (four queries)."""
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


# --- the course gradebook ------------------------------------------------------------------


@dataclass
class GradebookRow:
    trainee: User
    enrolment: Enrolment
    cells: dict[int, Grade | None]
    result: Decimal | None
    complete: bool
    passed: bool | None  # None while some assessment has no grade yet
    eligible: bool
    attendance_pct: float | None


@dataclass
class Gradebook:
    course: Course
    assessments: list[Assessment]
    rows: list[GradebookRow]
    released_only: bool = False


def _row_result(
    assessments: list[Assessment], cells: dict[int, Grade | None], counted: set[GradeStatus]
) -> tuple[Decimal | None, bool, bool | None]:
    parts, complete, ok = [], True, True
    for a in assessments:
        g = cells.get(a.id)
        if g is None or g.status not in counted or g.score is None:
            complete = False
            continue
        parts.append((g.score, a.max_points, a.weight))
        ok = ok and bool(passed(g.score, a.pass_mark))
    result = weighted_result(parts) if parts else None
    return result, complete, (ok if complete else (False if not ok else None))


def gradebook(
    course: Course,
    *,
    released_only: bool = False,
    organisation_id: int | None = None,
    now: dt.datetime | None = None,
) -> Gradebook:
    """Trainees by assessments with the weighted result, pass or fail and attendance
    eligibility alongside, in a fixed number of queries whatever the cohort size.

    The weighted result counts graded and released grades (released only when asked); a
    trainee passes when every assessment is graded and each reaches its pass mark.
    """
    now = now or utcnow()
    assessments = list(
        db.session.scalars(
            select(Assessment)
            .where(Assessment.course_id == course.id)
            .order_by(Assessment.closes_at, Assessment.id)
        )
    )
    report = course_report(
        course, organisation_id=organisation_id, include_withdrawn=False, now=now
    )
    grades: dict[tuple[int, int], Grade] = {}
    if assessments:
        for g in db.session.scalars(
            select(Grade).where(Grade.assessment_id.in_([a.id for a in assessments]))
        ):
            grades[(g.trainee_id, g.assessment_id)] = g
    counted = (
        {GradeStatus.RELEASED} if released_only else {GradeStatus.GRADED, GradeStatus.RELEASED}
    )
    rows = []
    for r in report.rows:
        cells = {a.id: grades.get((r.user.id, a.id)) for a in assessments}
        result, complete, ok = _row_result(assessments, cells, counted)
        rows.append(
            GradebookRow(
                trainee=r.user,
                enrolment=r.enrolment,
                cells=cells,
                result=result,
                complete=complete,
                passed=ok,
                eligible=r.eligibility.assessment.met,
                attendance_pct=r.summary.percentage,
            )
        )
    return Gradebook(course=course, assessments=assessments, rows=rows, released_only=released_only)


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


def worklist(user) -> list[WorkItem]:
    """What a trainer (or a coordinator) has to grade across their courses: submitted work,
    grades in progress, second marks and agreements to record (three queries)."""
    q = (
        select(Grade, Assessment, Course, User, Submission)
        .join(Assessment, Assessment.id == Grade.assessment_id)
        .join(Course, Course.id == Assessment.course_id)
        .join(User, User.id == Grade.trainee_id)
        .outerjoin(
            Submission,
            and_(
                Submission.assessment_id == Grade.assessment_id,
                Submission.trainee_id == Grade.trainee_id,
            ),
        )
        .where(Grade.status.in_([GradeStatus.SUBMITTED, GradeStatus.IN_GRADING]))
        .order_by(Submission.submitted_at.is_(None), Submission.submitted_at, Grade.id)
    )
    if not is_staff(user):
        q = q.where(
            Course.id.in_(select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id))
        )
    rows = db.session.execute(q).all()
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
    rows = db.session.execute(
        select(Assessment, Course)
        .join(Course, Course.id == Assessment.course_id)
        .join(Enrolment, and_(Enrolment.course_id == Course.id, Enrolment.user_id == user.id))
        .where(Enrolment.status == EnrolmentStatus.ACTIVE, Assessment.published.is_(True))
        .order_by(Course.start_date.desc(), Assessment.closes_at, Assessment.id)
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
    return list(
        db.session.execute(
            select(Grade, Assessment, Course)
            .join(Assessment, Assessment.id == Grade.assessment_id)
            .join(Course, Course.id == Assessment.course_id)
            .where(Grade.trainee_id == user.id, Grade.status == GradeStatus.RELEASED)
            .order_by(Grade.released_at.desc(), Grade.id.desc())
        ).all()
    )


# --- results by framework item -------------------------------------------------------------


@dataclass(frozen=True)
class ItemResult:
    """One released result bearing on a framework item."""

    item_id: int
    source: str  # "criterion", "question" or "assessment"
    assessment_id: int
    assessment_title: str
    course_id: int
    date: dt.datetime  # when the grade was released
    label: str  # criterion title, question prompt or assessment title
    points: Decimal
    max_points: Decimal
    level: str | None = None  # the rubric level chosen
    marker_role: str | None = None


def results_for_items(trainee, item_ids) -> dict[int, list[ItemResult]]:
    """For a trainee and framework items, the released results that bear on each item:
    rubric criterion levels and quiz question scores (with their assessment and date), and
    the overall score of assessments tied to the item. At most four queries."""
    trainee_id = getattr(trainee, "id", trainee)
    ids = sorted({int(i) for i in item_ids})
    out: dict[int, list[ItemResult]] = {i: [] for i in ids}
    if not ids:
        return out
    released = and_(Grade.trainee_id == trainee_id, Grade.status == GradeStatus.RELEASED)
    crit_rows = db.session.execute(
        select(
            criterion_items.c.framework_item_id,
            MarkLevel,
            RubricCriterion,
            RubricLevel,
            Mark.role,
            Grade,
            Assessment,
        )
        .join(RubricCriterion, RubricCriterion.id == criterion_items.c.criterion_id)
        .join(MarkLevel, MarkLevel.criterion_id == RubricCriterion.id)
        .join(RubricLevel, RubricLevel.id == MarkLevel.level_id)
        .join(Mark, Mark.id == MarkLevel.mark_id)
        .join(Grade, Grade.id == Mark.grade_id)
        .join(Assessment, Assessment.id == Grade.assessment_id)
        .where(
            criterion_items.c.framework_item_id.in_(ids), released, Mark.completed_at.is_not(None)
        )
    ).all()
    maxima: dict[int, Decimal] = {}
    if crit_rows:
        maxima = dict(
            db.session.execute(
                select(RubricLevel.criterion_id, func.max(RubricLevel.points))
                .where(RubricLevel.criterion_id.in_({r[2].id for r in crit_rows}))
                .group_by(RubricLevel.criterion_id)
            ).all()
        )
    for item_id, ml, crit, level, role, grade, a in crit_rows:
        out[item_id].append(
            ItemResult(
                item_id,
                "criterion",
                a.id,
                a.title,
                a.course_id,
                grade.released_at,
                crit.title,
                ml.points,
                maxima.get(crit.id, ml.points),
                level.title,
                role.value,
            )
        )
    q_rows = db.session.execute(
        select(question_items.c.framework_item_id, Question, AttemptAnswer, Grade, Assessment)
        .join(Question, Question.id == question_items.c.question_id)
        .join(Assessment, Assessment.id == Question.assessment_id)
        .join(Grade, Grade.assessment_id == Assessment.id)
        .outerjoin(
            AttemptAnswer,
            and_(
                AttemptAnswer.attempt_id == Grade.attempt_id,
                AttemptAnswer.question_id == Question.id,
            ),
        )
        .where(question_items.c.framework_item_id.in_(ids), released, Grade.attempt_id.is_not(None))
    ).all()
    for item_id, q, ans, grade, a in q_rows:
        out[item_id].append(
            ItemResult(
                item_id,
                "question",
                a.id,
                a.title,
                a.course_id,
                grade.released_at,
                q.prompt,
                (ans.score if ans is not None and ans.score is not None else Decimal("0.00")),
                q.points,
            )
        )
    a_rows = db.session.execute(
        select(assessment_items.c.framework_item_id, Grade, Assessment)
        .join(Assessment, Assessment.id == assessment_items.c.assessment_id)
        .join(Grade, Grade.assessment_id == Assessment.id)
        .where(assessment_items.c.framework_item_id.in_(ids), released)
    ).all()
    for item_id, grade, a in a_rows:
        out[item_id].append(
            ItemResult(
                item_id,
                "assessment",
                a.id,
                a.title,
                a.course_id,
                grade.released_at,
                a.title,
                grade.score,
                a.max_points,
            )
        )
    for lst in out.values():
        lst.sort(key=lambda r: (r.date, r.assessment_id, r.source, r.label))
    return out
