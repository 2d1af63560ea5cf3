"""Attendance progress in words: over the hours planned (what the thresholds count) and over
the hours held so far, with what is missing; the clock is passed in (now=)."""

from __future__ import annotations

import datetime as dt

import pytest

from courses.attendance import eligibility_from, summarise
from courses.models import (
    AttendanceRecord,
    AttendanceStatus,
    Course,
    Enrolment,
    EnrolmentStatus,
    Lesson,
)
from courses.progress import duration_words, percent, progress_of

DAY = dt.date(2026, 3, 2)


def lessons(n: int) -> list[Lesson]:
    """n four-hour lessons, a week apart from DAY (transient objects: the rules are pure)."""
    return [
        Lesson(
            id=i + 1,
            course_id=1,
            date=DAY + dt.timedelta(days=7 * i),
            start_time=dt.time(9),
            end_time=dt.time(13),
        )
        for i in range(n)
    ]


def progress(attended_minutes: list[int], n_lessons: int, now: dt.datetime, *, own=True, pct=70):
    course = Course(id=1, assessment_threshold_pct=pct, certification_threshold_pct=75)
    enrolment = Enrolment(id=1, course_id=1, status=EnrolmentStatus.ACTIVE, enrolled_on=DAY)
    records = {
        i + 1: AttendanceRecord(lesson_id=i + 1, status=AttendanceStatus.PRESENT, minutes=m)
        for i, m in enumerate(attended_minutes)
    }
    s = summarise(enrolment, lessons(n_lessons), records, now)
    return progress_of(s, eligibility_from(course, s), own=own)


@pytest.mark.parametrize(
    ("minutes", "words"),
    [(200, "3 h 20 min"), (45, "45 min"), (120, "2 h"), (0, "0 min"), (-5, "0 min")],
)
def test_duration_words(minutes, words):
    assert duration_words(minutes) == words


def test_percent_in_the_italian_way(app):
    assert percent(92.3) == "92,3%"
    assert percent(None) == "—"


def test_full_attendance_of_the_lessons_held_is_not_yet_admission(app):
    # Two of four lessons held, both attended: 100% of the hours held, 50% of those planned.
    now = dt.datetime.combine(DAY + dt.timedelta(days=8), dt.time(12), tzinfo=dt.UTC)
    p = progress([240, 240], 4, now)
    assert (
        p.overview
    ) == "Hai frequentato 8 h sulle 16 h previste (50%) e sulle 8 h svolte finora (100%)."
    assert "contano le ore previste" in p.basis and "il 70% (11 h 12 min)" in p.basis
    assert p.admission == "Ti mancano 3 h 12 min per l'ammissione all'esame finale."
    assert not p.admitted and p.bar_value == 50.0


def test_the_same_figures_for_a_referent_are_not_addressed_to_them(app):
    now = dt.datetime.combine(DAY + dt.timedelta(days=8), dt.time(12), tzinfo=dt.UTC)
    p = progress([240, 240], 4, now, own=False)
    assert p.overview.startswith("Ha frequentato 8 h")
    assert p.admission == "Mancano ancora 3 h 12 min per l'ammissione all'esame finale."


def test_reached_and_no_longer_reachable(app):
    after = dt.datetime.combine(DAY + dt.timedelta(days=30), dt.time(12), tzinfo=dt.UTC)
    reached = progress([240, 240, 240, 200], 4, after)
    assert reached.admitted
    assert reached.admission == "Hai raggiunto la soglia per l'ammissione all'esame finale."
    # 9 h 20 min of 16 h: 75% certification (12 h) is missed, and nothing is left to attend
    lost = progress([240, 240, 80, 0], 4, after)
    assert not lost.admitted
    assert lost.certification.startswith("La soglia per la certificazione non è più raggiungibile")
    assert "2 h 40 min" in lost.certification


def test_before_the_first_lesson_nothing_is_held(app):
    before = dt.datetime.combine(DAY - dt.timedelta(days=1), dt.time(12), tzinfo=dt.UTC)
    p = progress([], 3, before)
    assert "sulle 0 min svolte finora (—)" in p.overview
    assert p.admission == "Ti mancano 8 h 24 min per l'ammissione all'esame finale."


def test_the_gradebook_states_both_percentages_and_which_counts(app, client, make):
    from courses.services.enrolments import today
    from courses.services.registers import RowInput, save_register
    from lms.accounts.models import Role
    from lms.db import db
    from tests.conftest import login

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    past = make.lesson(course, trainer=trainer, date=today() - dt.timedelta(days=2))
    make.lesson(course, trainer=trainer, date=today() + dt.timedelta(days=5))
    e = make.enrolment(course)
    save_register(trainer, past, course, [RowInput(e.id, AttendanceStatus.PRESENT, None)])
    db.session.commit()
    login(client, trainer)
    page = client.get(f"/percorsi/{course.id}/voti").get_data(as_text=True)
    assert "50% delle ore previste (per l'ammissione serve il 70%)" in page
    assert "100% delle ore svolte finora" in page
