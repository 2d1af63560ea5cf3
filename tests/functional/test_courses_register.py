"""Register, signing, reopening, concurrent edits and self check-in through the pages."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from sqlalchemy import select

from courses.models import ROME, AttendanceRecord, AttendanceStatus, Register
from courses.services.checkin import current_code
from courses.services.enrolments import today
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db, utcnow


@pytest.fixture
def lesson_setup(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    past = make.lesson(course, trainer=trainer, date=today() - dt.timedelta(days=7))
    trainees = [make.user(Role.TRAINEE, full_name=f"Corsista {n}") for n in "ABC"]
    enrolments = [make.enrolment(course, u) for u in trainees]
    return course, trainer, past, trainees, enrolments


def form_for(page: str) -> dict:
    """The register form's current values, as a browser would send them back."""
    data = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page):
        data.setdefault(name, value)
    for m in re.finditer(
        r'<select class="form-select register-status" id="[^"]+" name="([^"]+)">(.*?)</select>',
        page,
        re.S,
    ):
        sel = re.search(r'<option value="([^"]*)" selected', m.group(2))
        data[m.group(1)] = sel.group(1) if sel else ""
    for name, value in re.findall(r'name="((?:minutes|note)_\d+)" value="([^"]*)"', page):
        data[name] = value
    data.pop("csrf_token", None)
    return data


def test_trainer_records_and_signs_the_register(lesson_setup, login_as):
    _course, trainer, lesson, _trainees, enrolments = lesson_setup
    client = login_as(trainer)
    page = client.get(f"/lezioni/{lesson.id}").get_data(as_text=True)
    assert "Corsista A" in page and "Tutti presenti" in page
    data = form_for(page)
    data[f"status_{enrolments[0].id}"] = "present"
    data[f"status_{enrolments[1].id}"] = "late"
    data[f"minutes_{enrolments[1].id}"] = "200"
    data[f"status_{enrolments[2].id}"] = "excused"
    data[f"note_{enrolments[2].id}"] = "Visita medica"
    resp = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "save"})
    assert resp.status_code == 303
    recs = {r.enrolment_id: r for r in db.session.scalars(select(AttendanceRecord))}
    assert recs[enrolments[1].id].minutes == 200
    assert recs[enrolments[2].id].status == AttendanceStatus.EXCUSED
    assert recs[enrolments[2].id].minutes == 0
    resp = client.post(
        f"/lezioni/{lesson.id}/registro/firma", data={"register_version": data["register_version"]}
    )
    assert resp.status_code == 303
    assert db.session.get(Register, lesson.id).signed_at is not None
    # Signed: locked for further changes.
    again = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "save"})
    assert again.status_code == 303
    assert "firmato" in client.get(f"/lezioni/{lesson.id}").get_data(as_text=True)
    actions = set(db.session.scalars(select(AuditEntry.action)))
    assert {"attendance.create", "register.sign"} <= actions


def test_everyone_present_then_sign(lesson_setup, login_as):
    _course, trainer, lesson, _t, _enrolments = lesson_setup
    client = login_as(trainer)
    data = form_for(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True))
    resp = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "all_present"})
    assert resp.status_code == 303
    minutes = {r.minutes for r in db.session.scalars(select(AttendanceRecord))}
    assert minutes == {240}


def test_signing_needs_every_status(lesson_setup, login_as):
    _course, trainer, lesson, _t, _e = lesson_setup
    client = login_as(trainer)
    client.post(f"/lezioni/{lesson.id}/registro/firma", data={})
    assert db.session.get(Register, lesson.id).signed_at is None


def test_coordinator_reopens_with_reason(lesson_setup, login_as, make):
    course, trainer, lesson, _t, _e = lesson_setup
    from courses.services.registers import mark_all_present, sign_register

    mark_all_present(trainer, lesson, course)
    sign_register(trainer, lesson, course)
    db.session.commit()
    coordinator = make.user(Role.COORDINATOR)
    client = login_as(coordinator)
    resp = client.post(
        f"/lezioni/{lesson.id}/registro/riapri", data={"reason": "Errore di battitura"}
    )
    assert resp.status_code == 303
    assert db.session.get(Register, lesson.id).signed_at is None
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "register.reopen"))
    assert entry.reason == "Errore di battitura"


def test_trainer_cannot_reopen(lesson_setup, login_as):
    _course, trainer, lesson, _t, _e = lesson_setup
    resp = login_as(trainer).post(f"/lezioni/{lesson.id}/registro/riapri", data={"reason": "x" * 5})
    assert resp.status_code == 403


