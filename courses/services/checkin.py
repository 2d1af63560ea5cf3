"""Self check-in: a rotating code shown by the trainer, typed (or scanned) by the trainee."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac

from flask import current_app
from flask_babel import format_time
from flask_babel import gettext as _
from sqlalchemy import select

from courses.models import (
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    Course,
    Enrolment,
    Lesson,
)
from courses.permissions import can_check_in, can_run_checkin, is_published_course
from courses.services.common import ensure_not_closed
from courses.services.registers import (
    OPENS_BEFORE,
    RECORD_FIELDS,
    get_register,
)
from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, NotEligible, RateLimited, ValidationFailed
from lms.permissions import require, require_actor
from lms.ratelimit import count_attempt, retry_after
from lms.timezone import LOCAL_TZ

# A check-in later than this after the start is recorded as late.
LATE_AFTER = dt.timedelta(minutes=15)
CODE_WINDOW_SECONDS = 60


def _window(now: dt.datetime) -> int:
    return int(now.timestamp() // CODE_WINDOW_SECONDS)


def _code(lesson_id: int, window: int) -> str:
    key = current_app.config["SECRET_KEY"].encode()
    mac = hmac.new(key, f"checkin:{lesson_id}:{window}".encode(), hashlib.sha256).digest()
    return f"{int.from_bytes(mac[:4], 'big') % 1_000_000:06d}"


def current_code(lesson: Lesson, now: dt.datetime | None = None) -> tuple[str, int]:
    """The code to show now and the seconds before it changes; nothing is stored."""
    now = now or utcnow()
    w = _window(now)
    return _code(lesson.id, w), CODE_WINDOW_SECONDS - int(now.timestamp()) % CODE_WINDOW_SECONDS


def code_matches(lesson: Lesson, code: str, now: dt.datetime) -> bool:
    """The current and the previous code are accepted (a minute of grace)."""
    code = (code or "").strip().replace(" ", "")
    if not code.isascii():  # compare_digest refuses other text
        return False
    w = _window(now)
    return any(hmac.compare_digest(code, _code(lesson.id, x)) for x in (w, w - 1))


def checkin_open(lesson: Lesson, now: dt.datetime) -> bool:
    return not lesson.is_cancelled and lesson.starts_at - OPENS_BEFORE <= now <= lesson.ends_at


def lessons_open_for_checkin(now: dt.datetime) -> list[Lesson]:
    """Lessons whose check-in window contains now (a handful at most)."""
    local = now.astimezone(LOCAL_TZ)
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.date == local.date(), Lesson.cancelled_at.is_(None))
    )
    return [s for s in lessons if checkin_open(s, now)]


def _refuse_if_too_many(user: User, lesson_id: int | None) -> None:
    cfg = current_app.config
    wait = retry_after(cfg["CHECKIN_ATTEMPTS_PER_TRAINEE"], "checkin-trainee", str(user.id))
    if lesson_id is not None:
        wait = max(
            wait, retry_after(cfg["CHECKIN_ATTEMPTS_PER_LESSON"], "checkin-lesson", str(lesson_id))
        )
    if wait:
        msg = _(
            "Too many wrong codes: wait %(seconds)d seconds, then type the code the trainer "
            "shows now.",
            seconds=wait,
        )
        raise RateLimited(msg, {"code": [msg]}, retry_after=wait)


def _count_wrong(user: User, lesson_id: int | None) -> None:
    cfg = current_app.config
    count_attempt(cfg["CHECKIN_ATTEMPTS_PER_TRAINEE"], "checkin-trainee", str(user.id))
    if lesson_id is not None:
        count_attempt(cfg["CHECKIN_ATTEMPTS_PER_LESSON"], "checkin-lesson", str(lesson_id))


def check_in(
    user: User, code: str, *, lesson_id: int | None = None, now: dt.datetime | None = None
) -> tuple[Lesson, AttendanceRecord]:
    """A trainee checks in with the code shown by the trainer; refused with a clear reason.

    Wrong codes are counted per trainee (and per lesson when the link names one); past the
    limits (settings CHECKIN_ATTEMPTS_PER_TRAINEE, _PER_LESSON) every attempt, right or
    wrong, is refused until the oldest wrong one leaves its window: guessing a six-digit
    code at 5 tries a minute and 20 an hour has a chance of about 1 in 25,000 in an hour."""
    require_actor(user)
    require(can_check_in(user))
    now = now or utcnow()
    _refuse_if_too_many(user, lesson_id)
    code = (code or "").strip().replace(" ", "")
    if not (code.isascii() and code.isdigit()) or len(code) != 6:
        _count_wrong(user, lesson_id)
        msg = _("The code has 6 digits.")
        raise ValidationFailed(msg, {"code": [msg]})
    candidates = lessons_open_for_checkin(now)
    match = next((s for s in candidates if code_matches(s, code, now)), None)
    if match is None:
        _count_wrong(user, lesson_id)
    if lesson_id is not None:
        lesson = db.session.get(Lesson, lesson_id)
        if lesson is not None and match is not None and match.id != lesson.id:
            msg = _("This code belongs to another lesson.")
            raise ValidationFailed(msg, {"code": [msg]})
        if lesson is not None and not checkin_open(lesson, now):
            opens = lesson.starts_at - OPENS_BEFORE
            msg = _(
                "Check-in for this lesson is closed: it is open from %(start)s to %(end)s "
                "on the day of the lesson.",
                start=format_time(opens, "HH:mm"),
                end=format_time(lesson.ends_at, "HH:mm"),
            )
            raise NotEligible(msg, {"code": [msg]})
    if match is None:
        msg = _("The code is not valid or has expired. Ask the trainer for the current code.")
        raise ValidationFailed(msg, {"code": [msg]})
    lesson = match
    enrolment = db.session.scalar(
        select(Enrolment).where(
            Enrolment.course_id == lesson.course_id, Enrolment.user_id == user.id
        )
    )
    course = db.session.get(Course, lesson.course_id)
    if enrolment is None or not enrolment.counts_on(lesson.date) or not is_published_course(course):
        msg = _("You are not enrolled in the course of this lesson, so you cannot check in.")
        raise NotEligible(msg, {"code": [msg]})
    reg = get_register(lesson)
    ensure_not_closed(course)
    if reg.is_signed:
        msg = _("The register of this lesson is already signed. Speak to the trainer.")
        raise Conflict(msg, {"code": [msg]})
    rec = db.session.scalar(
        select(AttendanceRecord).where(
            AttendanceRecord.lesson_id == lesson.id, AttendanceRecord.enrolment_id == enrolment.id
        )
    )
    if rec is not None and rec.status not in (AttendanceStatus.ABSENT,):
        msg = _("Your presence at this lesson is already recorded.")
        raise Conflict(msg, {"code": [msg]})
    late = now > lesson.starts_at + LATE_AFTER
    status = AttendanceStatus.LATE if late else AttendanceStatus.PRESENT
    minutes = lesson.length_minutes
    if late:
        minutes = max(0, int((lesson.ends_at - now).total_seconds() // 60))
        minutes = min(minutes, lesson.length_minutes - 1)
    before = snapshot(rec, RECORD_FIELDS) if rec else None
    if rec is None:
        rec = AttendanceRecord(lesson_id=lesson.id, enrolment_id=enrolment.id, note="")
        db.session.add(rec)
    rec.status, rec.minutes, rec.source = status, minutes, AttendanceSource.CHECK_IN
    rec.checked_in_at = now
    rec.recorded_by_id = user.id
    flush_versioned()
    record(
        user,
        "attendance.check_in",
        "attendance_record",
        rec.id,
        before,
        snapshot(rec, RECORD_FIELDS),
    )
    return lesson, rec


def screen(actor: User, lesson: Lesson, now: dt.datetime | None = None) -> dict:
    """What the trainer's check-in screen shows: whether it is open, the code and the seconds
    before it changes, and the check-ins so far (others: not found)."""
    require_actor(actor)
    require(can_run_checkin(actor, lesson), private=True)
    now = now or utcnow()
    is_open = checkin_open(lesson, now)
    code, seconds = current_code(lesson, now) if is_open else ("", 0)
    return {
        "open": is_open,
        "code": code,
        "seconds": seconds,
        "checkins": recent_check_ins(lesson),
        "opens": lesson.starts_at - OPENS_BEFORE,
    }


def recent_check_ins(lesson: Lesson) -> list[tuple[AttendanceRecord, User]]:
    """Check-ins of a lesson, newest first."""
    rows = db.session.execute(
        select(AttendanceRecord, User)
        .join(Enrolment, Enrolment.id == AttendanceRecord.enrolment_id)
        .join(User, User.id == Enrolment.user_id)
        .where(AttendanceRecord.lesson_id == lesson.id, AttendanceRecord.checked_in_at.is_not(None))
        .order_by(AttendanceRecord.checked_in_at.desc())
    ).all()
    return [(r, u) for r, u in rows]
