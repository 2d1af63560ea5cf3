"""Who signs a register (the lesson's trainer, a coordinator on behalf), the confirmation page
that saves and signs in one step, and the list of unsigned registers of past lessons."""

from __future__ import annotations

import datetime as dt
import re
import subprocess

import pytest
from sqlalchemy import select

from courses.models import ROME, AttendanceRecord, Register
from courses.services.enrolments import today
from courses.services.registers import RowInput, save_register, sign_register
from courses.services.unsigned import unsigned_registers
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import Forbidden
from tests.functional.test_courses_register import form_for


@pytest.fixture
def world(app, make):
    trainer = make.user(Role.TRAINER, full_name="Docente Titolare")
    colleague = make.user(Role.TRAINER, full_name="Docente Collega")
    course = make.course(trainers=[trainer, colleague])
    lesson = make.lesson(course, trainer=trainer, date=today() - dt.timedelta(days=8))
    trainees = [make.user(Role.TRAINEE, full_name=f"Corsista {n}") for n in "ABC"]
    enrolments = [make.enrolment(course, u) for u in trainees]
    return course, trainer, colleague, lesson, enrolments


def filled(page: str, enrolments) -> dict:
    """The register form with three lines typed in (not saved)."""
    data = form_for(page)
    a, b, c = (e.id for e in enrolments)
    data |= {f"status_{a}": "present", f"status_{b}": "late", f"minutes_{b}": "200"}
    data |= {f"status_{c}": "excused", f"note_{c}": "Visita medica"}
    return data


def hidden_fields(page: str) -> dict:
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page))
    data.pop("csrf_token", None)
    return data


def pdf_text(client, lesson) -> str:
    resp = client.get(f"/lezioni/{lesson.id}/registro.pdf")
    assert resp.status_code == 200
    out = subprocess.run(["pdftotext", "-", "-"], input=resp.data, capture_output=True, check=True)
    return " ".join(out.stdout.decode().split())


def test_confirmation_summarises_then_saves_and_signs(world, login_as):
    _course, trainer, _colleague, lesson, enrolments = world
    client = login_as(trainer)
    data = filled(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True), enrolments)
    confirm = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "sign"})
    assert confirm.status_code == 200
    page = confirm.get_data(as_text=True)
    summary = re.search(r'<dl class="row mb-3" id="register-summary">(.*?)</dl>', page, re.S)
    cells = re.findall(r"<d[td][^>]*>([^<]*)</d[td]>", summary.group(1))
    pairs = dict(zip(cells[::2], cells[1::2], strict=True))
    assert pairs["Corsisti"] == "3" and pairs["Presente"] == "1" and pairs["In ritardo"] == "1"
    assert pairs["Assenza giustificata"] == "1" and pairs["Assente"] == "0"
    assert pairs["Minuti di presenza in totale"].startswith("440 ")
    assert "Conferma e firma" in page
    assert db.session.scalar(select(AttendanceRecord.id)) is None  # nothing saved yet
    carried = hidden_fields(page)
    assert carried[f"note_{enrolments[2].id}"] == "Visita medica"
    done = client.post(
        f"/lezioni/{lesson.id}/registro/firma", data={**carried, "action": "confirm"}
    )
    assert done.status_code == 303
    recs = {r.enrolment_id: r for r in db.session.scalars(select(AttendanceRecord))}
    assert recs[enrolments[1].id].minutes == 200
    assert recs[enrolments[2].id].note == "Visita medica"
    reg = db.session.get(Register, lesson.id)
    assert reg.signed_by_id == trainer.id and reg.on_behalf_of_id is None
    shown = client.get(f"/lezioni/{lesson.id}").get_data(as_text=True)
    assert "Firmato da Docente Titolare" in shown
    assert "Firmato elettronicamente da Docente Titolare il" in pdf_text(client, lesson)
    assert "per conto di" not in pdf_text(client, lesson)


