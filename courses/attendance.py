"""The attendance rules, in one place: pages, exports, the API, assessments and certification
all read attendance through these functions.

Rules:
- only lessons held (started, not cancelled) on or after the enrolment date, and not after a
  withdrawal, count for a trainee;
- excused absences are shown apart and never count as attended;
- attended minutes never exceed the lesson's length;
- lessons in the future and people not enrolled have no attendance;
- eligibility compares attended minutes with the course's threshold applied to the minutes of
  every lesson planned for the trainee (held and still to come).
"""

from __future__ import annotations

import datetime as dt
import math
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import contains_eager

from courses.models import (
    AttendanceRecord,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Lesson,
)
from lms.accounts.models import User
from lms.db import db, utcnow

ATTENDED = frozenset({AttendanceStatus.PRESENT, AttendanceStatus.LATE, AttendanceStatus.LEFT_EARLY})


@dataclass(frozen=True)
class Threshold:
    """One requirement (admission to the final assessment, or certification)."""

    pct: int
    required_minutes: int
    attended_minutes: int
    remaining_minutes: int  # minutes of counted lessons not held yet

    @property
    def met(self) -> bool:
        return self.required_minutes > 0 and self.attended_minutes >= self.required_minutes

    @property
    def missing_minutes(self) -> int:
        return max(0, self.required_minutes - self.attended_minutes)

    @property
    def reachable(self) -> bool:
        """False when even full attendance of the remaining lessons is not enough."""
        return self.attended_minutes + self.remaining_minutes >= self.required_minutes


@dataclass(frozen=True)
class Eligibility:
    assessment: Threshold
    certification: Threshold


@dataclass
class AttendanceSummary:
    """Attendance of one enrolment: minutes and lessons, as the rules count them."""

    enrolment_id: int
    planned_minutes: int = 0  # every counted lesson, held or not
    held_minutes: int = 0  # counted lessons already held: the base of the percentage
    attended_minutes: int = 0
    excused_minutes: int = 0
    absent_minutes: int = 0
    unrecorded_minutes: int = 0  # held lessons with no record yet
    held_lessons: int = 0
    attended_lessons: int = 0
    excused_lessons: int = 0
    planned_lessons: int = 0
    # lesson id -> (status or None, counted minutes); only for counted, held lessons.
    cells: dict[int, tuple[AttendanceStatus | None, int]] = field(default_factory=dict)

    @property
    def remaining_minutes(self) -> int:
        return self.planned_minutes - self.held_minutes

    @property
    def percentage(self) -> float | None:
        """Attended share of the hours held so far, or None before the first lesson."""
        if self.held_minutes == 0:
            return None
        return round(100 * self.attended_minutes / self.held_minutes, 1)

    @property
    def planned_percentage(self) -> float:
        """Attended share of all planned hours: what the progress bar shows."""
        if self.planned_minutes == 0:
            return 0.0
        return round(100 * self.attended_minutes / self.planned_minutes, 1)

    def below(self, pct: int) -> bool:
        """True when the attendance so far is under a threshold percentage."""
        return self.percentage is not None and self.percentage < pct


def counted_minutes(record: AttendanceRecord | None, lesson: Lesson) -> int:
    """Minutes a record counts as attended: none for absences, never over the lesson's length."""
    if record is None or record.status not in ATTENDED:
        return 0
    return max(0, min(record.minutes, lesson.length_minutes))


def is_held(lesson: Lesson, now: dt.datetime) -> bool:
    """A lesson is held once it has started and was not cancelled."""
    return not lesson.is_cancelled and lesson.starts_at <= now


LessonFact = tuple[int, dt.date, int, bool]  # id, local date, length in minutes, held


def lesson_facts(lessons: list[Lesson], now: dt.datetime) -> list[LessonFact]:
    """What the rules read of each lesson not cancelled, computed once per page rather than
    once per cell (length and start are computed properties)."""
    return [
        (s.id, s.date, s.length_minutes, s.starts_at <= now) for s in lessons if not s.is_cancelled
    ]


