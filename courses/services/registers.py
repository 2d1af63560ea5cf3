"""The attendance register of a lesson: record, sign, reopen; and self check-in by code."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
from dataclasses import dataclass

from flask import current_app
from flask_babel import format_time
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from courses.models import (
    AttendanceRecord,
    AttendanceSource,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Lesson,
    Register,
)
from courses.permissions import can_reopen_register, can_take_register
from courses.services.common import ensure_not_closed, required_reason
from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, Forbidden, NotEligible, StaleEdit, ValidationFailed

RECORD_FIELDS = ["status", "minutes", "note"]
# Attendance (and check-in) opens a little before the lesson starts.
OPENS_BEFORE = dt.timedelta(minutes=15)
# A check-in later than this after the start is recorded as late.
LATE_AFTER = dt.timedelta(minutes=15)
CODE_WINDOW_SECONDS = 60


@dataclass
class RegisterRow:
    enrolment: Enrolment
    user: User
    record: AttendanceRecord | None


@dataclass
class RowInput:
    """One trainee's line as submitted: `seen_version` is the record's version the editor saw
    (0 when there was none); `original` is what the form showed, to skip untouched lines."""

    enrolment_id: int
    status: AttendanceStatus | None
    minutes: int | None
    note: str = ""
    seen_version: int = 0
    original: tuple | None = None


def get_register(lesson: Lesson) -> Register:
    reg = db.session.get(Register, lesson.id)
    if reg is None:  # lessons always get one when scheduled; this guards older data
        reg = Register(lesson_id=lesson.id)
        db.session.add(reg)
        db.session.flush()
    return reg


def register_rows(lesson: Lesson) -> list[RegisterRow]:
    """The trainees who belong in a lesson's register (enrolled by then, not withdrawn before)."""
    enrolments = db.session.scalars(
        select(Enrolment)
        .join(Enrolment.user)
        .options(contains_eager(Enrolment.user))
        .where(
            Enrolment.course_id == lesson.course_id,
            Enrolment.status != EnrolmentStatus.WAITING,
            Enrolment.enrolled_on <= lesson.date,
        )
        .order_by(User.full_name, User.id)
    ).unique()
    records = {
        r.enrolment_id: r
        for r in db.session.scalars(
            select(AttendanceRecord).where(AttendanceRecord.lesson_id == lesson.id)
        )
    }
    return [
        RegisterRow(e, e.user, records.get(e.id)) for e in enrolments if e.counts_on(lesson.date)
    ]


def attendance_open(lesson: Lesson, now: dt.datetime) -> bool:
    """Attendance can be recorded once the lesson is about to start, never for a future one."""
    return not lesson.is_cancelled and now >= lesson.starts_at - OPENS_BEFORE


def _check_writable(lesson: Lesson, course: Course, reg: Register, now: dt.datetime) -> None:
    ensure_not_closed(course)
    if lesson.is_cancelled:
        raise Conflict(_("This lesson was cancelled: no attendance can be recorded."))
    if not attendance_open(lesson, now):
        raise Conflict(_("This lesson has not started yet: attendance cannot be recorded."))
    if reg.is_signed:
        raise Conflict(_("The register is signed and locked. A coordinator can reopen it."))


def default_minutes(status: AttendanceStatus, lesson: Lesson) -> int:
    """The minutes a status implies before the trainer edits them."""
    if status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        return 0
    return lesson.length_minutes


def _clean_row(row: RowInput, lesson: Lesson, errors: dict) -> tuple | None:
    if row.status is None:
        return None
    length = lesson.length_minutes
    minutes = row.minutes
    key = f"minutes_{row.enrolment_id}"
    if row.status in (AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED):
        minutes = 0
    elif minutes is None:
        minutes = length
    if minutes < 0 or minutes > length:
        errors[key] = [_("Minutes go from 0 to the lesson's length (%(n)d).", n=length)]
    elif row.status in (AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY) and minutes >= length:
        errors[key] = [_("For a late arrival or early exit, enter the minutes actually attended.")]
    note = (row.note or "").strip()
    if len(note) > 500:
        errors[f"note_{row.enrolment_id}"] = [_("At most %(n)d characters.", n=500)]
    return (row.status, minutes, note[:500])


