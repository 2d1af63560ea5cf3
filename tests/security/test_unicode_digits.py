"""Ids and counts sent as text are ASCII digits that fit an integer column: "²" is a digit to
str.isdigit() but int() refuses it (it gave 500s), "٣" is a digit to both, and a number of
twenty digits overflows PostgreSQL's integers. Each gets a clear answer and changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

from courses.models import AttendanceRecord
from courses.services.enrolments import today
from lms.accounts.models import Role
from lms.db import db
from lms.validation import ascii_number, ascii_numbers
from tests.functional.test_courses_register import form_for

HOSTILE = ["²", "٣", "1²", "１２", "99999999999999999999", "-1", "1e3", " ", ""]


@pytest.mark.parametrize("raw", HOSTILE)
def test_ascii_number_refuses_what_is_not_ascii_digits_of_an_integer(raw):
    assert ascii_number(raw) is None
    assert ascii_number(raw, 0) == 0


def test_ascii_number_reads_ids():
    assert ascii_number("42") == 42 and ascii_number(" 7 ") == 7
    assert ascii_number("999999999") == 999_999_999 and ascii_number("1000000000") is None
    assert ascii_number(None, -1) == -1 and ascii_number(5) is None
    assert ascii_numbers(["3", "²", "٣", "4", ""]) == [3, 4]


@pytest.fixture
def course_world(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    lesson = make.lesson(course, trainer=trainer, date=today() - dt.timedelta(days=3))
    enrolment = make.enrolment(course, make.user(Role.TRAINEE))
    return trainer, course, lesson, enrolment


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999999999999"])
def test_gradebook_filter_ignores_a_non_ascii_organisation(course_world, login_as, raw):
    trainer, course, _lesson, _e = course_world
    resp = login_as(trainer).get(
        f"/percorsi/{course.id}/voti", query_string={"organizzazione": raw}
    )
    assert resp.status_code == 200


@pytest.mark.parametrize("raw", ["²", "٣", "99999999999999999999"])
def test_register_minutes_not_ascii_are_refused_and_nothing_is_saved(course_world, login_as, raw):
    trainer, _course, lesson, enrolment = course_world
    client = login_as(trainer)
    data = form_for(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True))
    data |= {f"status_{enrolment.id}": "late", f"minutes_{enrolment.id}": raw, "action": "save"}
    data[f"v_{enrolment.id}"] = raw  # a hostile record version too
    resp = client.post(f"/lezioni/{lesson.id}/registro", data=data, follow_redirects=True)
    assert resp.status_code in (200, 422)
    assert "minuti" in resp.get_data(as_text=True).lower()
    assert db.session.scalar(select(func.count()).select_from(AttendanceRecord)) == 0
