"""Grading: marks (with rubric levels or observations), double marking and the agreed mark,
release, and the history every change leaves."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select, tuple_, update
from sqlalchemy.orm import selectinload

from assessments.models import (
    Assessment,
    Grade,
    GradeHistory,
    GradeStatus,
    Mark,
    MarkerRole,
    MarkLevel,
    Rubric,
    RubricCriterion,
    Submission,
)
from assessments.permissions import can_grade_assessment, can_record_agreement, can_view_mark
from assessments.scoring import q2, rubric_score, scale
from assessments.services.common import (
    active_enrolment,
    check_version,
    grade_of,
    grade_snapshot,
    points,
    write_history,
    write_history_many,
)
from courses.attendance import eligibility
from courses.models import Course
from lms.db import db, flush_versioned, utcnow
from lms.errors import (
    Conflict,
    NotEligible,
    NotFound,
    StaleEdit,
    ValidationFailed,
)
from lms.permissions import require
from lms.validation import invalid, optional_text, required_reason

MARK_FIELDS = ["role", "score", "feedback", "note", "observed_on", "completed_at"]


def course_of(assessment: Assessment) -> Course:
    return db.session.get(Course, assessment.course_id)


def require_grader(actor, assessment: Assessment) -> Course:
    """Forbidden unless the actor grades this assessment's course; returns the course."""
    require(can_grade_assessment(actor, assessment))
    return course_of(assessment)


def assessment_rubric(assessment: Assessment) -> Rubric | None:
    return db.session.scalar(
        select(Rubric)
        .where(Rubric.assessment_id == assessment.id)
        .options(
            selectinload(Rubric.criteria).selectinload(RubricCriterion.levels),
            selectinload(Rubric.criteria).selectinload(RubricCriterion.framework_items),
        )
        .execution_options(populate_existing=True)
    )


def marks_of(grade: Grade) -> list[Mark]:
    return list(
        db.session.scalars(
            select(Mark)
            .where(Mark.grade_id == grade.id)
            .options(selectinload(Mark.levels), selectinload(Mark.marker))
            .order_by(Mark.role)
            .execution_options(populate_existing=True)
        )
    )


def grade_for_marking(actor, assessment: Assessment, trainee_id: int) -> Grade:
    """The grade a marker works on; observed tests get one on first use."""
    require_grader(actor, assessment)
    grade = grade_of(assessment, trainee_id)
    if grade is None:
        if active_enrolment(assessment, trainee_id) is None:
            raise NotFound()
        grade = grade_of(assessment, trainee_id, create=True)
    return grade


def check_final_eligibility(
    assessment: Assessment, trainee_id: int, now: dt.datetime | None = None
) -> None:
    """An observed final test (practical or oral) is only for trainees whose attendance meets
    the course's threshold, as the courses package counts it."""
    if not (assessment.is_final and assessment.is_observed):
        return
    enrolment = active_enrolment(assessment, trainee_id)
    if enrolment is None or not eligibility(enrolment, now).assessment.met:
        course = course_of(assessment)
        raise NotEligible(
            _(
                "This trainee's attendance is below %(pct)d%% of the course hours: they are not "
                "admitted to the final assessment.",
                pct=course.assessment_threshold_pct,
            )
        )


def my_role(actor, assessment: Assessment, marks: list[Mark]) -> MarkerRole | None:
    """Which mark the actor writes: their own, else the first free one; None when both marks
    of a double-marked grade belong to others."""
    by_role = {m.role: m for m in marks}
    for m in marks:
        if m.marker_id == actor.id:
            return m.role
    if MarkerRole.FIRST not in by_role:
        return MarkerRole.FIRST
    if not assessment.double_marking:
        return MarkerRole.FIRST  # single marking: the course's trainers share the one mark
    if MarkerRole.SECOND not in by_role:
        return MarkerRole.SECOND
    return None