def summarise(
    enrolment: Enrolment,
    lessons: list[Lesson],
    records: dict[int, AttendanceRecord],
    now: dt.datetime,
    *,
    facts: list[LessonFact] | None = None,
) -> AttendanceSummary:
    """Apply the rules to one enrolment, given its course's lessons and its records by lesson
    (facts: lesson_facts(lessons, now), when the caller summarises many enrolments)."""
    s = AttendanceSummary(enrolment_id=enrolment.id)
    if enrolment.status == EnrolmentStatus.WAITING:
        return s
    if facts is None:
        facts = lesson_facts(lessons, now)
    first, last = enrolment.enrolled_on, enrolment.withdrawn_on
    cells = s.cells
    planned = held = attended = excused = absent = unrecorded = 0
    n_planned = n_held = n_attended = n_excused = 0
    for lid, day, length, was_held in facts:
        if day < first or (last is not None and day > last):
            continue
        planned += length
        n_planned += 1
        if not was_held:
            continue
        held += length
        n_held += 1
        rec = records.get(lid)
        if rec is None:
            unrecorded += length
            cells[lid] = (None, 0)
            continue
        status = rec.status
        minutes = 0
        if status in ATTENDED:
            minutes = max(0, min(rec.minutes, length))
        elif status == AttendanceStatus.EXCUSED:
            excused += length
            n_excused += 1
        elif status == AttendanceStatus.ABSENT:
            absent += length
        if minutes > 0:
            n_attended += 1
            attended += minutes
        cells[lid] = (status, minutes)
    s.planned_minutes, s.planned_lessons, s.held_minutes, s.held_lessons = (
        planned,
        n_planned,
        held,
        n_held,
    )
    s.attended_minutes, s.attended_lessons = attended, n_attended
    s.excused_minutes, s.excused_lessons = excused, n_excused
    s.absent_minutes, s.unrecorded_minutes = absent, unrecorded
    return s


def _threshold(pct: int, summary: AttendanceSummary) -> Threshold:
    return Threshold(
        pct=pct,
        required_minutes=math.ceil(summary.planned_minutes * pct / 100),
        attended_minutes=summary.attended_minutes,
        remaining_minutes=summary.remaining_minutes,
    )


def eligibility_from(course: Course, summary: AttendanceSummary) -> Eligibility:
    """Eligibility for the final assessment and for certification, from a summary."""
    return Eligibility(
        assessment=_threshold(course.assessment_threshold_pct, summary),
        certification=_threshold(course.certification_threshold_pct, summary),
    )


def lessons_of(course_ids: list[int]) -> dict[int, list[Lesson]]:
    """The lessons of some courses, by course, in date order (one query)."""
    by_course: dict[int, list[Lesson]] = defaultdict(list)
    if not course_ids:
        return by_course
    rows = db.session.scalars(
        select(Lesson)
        .where(Lesson.course_id.in_(course_ids))
        .order_by(Lesson.date, Lesson.start_time, Lesson.id)
    )
    for lesson in rows:
        by_course[lesson.course_id].append(lesson)
    return by_course


# The rules read only these columns: plain rows are several times faster than ORM objects
# on a large course.
RECORD_COLUMNS = (
    AttendanceRecord.enrolment_id,
    AttendanceRecord.lesson_id,
    AttendanceRecord.status,
    AttendanceRecord.minutes,
)


def _records_of(enrolment_ids: list[int]) -> dict[int, dict[int, AttendanceRecord]]:
    """Records by enrolment, then by lesson; one query whatever the number of enrolments."""
    out: dict[int, dict[int, AttendanceRecord]] = defaultdict(dict)
    if not enrolment_ids:
        return out
    rows = db.session.execute(
        select(*RECORD_COLUMNS).where(AttendanceRecord.enrolment_id.in_(enrolment_ids))
    )
    for rec in rows:
        out[rec.enrolment_id][rec.lesson_id] = rec
    return out


def records_of(enrolment_ids: list[int]) -> dict[int, dict[int, AttendanceRecord]]:
    """Attendance records by enrolment, then by lesson (one query)."""
    return _records_of(enrolment_ids)


def attendance_summary(enrolment: Enrolment, now: dt.datetime | None = None) -> AttendanceSummary:
    """The attendance of one enrolment (a few queries)."""
    now = now or utcnow()
    lessons = lessons_of([enrolment.course_id])[enrolment.course_id]
    records = _records_of([enrolment.id])[enrolment.id]
    return summarise(enrolment, lessons, records, now)