def test_two_editors_keep_each_others_changes(lesson_setup, app, make):
    _course, trainer, lesson, _t, enrolments = lesson_setup
    from tests.conftest import login

    other = make.user(Role.COORDINATOR)
    first, second = app.test_client(), app.test_client()
    login(first, trainer)
    login(second, other)
    form1 = form_for(first.get(f"/lezioni/{lesson.id}").get_data(as_text=True))
    form2 = form_for(second.get(f"/lezioni/{lesson.id}").get_data(as_text=True))
    a, b = enrolments[0].id, enrolments[1].id
    # Different lines: both saves go through.
    assert (
        first.post(
            f"/lezioni/{lesson.id}/registro",
            data={**form1, f"status_{a}": "present", "action": "save"},
        ).status_code
        == 303
    )
    assert (
        second.post(
            f"/lezioni/{lesson.id}/registro",
            data={**form2, f"status_{b}": "absent", "action": "save"},
        ).status_code
        == 303
    )
    recs = {r.enrolment_id: r.status for r in db.session.scalars(select(AttendanceRecord))}
    assert recs == {a: AttendanceStatus.PRESENT, b: AttendanceStatus.ABSENT}
    # Same line from stale forms: the second save is refused with a clear message, input kept.
    form1 = form_for(first.get(f"/lezioni/{lesson.id}").get_data(as_text=True))
    form2 = form_for(second.get(f"/lezioni/{lesson.id}").get_data(as_text=True))
    assert (
        first.post(
            f"/lezioni/{lesson.id}/registro",
            data={**form1, f"status_{a}": "excused", "action": "save"},
        ).status_code
        == 303
    )
    resp = second.post(
        f"/lezioni/{lesson.id}/registro",
        data={
            **form2,
            f"status_{a}": "late",
            f"minutes_{a}": "100",
            f"note_{a}": "arrivato tardi",
            "action": "save",
        },
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 409
    assert "Corsista A" in page and "arrivato tardi" in page
    assert (
        db.session.scalar(select(AttendanceRecord.status).where(AttendanceRecord.enrolment_id == a))
        == AttendanceStatus.EXCUSED
    )
    # Sending the kept input again now applies it over the value just seen.
    retry = form_for(page)
    assert (
        second.post(f"/lezioni/{lesson.id}/registro", data={**retry, "action": "save"}).status_code
        == 303
    )
    assert (
        db.session.scalar(
            select(AttendanceRecord.minutes).where(AttendanceRecord.enrolment_id == a)
        )
        == 100
    )


def _running_lesson(make, course, trainer):
    now = dt.datetime.now(ROME)
    start = max(now - dt.timedelta(minutes=30), now.replace(hour=0, minute=0))
    end = min(now + dt.timedelta(hours=1), now.replace(hour=23, minute=59))
    return make.lesson(
        course,
        trainer=trainer,
        date=now.date(),
        start=start.strftime("%H:%M"),
        end=end.strftime("%H:%M"),
    )


def test_trainee_checks_in_with_the_code(lesson_setup, login_as, app, make):
    course, trainer, _past, trainees, _enrolments = lesson_setup
    lesson = _running_lesson(make, course, trainer)
    code, _s = current_code(lesson)
    client = login_as(trainees[0])
    resp = client.post("/check-in", data={"code": code})
    assert resp.status_code == 303
    rec = db.session.scalar(select(AttendanceRecord).where(AttendanceRecord.lesson_id == lesson.id))
    assert rec.status in (AttendanceStatus.PRESENT, AttendanceStatus.LATE)
    assert rec.checked_in_at is not None
    again = client.post("/check-in", data={"code": code})
    assert again.status_code == 409
    assert "già registrata" in again.get_data(as_text=True)


def test_check_in_refusals(lesson_setup, app, login_as, make):
    course, trainer, past, trainees, _e = lesson_setup
    lesson = _running_lesson(make, course, trainer)
    code, _s = current_code(lesson)
    # Not enrolled in the course.
    outsider = make.user(Role.TRAINEE)
    resp = login_as(outsider).post("/check-in", data={"code": code})
    assert resp.status_code == 403
    assert "non sei iscritto" in resp.get_data(as_text=True).lower()
    # A code that is not the current one, or one for another lesson / outside its window.
    from tests.conftest import login

    client = app.test_client()
    login(client, trainees[1])
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    assert client.post("/check-in", data={"code": wrong}).status_code == 422
    resp = client.post("/check-in", data={"code": code, "lezione": past.id})
    assert resp.status_code == 422
    assert "altra lezione" in resp.get_data(as_text=True)
    old_code, _s = current_code(past, now=past.starts_at + dt.timedelta(minutes=5))
    resp = client.post("/check-in", data={"code": old_code, "lezione": past.id})
    assert resp.status_code in (403, 422)
    assert (
        db.session.scalar(select(AttendanceRecord.id).where(AttendanceRecord.lesson_id == past.id))
        is None
    )


def test_checkin_screen_shows_code_and_qr(lesson_setup, app, login_as, make):
    course, trainer, _p, _trainees, _e = lesson_setup
    lesson = _running_lesson(make, course, trainer)
    client = login_as(trainer)
    page = client.get(f"/lezioni/{lesson.id}/check-in").get_data(as_text=True)
    code, _s = current_code(lesson)
    assert code in page or current_code(lesson, utcnow())[0] in page
    svg = client.get(f"/lezioni/{lesson.id}/check-in/qr.svg")
    assert svg.status_code == 200 and svg.mimetype == "image/svg+xml" and b"<svg" in svg.data
    # Another trainer, not of this course, does not see the screen.
    from tests.conftest import login

    other, other_client = make.user(Role.TRAINER), app.test_client()
    login(other_client, other)
    assert other_client.get(f"/lezioni/{lesson.id}/check-in").status_code == 404