def visible_marks(actor, assessment: Assessment, marks: list[Mark]) -> list[Mark]:
    """The marks the actor may read: with double marking, the other marker's stays hidden
    until both are complete, so the second marker grades blind."""
    return [m for m in marks if can_view_mark(actor, m, assessment, marks)]


@dataclass
class MarkInput:
    score: Decimal | str | None = None  # ignored when the assessment has a rubric
    levels: dict[int, int] = field(default_factory=dict)  # criterion id -> level id
    comments: dict[int, str] = field(default_factory=dict)  # criterion id -> comment
    feedback: str = ""
    note: str = ""
    observed_on: dt.date | None = None
    complete: bool = True
    reason: str = ""
    seen_version: int = 0  # the mark's version the marker saw; 0 for a new mark


def _mark_snapshot(mark: Mark | None) -> dict | None:
    if mark is None:
        return None
    from lms.audit.services import snapshot

    snap = snapshot(mark, MARK_FIELDS)
    snap["levels"] = {str(lv.criterion_id): str(lv.points) for lv in mark.levels}
    return snap


def save_mark(
    actor, assessment: Assessment, grade: Grade, data: MarkInput, now: dt.datetime | None = None
) -> Mark:
    """Record a marker's grading; with a rubric the score is the sum of the chosen levels
    (scaled to the assessment's maximum). Changing a grade already given needs a reason."""
    now = now or utcnow()
    require_grader(actor, assessment)
    if grade.assessment_id != assessment.id:
        raise NotFound()
    if assessment.kind.value == "assignment" and grade.status == GradeStatus.NOT_SUBMITTED:
        raise Conflict(_("Nothing was submitted yet: there is nothing to grade."))
    check_final_eligibility(assessment, grade.trainee_id, now)
    marks = marks_of(grade)
    role = my_role(actor, assessment, marks)
    if role is None:
        raise Conflict(_("Both marks are given: record the agreed mark instead."))
    mark = next((m for m in marks if m.role == role), None)
    if (mark.version_id if mark else 0) != data.seen_version:
        raise StaleEdit(
            _(
                "Someone else saved this mark while you were editing it. Their "
                "version is shown now; your entries are kept below. Check them "
                "and save again."
            )
        )
    rubric = assessment_rubric(assessment)
    errors: dict[str, list[str]] = {}
    chosen: list[tuple[RubricCriterion, object, str]] = []
    if rubric is not None and rubric.criteria:
        for crit in rubric.criteria:
            level_id = data.levels.get(crit.id)
            level = next((lv for lv in crit.levels if lv.id == level_id), None)
            comment = (data.comments.get(crit.id) or "").strip()[:1000]
            if level is None:
                if data.complete:
                    errors[f"criterion_{crit.id}"] = [_("Choose a level for this criterion.")]
                continue
            chosen.append((crit, level, comment))
        total_max = q2(sum((c.max_points for c in rubric.criteria), Decimal(0)))
        score = (
            scale(
                rubric_score([lv.points for _c, lv, _m in chosen]), total_max, assessment.max_points
            )
            if chosen
            else None
        )
    else:
        try:
            score = points(
                data.score, "score", allow_none=not data.complete, maximum=assessment.max_points
            )
        except ValidationFailed as err:
            errors.update(err.fields)
            score = None
    feedback = note = ""
    try:
        feedback = optional_text(data.feedback, "feedback", 10000)
        note = optional_text(data.note, "note", 10000)
    except ValidationFailed as err:
        errors.update(err.fields)
    if assessment.is_observed and data.complete and data.observed_on is None:
        errors["observed_on"] = [_("Give the date of the observation.")]
    if data.observed_on is not None and data.observed_on > now.date() + dt.timedelta(days=1):
        errors["observed_on"] = [_("The observation cannot be in the future.")]
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)

    before = {"grade": grade_snapshot(grade), "mark": _mark_snapshot(mark)}
    if mark is None:
        mark = Mark(grade_id=grade.id, marker_id=actor.id, role=role)
        mark.levels = []
        db.session.add(mark)
    elif mark.marker_id != actor.id and not assessment.double_marking:
        mark.marker_id = actor.id
    mark.score, mark.feedback, mark.note = score, feedback, note
    mark.observed_on = data.observed_on
    if data.complete:
        mark.completed_at = mark.completed_at or now
    else:
        mark.completed_at = None
    existing = {lv.criterion_id: lv for lv in mark.levels}
    for crit, level, comment in chosen:
        row = existing.pop(crit.id, None)
        if row is None:
            mark.levels.append(
                MarkLevel(
                    criterion_id=crit.id, level_id=level.id, points=level.points, comment=comment
                )
            )
        else:
            row.level_id, row.points, row.comment = level.id, level.points, comment
    for row in existing.values():
        mark.levels.remove(row)
    flush_versioned()
    marks = [m for m in marks if m.id != mark.id] + [mark]
    old_score = grade.score
    _settle(grade, assessment, marks, now)
    if old_score is not None and grade.score is not None and grade.score != old_score:
        reason = data.reason.strip()
        if len(reason) < 3:
            raise invalid(
                "reason",
                _(
                    "This changes a grade already given: give a reason, it "
                    "is kept in the grade's history."
                ),
            )
    reason = data.reason.strip()[:1000] or None
    flush_versioned()
    after = {"grade": grade_snapshot(grade), "mark": _mark_snapshot(mark)}
    action = "mark.complete" if data.complete else "mark.draft"
    write_history(actor, grade, action, before, after, reason, mark=mark)
    return mark


