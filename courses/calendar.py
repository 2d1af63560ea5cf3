"""iCalendar (RFC 5545) documents of lessons, built with the icalendar library.

Pure: takes lessons (with their module and course loaded) and returns bytes. Each event has a
UID stable per lesson, DTSTART/DTEND in Europe/Rome with its VTIMEZONE, LOCATION = the place
or the online link, SEQUENCE raised by every move, STATUS:CANCELLED for a cancelled lesson.
"""

from __future__ import annotations

import datetime as dt

from icalendar import Calendar, Event, Timezone

from courses.models import Course, Lesson
from lms.timezone import LOCAL_TZ, LOCAL_TZ_NAME

PRODID = "-//Rencontrer LMS//Lessons//IT"
UID_DOMAIN = "lessons.rencontrer-lms"


def lesson_uid(lesson: Lesson) -> str:
    """The event's UID: the same for a lesson whatever changes (calendars update it)."""
    return f"lesson-{lesson.id}@{UID_DOMAIN}"


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)


def lesson_event(lesson: Lesson, course: Course, *, now: dt.datetime, labels: dict) -> Event:
    """One VEVENT for a lesson; labels holds the translated words of its description."""
    ev = Event()
    ev.add("uid", lesson_uid(lesson))
    ev.add("dtstamp", _utc(now))
    ev.add("dtstart", dt.datetime.combine(lesson.date, lesson.start_time, tzinfo=LOCAL_TZ))
    ev.add("dtend", dt.datetime.combine(lesson.date, lesson.end_time, tzinfo=LOCAL_TZ))
    ev.add("summary", f"{course.display_title}: {lesson.module.title}")
    location = lesson.place or lesson.link
    if location:
        ev.add("location", location)
    lines = [f"{labels['module']}: {lesson.module.code} · {lesson.module.title}"]
    if lesson.link:
        lines.append(f"{labels['link']}: {lesson.link}")
        ev.add("url", lesson.link)
    if lesson.is_cancelled and lesson.cancel_reason:
        lines.append(f"{labels['cancelled']}: {lesson.cancel_reason}")
    ev.add("description", "\n".join(lines))
    ev.add("status", "CANCELLED" if lesson.is_cancelled else "CONFIRMED")
    ev.add("sequence", lesson.sequence or 0)
    modified = _utc(lesson.updated_at) or _utc(now)
    ev.add("last-modified", modified)
    ev.add("created", _utc(lesson.created_at) or modified)
    return ev


def calendar_of(
    lessons: list[tuple[Lesson, Course]], *, name: str, now: dt.datetime, labels: dict
) -> bytes:
    """A VCALENDAR of the lessons, with the VTIMEZONE of Europe/Rome."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", LOCAL_TZ_NAME)
    for lesson, course in lessons:
        cal.add_component(lesson_event(lesson, course, now=now, labels=labels))
    if lessons:
        cal.add_missing_timezones()
    else:
        cal.add_component(Timezone.from_tzid(LOCAL_TZ_NAME))
    return cal.to_ical()