def eligibility(enrolment: Enrolment, now: dt.datetime | None = None) -> Eligibility:
    """Whether an enrolment reaches the attendance needed for the assessment and certification."""
    course = db.session.get(Course, enrolment.course_id)
    return eligibility_from(course, attendance_summary(enrolment, now))


@dataclass
class ReportRow:
    enrolment: Enrolment
    user: User
    summary: AttendanceSummary
    eligibility: Eligibility
    records: dict[int, AttendanceRecord]

    @property
    def below_threshold(self) -> bool:
        return self.summary.below(self.eligibility.assessment.pct)


@dataclass
class LessonTotal:
    present: int = 0
    excused: int = 0
    absent: int = 0
    unrecorded: int = 0
    minutes: int = 0


@dataclass
class CourseReport:
    course: Course
    lessons: list[Lesson]
    rows: list[ReportRow]
    now: dt.datetime
    totals: dict[int, LessonTotal] = field(default_factory=dict)

    @cached_property
    def held_lessons(self) -> list[Lesson]:
        return [s for s in self.lessons if is_held(s, self.now)]

    @property
    def below_count(self) -> int:
        return sum(1 for r in self.rows if r.below_threshold)


def report_enrolments(
    course: Course, *, organisation_id: int | None = None, include_withdrawn: bool = True
) -> list[Enrolment]:
    """The enrolments a course report lists (not the waiting list), users loaded, by name;
    organisation_id limits them to that organisation's employees (company referents)."""
    q = (
        select(Enrolment)
        .join(Enrolment.user)
        # grids show no roles: not loaded for every trainee
        .options(contains_eager(Enrolment.user).lazyload(User.role_rows))
        .where(Enrolment.course_id == course.id, Enrolment.status != EnrolmentStatus.WAITING)
        .order_by(User.full_name, User.id)
    )
    if organisation_id is not None:
        q = q.where(User.organisation_id == organisation_id)
    if not include_withdrawn:
        q = q.where(Enrolment.status == EnrolmentStatus.ACTIVE)
    return list(db.session.scalars(q).unique())


def course_report(
    course: Course,
    *,
    organisation_id: int | None = None,
    include_withdrawn: bool = True,
    now: dt.datetime | None = None,
) -> CourseReport:
    """Every enrolled trainee by every lesson of a course, in a fixed number of queries.

    organisation_id limits the rows to that organisation's employees (company referents).
    """
    now = now or utcnow()
    lessons = lessons_of([course.id])[course.id]
    enrolments = report_enrolments(
        course, organisation_id=organisation_id, include_withdrawn=include_withdrawn
    )
    rec_q = (
        select(*RECORD_COLUMNS)
        .join(Lesson, Lesson.id == AttendanceRecord.lesson_id)
        .where(Lesson.course_id == course.id)
    )
    if organisation_id is not None:
        rec_q = rec_q.where(AttendanceRecord.enrolment_id.in_([e.id for e in enrolments] or [-1]))
    records: dict[int, dict[int, AttendanceRecord]] = defaultdict(dict)
    for rec in db.session.execute(rec_q):
        records[rec.enrolment_id][rec.lesson_id] = rec
    facts = lesson_facts(lessons, now)
    rows = []
    totals = {s.id: LessonTotal() for s in lessons}
    attended_status = ATTENDED
    excused_status = AttendanceStatus.EXCUSED
    for e in enrolments:
        mine = records[e.id]
        summary = summarise(e, lessons, mine, now, facts=facts)
        rows.append(ReportRow(e, e.user, summary, eligibility_from(course, summary), mine))
        for sid, (status, minutes) in summary.cells.items():
            t = totals[sid]
            t.minutes += minutes
            if status is None:
                t.unrecorded += 1
            elif status in attended_status:
                t.present += 1
            elif status == excused_status:
                t.excused += 1
            else:
                t.absent += 1
    return CourseReport(course=course, lessons=lessons, rows=rows, now=now, totals=totals)


def format_minutes(minutes: int) -> str:
    """Minutes as hours and minutes, e.g. 90 -> '1:30'."""
    sign = "-" if minutes < 0 else ""
    minutes = abs(minutes)
    return f"{sign}{minutes // 60}:{minutes % 60:02d}"