def test_missing_statuses_and_back_keep_what_was_typed(world, login_as):
    _course, trainer, _colleague, lesson, enrolments = world
    client = login_as(trainer)
    data = filled(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True), enrolments)
    data[f"status_{enrolments[0].id}"] = ""
    page = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "sign"}).get_data(
        as_text=True
    )
    assert "Corsista A" in page and "Conferma e firma" not in page
    back = client.post(
        f"/lezioni/{lesson.id}/registro/firma", data={**hidden_fields(page), "action": "back"}
    )
    assert back.status_code == 200
    assert 'value="Visita medica"' in back.get_data(as_text=True)
    # Confirming anyway (a stale page): refused, typed values kept, nothing saved.
    refused = client.post(
        f"/lezioni/{lesson.id}/registro/firma", data={**hidden_fields(page), "action": "confirm"}
    )
    assert refused.status_code == 409 and 'value="Visita medica"' in refused.get_data(as_text=True)
    assert db.session.scalar(select(AttendanceRecord.id)) is None
    assert db.session.get(Register, lesson.id).signed_at is None


def test_invalid_minutes_come_back_to_the_form(world, login_as):
    _course, trainer, _colleague, lesson, enrolments = world
    client = login_as(trainer)
    data = filled(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True), enrolments)
    data[f"minutes_{enrolments[1].id}"] = "999"
    resp = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "sign"})
    assert resp.status_code == 422 and 'value="999"' in resp.get_data(as_text=True)


def test_version_conflict_at_signing_keeps_the_input(world, login_as, make):
    course, trainer, _colleague, lesson, enrolments = world
    client = login_as(trainer)
    data = filled(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True), enrolments)
    page = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "sign"}).get_data(
        as_text=True
    )
    # Meanwhile a coordinator records trainee B differently.
    coordinator = make.coordinator()
    save_register(coordinator, lesson, course, [RowInput(enrolments[1].id, *_absent())])
    db.session.commit()
    resp = client.post(
        f"/lezioni/{lesson.id}/registro/firma", data={**hidden_fields(page), "action": "confirm"}
    )
    assert resp.status_code == 409
    body = resp.get_data(as_text=True)
    assert 'value="Visita medica"' in body and 'value="200"' in body
    assert db.session.get(Register, lesson.id).signed_at is None


def _absent():
    from courses.models import AttendanceStatus

    return AttendanceStatus.ABSENT, 0, "", 0


def test_another_trainer_of_the_course_cannot_sign(world, login_as, app):
    course, _trainer, colleague, lesson, enrolments = world
    client = login_as(colleague)
    data = filled(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True), enrolments)
    page = client.get(f"/lezioni/{lesson.id}").get_data(as_text=True)
    assert 'value="sign"' not in page and "o un coordinatore per suo conto" in page
    for url, action in (("registro", "sign"), ("registro/firma", "confirm")):
        resp = client.post(f"/lezioni/{lesson.id}/{url}", data={**data, "action": action})
        assert resp.status_code == 403
        assert "Solo il docente di questa lezione" in resp.get_data(as_text=True)
    api = client.put(
        f"/api/v1/lessons/{lesson.id}/attendance",
        json={
            "records": [{"enrolment_id": e.id, "status": "present"} for e in enrolments],
            "sign": True,
        },
    )
    assert api.status_code == 403
    assert "Solo il docente" in api.get_json()["error"]["message"]
    assert db.session.scalar(select(AttendanceRecord.id)) is None
    assert db.session.get(Register, lesson.id).signed_at is None
    # They still record attendance (saving is not signing).
    saved = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "save"})
    assert saved.status_code == 303
    with pytest.raises(Forbidden):
        sign_register(colleague, lesson, course)


