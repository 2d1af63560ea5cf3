"""The attendance register of a lesson: read, record, sign, reopen (check-in: checkin.py)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

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
from courses.permissions import (
    can_reopen_register,
    can_sign_register,
    can_take_register,
    can_view_register,
)
from courses.services.common import ensure_not_closed
from lms.accounts.models import User
from lms.audit.services import record, snapshot
from lms.db import db, flush_versioned, utcnow
from lms.errors import Conflict, Forbidden, StaleEdit, ValidationFailed
from lms.permissions import require, require_actor
from lms.validation import FieldErrors, optional_text, required_reason

RECORD_FIELDS = ["status", "minutes", "note"]
# Attendance (and check-in) opens a little before the lesson starts.
OPENS_BEFORE = dt.timedelta(minutes=15)


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
        # the register shows no roles: not loaded for every trainee
        .options(contains_eager(Enrolment.user).lazyload(User.role_rows))
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


def lesson_register(actor: User, lesson: Lesson) -> tuple[Register, list[RegisterRow]]:
    """A lesson's register and its lines, for whoever may read it (others: not found)."""
    require_actor(actor)
    require(can_view_register(actor, lesson), private=True)
    return get_register(lesson), register_rows(lesson)


def _check_takes(actor: User, lesson: Lesson, course: Course) -> None:
    require_actor(actor)
    require(lesson.course_id == course.id and can_view_register(actor, lesson), private=True)
    ensure_not_closed(course)
    require(can_take_register(actor, lesson))


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
    note = FieldErrors(errors).check(optional_text, row.note, f"note_{row.enrolment_id}", 500)
    return (row.status, minutes, note or "")


def save_register(
    actor: User,
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
    _check_takes(actor, lesson, course)
    now = now or utcnow()
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
    actor: User,
    lesson: Lesson,
    course: Course,
    *,
    register_version: int | None = None,
    now: dt.datetime | None = None,
) -> int:
    """Everyone in the register present for the whole lesson (lines already set are kept)."""
    _check_takes(actor, lesson, course)
    rows = [
        RowInput(r.enrolment.id, AttendanceStatus.PRESENT, lesson.length_minutes, "", 0, None)
        for r in register_rows(lesson)
        if r.record is None
    ]
    return save_register(actor, lesson, course, rows, register_version=register_version, now=now)


def check_can_sign(actor: User, lesson: Lesson) -> None:
    """403 with a clear message for the course's other trainers: only the lesson's trainer
    signs, or a coordinator on their behalf."""
    if not can_sign_register(actor, lesson):
        raise Forbidden(
            _(
                "Only the trainer of this lesson can sign its register "
                "(a coordinator can sign on their behalf)."
            )
        )


def sign_register(
    actor: User,
    lesson: Lesson,
    course: Course,
    *,
    rows: list[RowInput] | None = None,
    register_version: int | None = None,
    now: dt.datetime | None = None,
) -> Register:
    """The lesson's trainer signs the register, which locks it; every trainee must have a status.

    `rows`, when given, are saved first in the same transaction (the page's unsaved changes).
    A coordinator signing someone else's lesson is recorded as signing on the trainer's behalf.
    """
    _check_takes(actor, lesson, course)
    check_can_sign(actor, lesson)
    now = now or utcnow()
    reg = get_register(lesson)
    _check_writable(lesson, course, reg, now)
    if register_version is not None and register_version != reg.version_id:
        raise StaleEdit(
            _(
                "The register was signed or reopened while you were editing it. "
                "Your entries are shown below: check them and save again."
            )
        )
    if rows:
        save_register(actor, lesson, course, rows, register_version=register_version, now=now)
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
    reg.on_behalf_of_id = lesson.trainer_id if lesson.trainer_id != actor.id else None
    flush_versioned()
    record(
        actor,
        "register.sign",
        "register",
        lesson.id,
        None,
        {
            "signed_at": reg.signed_at,
            "signed_by_id": actor.id,
            "on_behalf_of_id": reg.on_behalf_of_id,
        },
    )
    return reg


def reopen_register(
    actor: User, lesson: Lesson, course: Course, reason: str, *, now: dt.datetime | None = None
) -> Register:
    """A coordinator reopens a signed register, with a reason."""
    require_actor(actor)
    require(lesson.course_id == course.id and can_view_register(actor, lesson), private=True)
    ensure_not_closed(course)
    require(can_reopen_register(actor, lesson))
    reg = get_register(lesson)
    if not reg.is_signed:
        raise Conflict(_("The register is not signed."))
    reason = required_reason(reason)
    before = {
        "signed_at": reg.signed_at,
        "signed_by_id": reg.signed_by_id,
        "on_behalf_of_id": reg.on_behalf_of_id,
    }
    reg.signed_at = None
    reg.signed_by_id = None
    reg.on_behalf_of_id = None
    reg.reopened_at = now or utcnow()
    reg.reopen_reason = reason
    flush_versioned()
    record(actor, "register.reopen", "register", lesson.id, before, {"signed_at": None}, reason)
    return reg


@dataclass
class RegisterSummary:
    """What a register will say once signed: counts per status and minutes in total."""

    counts: dict[AttendanceStatus, int]
    minutes: int
    missing: list[str]
    trainees: int


def preview_signature(
    actor: User,
    lesson: Lesson,
    course: Course,
    rows: list[RowInput],
    *,
    now: dt.datetime | None = None,
) -> RegisterSummary:
    """The summary shown before signing, of the stored lines with the page's changes over
    them; checks what signing will check (nothing is saved). Bad lines: ValidationFailed."""
    _check_takes(actor, lesson, course)
    check_can_sign(actor, lesson)
    reg = get_register(lesson)
    _check_writable(lesson, course, reg, now or utcnow())
    submitted = {r.enrolment_id: r for r in rows}
    errors: dict[str, list[str]] = {}
    counts = dict.fromkeys(AttendanceStatus, 0)
    minutes, missing, lines = 0, [], register_rows(lesson)
    for line in lines:
        row = submitted.get(line.enrolment.id)
        new = _clean_row(row, lesson, errors) if row else None
        if new is None and line.record is not None:
            new = (line.record.status, line.record.minutes, line.record.note)
        if new is None:
            missing.append(line.user.full_name)
            continue
        counts[new[0]] += 1
        minutes += new[1]
    if errors:
        raise ValidationFailed(_("Some lines of the register are not valid."), errors)
    return RegisterSummary(counts, minutes, missing, len(lines))
