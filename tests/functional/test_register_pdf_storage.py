"""A signed register's PDF is made once per register version, stored and served from storage;
an open register's PDF is made on each download (issue 12)."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select

import courses.exports
from courses.models import AttendanceStatus, RegisterPdf
from courses.services.enrolments import today
from courses.services.registers import RowInput, reopen_register, save_register, sign_register
from lms.accounts.models import Role
from lms.db import db


@pytest.fixture
def world(app, make):
    trainer = make.user(Role.TRAINER, full_name="Docente Titolare")
    course = make.course(trainers=[trainer])
    lesson = make.lesson(course, trainer=trainer, date=today() - dt.timedelta(days=3))
    enrolments = [make.enrolment(course) for _ in range(3)]
    rows = [RowInput(e.id, AttendanceStatus.PRESENT, None, "", 0) for e in enrolments]
    save_register(trainer, lesson, course, rows)
    db.session.commit()
    return course, trainer, lesson


@pytest.fixture
def renders(monkeypatch):
    """How many times the register PDF is rendered."""
    calls = []
    real = courses.exports.register_pdf

    def counting(lesson, course):
        calls.append(lesson.id)
        return real(lesson, course)

    monkeypatch.setattr(courses.exports, "register_pdf", counting)
    return calls


def stored_count() -> int:
    return db.session.scalar(select(func.count()).select_from(RegisterPdf))


def download(client, lesson) -> bytes:
    resp = client.get(f"/lezioni/{lesson.id}/registro.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    return resp.data


def test_open_register_is_rendered_each_time_and_not_stored(world, login_as, renders):
    _course, trainer, lesson = world
    client = login_as(trainer)
    download(client, lesson)
    download(client, lesson)
    assert len(renders) == 2 and stored_count() == 0


def test_signed_register_pdf_is_stored_once_per_version(world, make, login_as, renders):
    course, trainer, lesson = world
    sign_register(trainer, lesson, course)
    db.session.commit()
    client = login_as(trainer)
    first = download(client, lesson)
    again = download(client, lesson)
    assert first == again and len(renders) == 1 and stored_count() == 1

    reopen_register(make.coordinator(), lesson, course, "Minuti da correggere")
    db.session.commit()
    reopened = download(client, lesson)  # open again: rendered, not stored
    assert len(renders) == 2 and stored_count() == 1
    sign_register(trainer, lesson, course)
    db.session.commit()
    second = download(client, lesson)
    assert download(client, lesson) == second
    assert len(renders) == 3 and stored_count() == 2
    versions = db.session.scalars(select(RegisterPdf.register_version)).all()
    assert len(set(versions)) == 2
    assert reopened.startswith(b"%PDF")