def _settle(grade: Grade, assessment: Assessment, marks: list[Mark], now: dt.datetime) -> None:
    """Derive the grade from its marks."""
    done = [m for m in marks if m.completed]
    released = grade.status == GradeStatus.RELEASED
    if not assessment.double_marking:
        first = next((m for m in marks if m.role == MarkerRole.FIRST), None)
        if first is not None and first.completed:
            grade.score, grade.feedback = first.score, first.feedback
            grade.graded_at = grade.graded_at or now
            if not released:
                grade.status = GradeStatus.GRADED
        elif not released:
            grade.status = GradeStatus.IN_GRADING
        return
    if grade.agreed_at is not None:
        return  # the agreed mark stands; changing it goes through record_agreement
    if len(done) < 2:
        if not released:
            grade.status = GradeStatus.IN_GRADING
        return
    a, b = (m.score for m in sorted(done, key=lambda m: m.role.value))
    gap = abs(a - b)
    grade.discrepancy = gap > assessment.marking_tolerance
    if grade.discrepancy:
        if not released:
            grade.status = GradeStatus.IN_GRADING
            grade.score = None
        return
    grade.score = q2((a + b) / 2)
    grade.feedback = "\n\n".join(
        m.feedback for m in sorted(done, key=lambda m: m.role.value) if m.feedback
    )
    grade.graded_at = grade.graded_at or now
    if not released:
        grade.status = GradeStatus.GRADED


def needs_agreement(grade: Grade, marks: list[Mark]) -> bool:
    return grade.discrepancy and grade.agreed_at is None and sum(m.completed for m in marks) >= 2