def save_register(
    actor,
    lesson: Lesson,
    course: Course,
    rows: list[RowInput],
    *,
    register_version: int | None = None,
    source=AttendanceSource.REGISTER,
    now: dt.datetime | None = None,
) -> int:
    """Record the attendance of a lesson; returns how many lines changed.

    Lines the editor did not touch are left alone, so two people can work on the same
    register; a line both changed raises StaleEdit naming the trainees concerned.
    """
    now = now or utcnow()
    ensure_not_closed(course)
    if not can_take_register(actor, lesson, course):
        raise Forbidden()
    reg = get_register(lesson)
    _check_writable(lesson, course, reg, now)
    if register_version is not None and register_version != reg.version_id:
        raise StaleEdit(
            _(
                "The register was signed or reopened while you were editing it. "
                "Your entries are shown below: check them and save again."
            )
        )
    allowed = {r.enrolment.id: r for r in register_rows(lesson)}
    errors: dict[str, list[str]] = {}
    cleaned = []
    for row in rows:
        if row.enrolment_id not in allowed:
            msg = _("Attendance can only be recorded for trainees enrolled by the lesson's date.")
            raise ValidationFailed(msg, {"rows": [msg]})
        cleaned.append((row, _clean_row(row, lesson, errors)))
    if errors:
        raise ValidationFailed(_("Some lines of the register are not valid."), errors)
    conflicts, changed_count = [], 0
    for row, new in cleaned:
        if new is None or (row.original is not None and new == tuple(row.original)):
            continue
        current_row = allowed[row.enrolment_id]
        rec = current_row.record
        current = (rec.status, rec.minutes, rec.note) if rec else None
        if current == new:
            continue
        if (rec.version_id if rec else 0) != row.seen_version:
            conflicts.append(current_row.user.full_name)
            continue
        before = snapshot(rec, RECORD_FIELDS) if rec else None
        if rec is None:
            rec = AttendanceRecord(
                lesson_id=lesson.id, enrolment_id=row.enrolment_id, source=source
            )
            db.session.add(rec)
        rec.status, rec.minutes, rec.note = new
        rec.recorded_by_id = actor.id
        changed_count += 1
        flush_versioned()
        record(
            actor,
            "attendance.update" if before else "attendance.create",
            "attendance_record",
            rec.id,
            before,
            snapshot(rec, RECORD_FIELDS),
        )
    if conflicts:
        raise StaleEdit(
            _(
                "Someone else changed these lines while you were editing: %(names)s. "
                "Their values are shown now; your entries are kept below. Check and save again.",
                names=", ".join(conflicts),
            ),
            {"rows": conflicts},
        )
    return changed_count


def mark_all_present(
    actor,
    lesson: Lesson,
    course: Course,
    *,
    register_version: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Everyone in the register present for the whole lesson (lines already set are kept)."""
    rows = [
        RowInput(r.enrolment.id, AttendanceStatus.PRESENT, lesson.length_minutes, "", 0, None)
        for r in register_rows(lesson)
        if r.record is None
    ]
    return save_register(actor, lesson, course, rows, register_version=register_version, now=now)


def sign_register(
    actor,
    lesson: Lesson,
    course: Course,
    *,
    register_version: int | None = None,
    now: dt.datetime | None = None,
) -> Register:
    """The trainer signs the register, which locks it; every trainee must have a status."""
    now = now or utcnow()
    ensure_not_closed(course)
    if not can_take_register(actor, lesson, course):
        raise Forbidden()
    reg = get_register(lesson)
    _check_writable(lesson, course, reg, now)
    if register_version is not None and register_version != reg.version_id:
        raise StaleEdit()
    missing = [r.user.full_name for r in register_rows(lesson) if r.record is None]
    if missing:
        raise Conflict(
            _(
                "Give a status to every trainee before signing: %(names)s.",
                names=", ".join(missing[:10]) + ("…" if len(missing) > 10 else ""),
            )
        )
    reg.signed_at = now
    reg.signed_by_id = actor.id
    flush_versioned()
    record(
        actor,
        "register.sign",
        "register",
        lesson.id,
        None,
        {"signed_at": reg.signed_at, "signed_by_id": actor.id},
    )
    return reg


def reopen_register(
    actor, lesson: Lesson, course: Course, reason: str, *, now: dt.datetime | None = None
) -> Register:
    """A coordinator reopens a signed register, with a reason."""
    if not can_reopen_register(actor):
        raise Forbidden()
    ensure_not_closed(course)
    reg = get_register(lesson)
    if not reg.is_signed:
        raise Conflict(_("The register is not signed."))
    reason = required_reason(reason)
    before = {"signed_at": reg.signed_at, "signed_by_id": reg.signed_by_id}
    reg.signed_at = None
    reg.signed_by_id = None
    reg.reopened_at = now or utcnow()
    reg.reopen_reason = reason
    flush_versioned()
    record(actor, "register.reopen", "register", lesson.id, before, {"signed_at": None}, reason)
    return reg


# --- self check-in -------------------------------------------------------------------------


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
    w = _window(now)
    return any(hmac.compare_digest(code, _code(lesson.id, x)) for x in (w, w - 1))


def checkin_open(lesson: Lesson, now: dt.datetime) -> bool:
    return not lesson.is_cancelled and lesson.starts_at - OPENS_BEFORE <= now <= lesson.ends_at


def lessons_open_for_checkin(now: dt.datetime) -> list[Lesson]:
    """Lessons whose check-in window contains now (a handful at most)."""
    from courses.models import ROME

    local = now.astimezone(ROME)
    lessons = db.session.scalars(
        select(Lesson).where(Lesson.date == local.date(), Lesson.cancelled_at.is_(None))
    )
    return [s for s in lessons if checkin_open(s, now)]


def check_in(
    user: User, code: str, *, lesson_id: int | None = None, now: dt.datetime | None = None
) -> tuple[Lesson, AttendanceRecord]:
    """A trainee checks in with the code shown by the trainer; refused with a clear reason."""
    now = now or utcnow()
    code = (code or "").strip().replace(" ", "")
    if not code.isdigit() or len(code) != 6:
        msg = _("The code has 6 digits.")
        raise ValidationFailed(msg, {"code": [msg]})
    candidates = lessons_open_for_checkin(now)
    match = next((s for s in candidates if code_matches(s, code, now)), None)
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
    if enrolment is None or not enrolment.counts_on(lesson.date):
        msg = _("You are not enrolled in the course of this lesson, so you cannot check in.")
        raise NotEligible(msg, {"code": [msg]})
    course = db.session.get(Course, lesson.course_id)
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