def test_coordinator_signs_on_behalf_recorded_everywhere(world, login_as, make):
    _course, trainer, _colleague, lesson, enrolments = world
    coordinator = make.user(Role.COORDINATOR, full_name="Coordinatrice Firmataria")
    client = login_as(coordinator)
    data = filled(client.get(f"/lezioni/{lesson.id}").get_data(as_text=True), enrolments)
    page = client.post(f"/lezioni/{lesson.id}/registro", data={**data, "action": "sign"}).get_data(
        as_text=True
    )
    assert "Stai firmando per conto di Docente Titolare" in page
    done = client.post(
        f"/lezioni/{lesson.id}/registro/firma", data={**hidden_fields(page), "action": "confirm"}
    )
    assert done.status_code == 303
    reg = db.session.get(Register, lesson.id)
    assert (reg.signed_by_id, reg.on_behalf_of_id) == (coordinator.id, trainer.id)
    entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "register.sign")).one()
    assert entry.actor_id == coordinator.id and entry.after["on_behalf_of_id"] == trainer.id
    shown = client.get(f"/lezioni/{lesson.id}").get_data(as_text=True)
    assert "Firmato elettronicamente da Coordinatrice Firmataria il" in shown
    assert "per conto di Docente Titolare" in shown
    text = pdf_text(client, lesson)
    assert re.search(
        r"Firmato elettronicamente da Coordinatrice Firmataria il .+, per conto di Docente Titolare",
        text,
    )
    api = client.get(f"/api/v1/lessons/{lesson.id}/attendance").get_json()
    assert api["register"]["signed_by_id"] == coordinator.id
    assert api["register"]["on_behalf_of_id"] == trainer.id


def test_unsigned_registers_are_scoped_and_aged(app, make, login_as):
    base = today()
    now = dt.datetime.combine(base, dt.time(12), tzinfo=ROME)
    mine, other = make.user(Role.TRAINER), make.user(Role.TRAINER)
    course = make.course(trainers=[mine, other])
    old = make.lesson(course, trainer=mine, date=base - dt.timedelta(days=8))
    this_morning = make.lesson(course, trainer=mine, date=base, start="08:00", end="11:00")
    make.lesson(course, trainer=mine, date=base, start="13:00", end="15:00")  # not ended
    make.lesson(course, trainer=mine, date=base + dt.timedelta(days=3))  # future
    theirs = make.lesson(course, trainer=other, date=base - dt.timedelta(days=2))
    signed = make.lesson(course, trainer=mine, date=base - dt.timedelta(days=4))
    trainee = make.enrolment(course)
    present = [RowInput(trainee.id, *_present(signed))]
    save_register(mine, signed, course, present, now=now)
    sign_register(mine, signed, course, now=now)
    db.session.commit()
    got = unsigned_registers(mine, now=now)
    assert [(i.lesson.id, i.days) for i in got.items] == [(old.id, 8), (this_morning.id, 0)]
    assert got.total == 2
    coordinator = make.coordinator()
    everyone = unsigned_registers(coordinator, now=now)
    assert [i.lesson.id for i in everyone.items] == [old.id, theirs.id, this_morning.id]
    limited = unsigned_registers(coordinator, now=now, limit=1)
    assert len(limited.items) == 1 and limited.total == 3
    client = login_as(mine)
    body = client.get("/api/v1/registers/unsigned").get_json()
    assert theirs.id not in [i["lesson"]["id"] for i in body["items"]]
    assert body["items"][0]["days"] == 8
    dashboard = client.get("/").get_data(as_text=True)
    assert "Registri da firmare" in dashboard and "da 8 giorni" in dashboard


def test_unsigned_list_runs_the_same_queries_at_two_sizes(app, make):
    from tests.querycount import statements

    base = today()
    now = dt.datetime.combine(base, dt.time(12), tzinfo=ROME)
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    make.lesson(course, trainer=trainer, date=base - dt.timedelta(days=20))
    with statements() as small:
        unsigned_registers(trainer, now=now)
    make.lesson(course, trainer=trainer, date=base - dt.timedelta(days=30), weeks=4)
    with statements() as large:
        got = unsigned_registers(trainer, now=now)
    assert got.total == 5 and len(large) == len(small)


def _present(lesson):
    from courses.models import AttendanceStatus

    return AttendanceStatus.PRESENT, lesson.length_minutes, "", 0
