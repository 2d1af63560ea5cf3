"""Personal calendar feeds: a secret token per user (only its SHA-256 is stored), reset at
will; the feed lists a trainee's lessons (active enrolments, courses out of draft) and a
trainer's own lessons."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from courses.calendar import calendar_of
from courses.models import CalendarFeed, Course, CourseStatus, Enrolment, EnrolmentStatus, Lesson
from courses.permissions import can_download_lesson_event, can_have_calendar
from lms.accounts.models import User
from lms.accounts.permissions import is_trainee, is_trainer
from lms.audit.services import record
from lms.db import db, utcnow
from lms.permissions import require, require_actor


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def has_feed(actor: User) -> CalendarFeed | None:
    """The actor's feed record (its creation time), if they made one."""
    require_actor(actor)
    return db.session.get(CalendarFeed, actor.id)


def reset_feed(actor: User) -> str:
    """A new secret token for the actor's feed; the previous address stops working. The token
    is returned once and never stored in clear."""
    require_actor(actor)
    require(can_have_calendar(actor))
    token = secrets.token_urlsafe(32)
    feed = db.session.get(CalendarFeed, actor.id)
    existed = feed is not None
    if feed is None:
        feed = CalendarFeed(user_id=actor.id, token_hash=_hash(token))
        db.session.add(feed)
    else:
        feed.token_hash, feed.created_at = _hash(token), utcnow()
    db.session.flush()
    record(actor, "calendar.reset" if existed else "calendar.create", "user", actor.id)
    return token


def owner_of_token(token: str) -> User | None:
    """The active user whose feed this token opens, or None (a wrong token finds nobody)."""
    if not token or len(token) > 100:
        return None
    user = db.session.scalar(
        select(User)
        .join(CalendarFeed, CalendarFeed.user_id == User.id)
        .where(CalendarFeed.token_hash == _hash(token))
    )
    if user is None or not user.active or not can_have_calendar(user):
        return None
    return user


def _labels() -> dict:
    return {"module": _("Module"), "link": _("Online link"), "cancelled": _("Cancelled")}


def feed_lessons(user: User) -> list[tuple[Lesson, Course]]:
    """The user's lessons in order: as a trainee (active enrolments, courses out of draft, from
    the enrolment date) and as a trainer (the lessons they teach). Two queries at most."""
    found: dict[int, tuple[Lesson, Course]] = {}
    if is_trainee(user):
        rows = db.session.execute(
            select(Lesson, Course, Enrolment)
            .join(Course, Course.id == Lesson.course_id)
            .join(Enrolment, Enrolment.course_id == Course.id)
            .options(joinedload(Lesson.module))
            .where(
                Enrolment.user_id == user.id,
                Enrolment.status == EnrolmentStatus.ACTIVE,
                Course.status != CourseStatus.DRAFT,
                Lesson.date >= Enrolment.enrolled_on,
            )
        ).all()
        for lesson, course, _e in rows:
            found[lesson.id] = (lesson, course)
    if is_trainer(user):
        rows = db.session.execute(
            select(Lesson, Course)
            .join(Course, Course.id == Lesson.course_id)
            .options(joinedload(Lesson.module))
            .where(Lesson.trainer_id == user.id)
        ).all()
        for lesson, course in rows:
            found[lesson.id] = (lesson, course)
    return sorted(found.values(), key=lambda lc: (lc[0].date, lc[0].start_time, lc[0].id))


def feed_ics(user: User, *, now: dt.datetime | None = None) -> bytes:
    """The user's feed as an iCalendar document."""
    return calendar_of(
        feed_lessons(user),
        name=_("Lessons of %(name)s", name=user.full_name),
        now=now or utcnow(),
        labels=_labels(),
    )


def lesson_ics(actor: User, lesson: Lesson, *, now: dt.datetime | None = None) -> bytes:
    """One lesson as an iCalendar file ('add to calendar')."""
    require_actor(actor)
    require(can_download_lesson_event(actor, lesson), private=True)
    course = db.session.get(Course, lesson.course_id)
    lesson = db.session.scalar(
        select(Lesson).where(Lesson.id == lesson.id).options(joinedload(Lesson.module))
    )
    return calendar_of(
        [(lesson, course)], name=course.display_title, now=now or utcnow(), labels=_labels()
    )