def record_agreement(
    actor,
    assessment: Assessment,
    grade: Grade,
    *,
    score,
    reason: str,
    feedback: str = "",
    seen_version: int | None = None,
    now: dt.datetime | None = None,
) -> Grade:
    """The agreed mark of a double-marked grade, with its reason, by a trainer of the course
    or a coordinator, once both marks are complete."""
    now = now or utcnow()
    require(can_record_agreement(actor, grade))
    if not assessment.double_marking:
        raise Conflict(_("This assessment is not double marked."))
    marks = marks_of(grade)
    if sum(1 for m in marks if m.completed) < 2:
        raise Conflict(_("Both marks must be complete before the agreed mark."))
    check_version(grade, seen_version)
    errors: dict[str, list[str]] = {}
    try:
        value = points(score, "score", maximum=assessment.max_points)
    except ValidationFailed as err:
        errors.update(err.fields)
        value = None
    try:
        reason = required_reason(reason, max_len=1000)
    except ValidationFailed as err:
        errors.update(err.fields)
    try:
        feedback = optional_text(feedback, "feedback", 10000)
    except ValidationFailed as err:
        errors.update(err.fields)
    if errors:
        raise ValidationFailed(_("Some fields are not valid."), errors)
    before = grade_snapshot(grade)
    grade.score = value
    grade.feedback = feedback or grade.feedback
    grade.agreed_at, grade.agreed_by_id, grade.agreed_reason = now, actor.id, reason
    grade.graded_at = grade.graded_at or now
    if grade.status != GradeStatus.RELEASED:
        grade.status = GradeStatus.GRADED
    flush_versioned()
    write_history(actor, grade, "grade.agree", before, grade_snapshot(grade), reason)
    return grade


def release(
    actor,
    assessment: Assessment,
    grade_ids: list[int] | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Release graded (draft) grades to their trainees: all of them, or the ones chosen."""
    now = now or utcnow()
    require_grader(actor, assessment)
    q = select(Grade).where(
        Grade.assessment_id == assessment.id, Grade.status == GradeStatus.GRADED
    )
    if grade_ids is not None:
        q = q.where(Grade.id.in_([int(i) for i in grade_ids] or [-1]))
    grades = list(db.session.scalars(q.order_by(Grade.id)))
    if not grades:
        return 0
    changes = []
    for grade in grades:
        before = grade_snapshot(grade)
        changes.append((grade.id, before, {**before, "status": GradeStatus.RELEASED.value}))
    # One UPDATE for all the grades, conditional on the versions read above (what the ORM
    # checks row by row): a grade changed in between makes the count differ, StaleEdit.
    # Then the history and the audit in bulk: the same queries for 3 grades or 300.
    flush_versioned()
    done = db.session.execute(
        update(Grade)
        .where(tuple_(Grade.id, Grade.version_id).in_([(g.id, g.version_id) for g in grades]))
        .values(
            status=GradeStatus.RELEASED,
            released_at=now,
            released_by_id=actor.id,
            version_id=Grade.version_id + 1,
        )
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != len(grades):
        raise StaleEdit()
    for grade in grades:
        db.session.expire(grade)
    write_history_many(actor, "grade.release", changes)
    return len(grades)


def history_of(grade: Grade) -> list[GradeHistory]:
    return list(
        db.session.scalars(
            select(GradeHistory)
            .where(GradeHistory.grade_id == grade.id)
            .options(selectinload(GradeHistory.changed_by))
            .order_by(GradeHistory.changed_at, GradeHistory.id)
        )
    )


def visible_history(
    actor, assessment: Assessment, grade: Grade, marks: list[Mark]
) -> list[GradeHistory]:
    """The history a marker may read: while the second marker grades blind, only their own
    entries and the ones that carry no mark."""
    entries = history_of(grade)
    if visible_marks(actor, assessment, marks) == marks:
        return entries
    hidden = {m.id for m in marks if m.marker_id != actor.id}
    return [
        e
        for e in entries
        if e.mark_id not in hidden and not (e.changed_by_id != actor.id and e.mark_id)
    ]


def submission_for(grade: Grade) -> Submission | None:
    from assessments.models import SubmissionFile

    return db.session.scalar(
        select(Submission)
        .where(
            Submission.assessment_id == grade.assessment_id,
            Submission.trainee_id == grade.trainee_id,
        )
        .options(selectinload(Submission.files).selectinload(SubmissionFile.stored))
        .execution_options(populate_existing=True)
    )
