"""Lessons: schedule one or a weekly series, move, cancel; trainers are never double-booked."""

from __future__ import annotations

import datetime as dt
import uuid

from flask_babel import format_date
from flask_babel import gettext as _
from sqlalchemy import and_, func, select

from courses.models import (
    AttendanceRecord,
    Course,
    CourseModule,
    Lesson,
    LessonMode,
    Register,
    lesson_minutes,
)
from courses.permissions import can_manage_course, can_read_course
from courses.services.common import ensure_not_closed
from lms.accounts.models import User
from lms.accounts.permissions import is_trainer
from lms.audit.services import changed, record, snapshot
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, ValidationFailed
from lms.permissions import require, require_actor
from lms.validation import REASON_MAX, FieldErrors, optional_text, required_reason

FIELDS = ["date", "start_time", "end_time", "mode", "place", "link", "trainer_id", "module_id"]
MAX_SERIES = 52


def trainer_conflicts(
    trainer_id: int, date: dt.date, start: dt.time, end: dt.time, exclude_ids=()
) -> list[Lesson]:
    """The trainer's other lessons that overlap this time (cancelled ones do not count)."""
    q = select(Lesson).where(
        Lesson.trainer_id == trainer_id,
        Lesson.date == date,
        Lesson.cancelled_at.is_(None),
        and_(Lesson.start_time < end, Lesson.end_time > start),
    )
    if exclude_ids:
        q = q.where(Lesson.id.not_in(list(exclude_ids)))
    return list(db.session.scalars(q))


def _validate(
    course: Course, *, module_id, date, start, end, mode, place, link, trainer_id, exclude_ids=()
) -> tuple[LessonMode, User]:
    errors: dict[str, list[str]] = {}
    if not isinstance(date, dt.date):
        errors["date"] = [_("Enter a valid date.")]
    elif not course.start_date <= date <= course.end_date:
        errors["date"] = [_("The lesson must fall between the course's start and end dates.")]
    if not isinstance(start, dt.time):
        errors["start_time"] = [_("Enter a valid time.")]
    if not isinstance(end, dt.time):
        errors["end_time"] = [_("Enter a valid time.")]
    elif isinstance(start, dt.time) and lesson_minutes(start, end) <= 0:
        errors["end_time"] = [_("The lesson must end after it starts.")]
    try:
        mode = mode if isinstance(mode, LessonMode) else LessonMode(mode)
    except ValueError:
        errors["mode"] = [_("Choose how the lesson is held.")]
    if not errors.get("mode"):
        if mode in (LessonMode.IN_PERSON, LessonMode.BLENDED) and not (place or "").strip():
            errors["place"] = [_("Give the place of an in-person or blended lesson.")]
        if mode in (LessonMode.ONLINE, LessonMode.BLENDED) and not (link or "").strip():
            errors["link"] = [_("Give the link of an online or blended lesson.")]
    if (link or "").strip() and not (link or "").strip().startswith(("https://", "http://")):
        errors["link"] = [_("The link must start with https://.")]
    in_course = db.session.scalar(
        select(CourseModule.module_id).where(
            CourseModule.course_id == course.id, CourseModule.module_id == module_id
        )
    )
    if in_course is None:
        errors["module_id"] = [_("Choose one of the course's modules.")]
    trainer = db.session.get(User, trainer_id) if trainer_id else None
    if trainer is None or not is_trainer(trainer):
        errors["trainer_id"] = [_("Choose a trainer.")]
    texts = FieldErrors(errors)  # the same dict: every message of the form at once
    texts.check(optional_text, place, "place", 300, multiline=False)
    texts.check(optional_text, link, "link", 500, multiline=False)
    if errors:
        raise ValidationFailed(fields=errors)
    return mode, trainer


def _check_double_booking(trainer: User, dates: list[dt.date], start, end, exclude_ids=()):
    clashes = []
    for day in dates:
        clashes += trainer_conflicts(trainer.id, day, start, end, exclude_ids)
    if clashes:
        when = ", ".join(
            f"{format_date(c.date, 'short')} {c.start_time:%H:%M}-{c.end_time:%H:%M}"
            for c in clashes[:5]
        )
        msg = _(
            "%(name)s already teaches another lesson at that time (%(when)s).",
            name=trainer.full_name,
            when=when,
        )
        raise ValidationFailed(msg, {"trainer_id": [msg]})


def _new_lesson(course, module_id, date, start, end, mode, place, link, trainer, series_key):
    lesson = Lesson(
        course_id=course.id,
        module_id=module_id,
        date=date,
        start_time=start,
        end_time=end,
        mode=mode,
        place=(place or "").strip(),
        link=(link or "").strip(),
        trainer_id=trainer.id,
        series_key=series_key,
    )
    lesson.register = Register()
    db.session.add(lesson)
    return lesson


def schedule_lessons(
    actor: User,
    course: Course,
    *,
    module_id: int,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    mode,
    trainer_id: int,
    place: str = "",
    link: str = "",
    weeks: int = 1,
) -> list[Lesson]:
    """Schedule one lesson, or the same lesson every week for `weeks` weeks."""
    require_actor(actor)
    require(can_manage_course(actor, course))
    ensure_not_closed(course)
    if not isinstance(weeks, int) or not 1 <= weeks <= MAX_SERIES:
        msg = _("Repeat between 1 and %(n)d weeks.", n=MAX_SERIES)
        raise ValidationFailed(msg, {"weeks": [msg]})
    mode, trainer = _validate(
        course,
        module_id=module_id,
        date=date,
        start=start_time,
        end=end_time,
        mode=mode,
        place=place,
        link=link,
        trainer_id=trainer_id,
    )
    dates = [date + dt.timedelta(weeks=i) for i in range(weeks)]
    late = [d for d in dates if d > course.end_date]
    if late:
        msg = _(
            "The series goes past the course's end date (%(date)s).",
            date=format_date(course.end_date, "short"),
        )
        raise ValidationFailed(msg, {"weeks": [msg]})
    _check_double_booking(trainer, dates, start_time, end_time)
    key = str(uuid.uuid4()) if weeks > 1 else None
    lessons = [
        _new_lesson(course, module_id, d, start_time, end_time, mode, place, link, trainer, key)
        for d in dates
    ]
    flush_versioned()
    for lesson in lessons:
        record(actor, "lesson.create", "lesson", lesson.id, None, snapshot(lesson, FIELDS))
    return lessons


def lessons_query(actor: User, course: Course):
    """A select of a course's lessons in order, for whoever may read the course."""
    require_actor(actor)
    require(can_read_course(actor, course), private=True)
    return (
        select(Lesson).where(Lesson.course_id == course.id).order_by(Lesson.date, Lesson.start_time)
    )


def has_attendance(lesson: Lesson) -> bool:
    return (
        db.session.scalar(
            select(func.count(AttendanceRecord.id)).where(AttendanceRecord.lesson_id == lesson.id)
        )
        > 0
    )


def update_lesson(
    actor: User,
    lesson: Lesson,
    course: Course,
    *,
    module_id: int,
    date: dt.date,
    start_time: dt.time,
    end_time: dt.time,
    mode,
    trainer_id: int,
    place: str = "",
    link: str = "",
    reason: str | None = None,
    now: dt.datetime | None = None,
) -> Lesson:
    """Change or move a lesson; with attendance recorded a reason is required."""
    require_actor(actor)
    require(lesson.course_id == course.id and can_manage_course(actor, course))
    ensure_not_closed(course)
    if lesson.is_cancelled:
        raise Conflict(_("This lesson is cancelled and can no longer be changed."))
    mode, trainer = _validate(
        course,
        module_id=module_id,
        date=date,
        start=start_time,
        end=end_time,
        mode=mode,
        place=place,
        link=link,
        trainer_id=trainer_id,
        exclude_ids=[lesson.id],
    )
    _check_double_booking(trainer, [date], start_time, end_time, exclude_ids=[lesson.id])
    before = snapshot(lesson, FIELDS)
    recorded = has_attendance(lesson)
    moves = (date, start_time, end_time) != (lesson.date, lesson.start_time, lesson.end_time)
    reason = optional_text(reason, "reason", REASON_MAX) or None  # kept in the audit trail
    if recorded and moves:
        reason = required_reason(reason)
        new_start = dt.datetime.combine(date, start_time, tzinfo=lesson.starts_at.tzinfo)
        if new_start > (now or utcnow()):
            raise Conflict(_("A lesson with recorded attendance cannot be moved to the future."))
    lesson.module_id, lesson.date = module_id, date
    lesson.start_time, lesson.end_time, lesson.mode = start_time, end_time, mode
    lesson.place, lesson.link = (place or "").strip(), (link or "").strip()
    lesson.trainer_id = trainer.id
    flush_versioned()
    if recorded and moves:
        # Minutes never exceed the new length.
        for rec in db.session.scalars(
            select(AttendanceRecord).where(
                AttendanceRecord.lesson_id == lesson.id,
                AttendanceRecord.minutes > lesson.length_minutes,
            )
        ):
            record(
                actor,
                "attendance.clamp",
                "attendance_record",
                rec.id,
                {"minutes": rec.minutes},
                {"minutes": lesson.length_minutes},
                reason,
            )
            rec.minutes = lesson.length_minutes
        db.session.flush()
    b, a = changed(before, snapshot(lesson, FIELDS))
    if a:
        record(actor, "lesson.update", "lesson", lesson.id, b, a, reason)
    return lesson


def cancel_lesson(actor: User, lesson: Lesson, course: Course, reason: str) -> Lesson:
    """Cancel a lesson, with a reason; its attendance stops counting."""
    require_actor(actor)
    require(lesson.course_id == course.id and can_manage_course(actor, course))
    ensure_not_closed(course)
    if lesson.is_cancelled:
        return lesson
    reason = required_reason(reason)
    lesson.cancelled_at = utcnow()
    lesson.cancel_reason = reason
    db.session.flush()
    record(
        actor,
        "lesson.cancel",
        "lesson",
        lesson.id,
        None,
        {"cancelled_at": lesson.cancelled_at, "had_attendance": has_attendance(lesson)},
        reason,
    )
    return lesson


def lessons_of_trainer_on(user: User, day: dt.date) -> list[Lesson]:
    """The acting trainer's own lessons on a day, with course and module loaded."""
    require_actor(user)
    from sqlalchemy.orm import joinedload

    from courses.models import CourseTrainer

    return list(
        db.session.scalars(
            select(Lesson)
            .options(joinedload(Lesson.course), joinedload(Lesson.module))
            .where(
                Lesson.date == day,
                (Lesson.trainer_id == user.id)
                | Lesson.course_id.in_(
                    select(CourseTrainer.course_id).where(CourseTrainer.user_id == user.id)
                ),
            )
            .order_by(Lesson.start_time, Lesson.id)
        ).unique()
    )
