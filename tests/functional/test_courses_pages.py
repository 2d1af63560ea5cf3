"""Course pages: scoping by role, trainee progress, catalogue rules, enrolment, exports,
and a fixed number of SQL queries whatever the size of the course."""

from __future__ import annotations

import csv
import datetime as dt
import html
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from courses.models import AttendanceStatus, CourseStatus, Enrolment, EnrolmentStatus, Module
from courses.services.courses import set_status
from courses.services.enrolments import today
from courses.services.registers import RowInput, save_register
from lms.accounts.models import Role
from lms.db import db
from tests.conftest import login
from tests.querycount import statements


def build(make, trainer, n_trainees: int, n_lessons: int, organisation=None, hour=9, **kw):
    """A course with attendance recorded for every past lesson (4-hour lessons from `hour`)."""
    course = make.course(trainers=[trainer], **kw)
    lessons = [
        make.lesson(
            course,
            trainer=trainer,
            date=today() - dt.timedelta(days=2 + 7 * i),
            start=f"{hour:02d}:00",
            end=f"{hour + 4:02d}:00",
        )
        for i in range(n_lessons)
    ]
    org = organisation or make.organisation()
    enrolments = [
        make.enrolment(course, make.user(Role.TRAINEE, organisation=org)) for _ in range(n_trainees)
    ]
    statuses = [AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.EXCUSED]
    for lesson in lessons:
        rows = [
            RowInput(e.id, statuses[(i + lesson.id) % 3], None, "", 0)
            for i, e in enumerate(enrolments)
        ]
        save_register(trainer, lesson, course, rows)
    db.session.commit()
    return course, lessons, enrolments


def test_report_and_trainee_page_run_a_fixed_number_of_queries(app, make):
    trainer = make.user(Role.TRAINER)
    small, _l1, small_e = build(make, trainer, 2, 2)
    large, _l2, large_e = build(make, trainer, 12, 6, hour=14)
    client = app.test_client()
    login(client, trainer)
    counts = []
    for course in (small, large):
        client.get(f"/percorsi/{course.id}/presenze")  # warm caches
        with statements() as qc:
            assert client.get(f"/percorsi/{course.id}/presenze").status_code == 200
        counts.append(len(qc))
    assert counts[0] == counts[1], counts
    # The trainee page: one course with few lessons, against two courses with many.
    light = db.session.get(Enrolment, small_e[0].id)
    from courses.services.enrolments import enrol

    heavy_user = db.session.get(Enrolment, large_e[0].id).user_id
    from lms.accounts.models import User

    enrol(make.coordinator(), small, db.session.get(User, heavy_user), enrolled_on=small.start_date)
    db.session.commit()
    page_counts = []
    for user_id in (light.user_id, heavy_user):
        c = app.test_client()
        login(c, db.session.get(User, user_id))
        c.get("/i-miei-percorsi")
        with statements() as qc:
            assert c.get("/i-miei-percorsi").status_code == 200
        page_counts.append(len(qc))
    assert page_counts[0] == page_counts[1], page_counts


def test_referent_sees_only_own_company(app, make):
    trainer = make.user(Role.TRAINER)
    mine, other = make.organisation(name="Azienda Mia"), make.organisation(name="Azienda Altra")
    course = make.course(trainers=[trainer])
    ours = make.enrolment(
        course, make.user(Role.TRAINEE, organisation=mine, full_name="Anna Nostra")
    )
    make.enrolment(course, make.user(Role.TRAINEE, organisation=other, full_name="Bruno Altrui"))
    referent = make.user(Role.REFERENT, organisation=mine)
    client = app.test_client()
    login(client, referent)
    page = client.get(f"/percorsi/{course.id}/presenze").get_data(as_text=True)
    assert "Anna Nostra" in page and "Bruno Altrui" not in page
    csv_text = client.get(f"/percorsi/{course.id}/presenze.csv").data.decode("utf-8-sig")
    assert "Anna Nostra" in csv_text and "Bruno Altrui" not in csv_text
    api = client.get(f"/api/v1/courses/{course.id}/attendance").get_json()
    assert [t["full_name"] for t in api["trainees"]] == ["Anna Nostra"]
    enrolments = client.get(f"/api/v1/courses/{course.id}/enrolments").get_json()
    assert [e["id"] for e in enrolments["items"]] == [ours.id]
    # A referent of a company with nobody in the course does not learn it exists.
    outsider = make.user(Role.REFERENT, organisation=make.organisation())
    c2 = app.test_client()
    login(c2, outsider)
    assert c2.get(f"/percorsi/{course.id}/presenze").status_code == 404
    assert c2.get(f"/api/v1/courses/{course.id}/attendance").status_code == 404


def test_trainee_page_shows_hours_and_threshold(app, make):
    trainer = make.user(Role.TRAINER)
    course, _lessons, enrolments = build(make, trainer, 3, 3, assessment_threshold_pct=70)
    trainee = db.session.get(Enrolment, enrolments[1].id)
    from lms.accounts.models import User

    client = app.test_client()
    login(client, db.session.get(User, trainee.user_id))
    page = client.get("/i-miei-percorsi").get_data(as_text=True)
    assert "Ore frequentate" in page and "<progress" in page
    assert "Prova finale (70% delle ore)" in page
    assert "mancano ancora" in page or "non più raggiungibile" in page or "soglia raggiunta" in page
    # Another trainee's data never appears, and the report is not for trainees.
    assert client.get(f"/percorsi/{course.id}/presenze").status_code == 403


def test_trainer_of_another_course_gets_404(app, make):
    trainer, stranger = make.user(Role.TRAINER), make.user(Role.TRAINER)
    course, lessons, _e = build(make, trainer, 1, 1)
    client = app.test_client()
    login(client, stranger)
    assert client.get(f"/percorsi/{course.id}").status_code == 404
    assert client.get(f"/lezioni/{lessons[0].id}").status_code == 404
    assert client.get(f"/percorsi/{course.id}/presenze").status_code == 404


def test_closed_course_is_read_only(app, make, login_as):
    trainer = make.user(Role.TRAINER)
    coordinator = make.user(Role.COORDINATOR)
    course, lessons, enrolments = build(make, trainer, 1, 1)
    set_status(coordinator, course, CourseStatus.CLOSED)
    db.session.commit()
    client = login_as(coordinator)
    resp = client.post(
        f"/percorsi/{course.id}/iscrizioni",
        data={"kind": "one", "one-user_id": make.user(Role.TRAINEE).id},
    )
    assert resp.status_code == 404
    page = client.get(f"/lezioni/{lessons[0].id}").get_data(as_text=True)
    assert "Salva il registro" not in page
    with pytest.raises(Exception, match=r"chiuso|closed"):
        save_register(
            coordinator,
            lessons[0],
            course,
            [RowInput(enrolments[0].id, AttendanceStatus.ABSENT, 0, "", 1)],
        )


def test_module_in_use_cannot_be_deleted(make, login_as):
    coordinator = make.user(Role.COORDINATOR)
    used, free = make.module().id, make.module().id
    make.course(modules=[db.session.get(Module, used)])
    client = login_as(coordinator)
    client.post(f"/moduli/{used}/elimina")
    client.post(f"/moduli/{free}/elimina")
    assert db.session.get(Module, used) is not None
    assert db.session.get(Module, free) is None
    client.post(f"/moduli/{used}/ritira", data={"retired": "1"})
    assert db.session.get(Module, used).retired_at is not None


def test_create_module_and_course_through_forms(make, login_as):
    coordinator, trainer = make.user(Role.COORDINATOR), make.user(Role.TRAINER)
    client = login_as(coordinator)
    resp = client.post(
        "/moduli/nuovo",
        data={
            "code": "norm-09",
            "title": "Privacy",
            "topic_area": "regulatory",
            "planned_hours": "2.5",
        },
    )
    assert resp.status_code == 303
    from courses.models import Course, Module

    module = db.session.scalar(select(Module).where(Module.code == "NORM-09"))
    assert module.planned_minutes == 150
    bad = client.post(
        "/percorsi/nuovo",
        data={
            "title": "Percorso X",
            "start_date": "2025-05-01",
            "end_date": "2025-04-01",
            "assessment_threshold_pct": "70",
            "certification_threshold_pct": "75",
        },
    )
    assert bad.status_code == 422 and "Percorso X" in bad.get_data(as_text=True)
    ok = client.post(
        "/percorsi/nuovo",
        data={
            "title": "Percorso X",
            "edition": "I",
            "start_date": "2025-01-01",
            "end_date": "2025-12-31",
            "assessment_threshold_pct": "60",
            "certification_threshold_pct": "80",
            "trainer_ids": [str(trainer.id)],
        },
    )
    assert ok.status_code == 303
    course = db.session.scalar(select(Course).where(Course.title == "Percorso X"))
    assert course.trainer_ids == {trainer.id} and course.assessment_threshold_pct == 60


def test_double_booked_trainer_is_refused(make, login_as):
    coordinator, trainer = make.user(Role.COORDINATOR), make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    other = make.course(trainers=[trainer])
    day = today() + dt.timedelta(days=3)
    make.lesson(other, trainer=trainer, date=day, start="10:00", end="12:00")
    client = login_as(coordinator)
    from courses.services.courses import load_module_links

    resp = client.post(
        f"/percorsi/{course.id}/lezioni/nuova",
        data={
            "module_id": load_module_links(course)[0].module_id,
            "date": day.isoformat(),
            "start_time": "11:00",
            "end_time": "13:00",
            "mode": "online",
            "link": "https://meet.example.org/x",
            "trainer_id": trainer.id,
            "weeks": "1",
        },
    )
    assert resp.status_code == 422
    assert "tiene già un&#39;altra lezione" in resp.get_data(as_text=True)


def test_csv_enrolment_dry_run_then_confirm(app, make, login_as):
    coordinator = make.user(Role.COORDINATOR)
    course = make.course()
    a = make.user(Role.TRAINEE, email="anna@example.org")
    make.user(Role.TRAINER, email="docente@example.org")
    client = login_as(coordinator)
    bad = "email;data_iscrizione\nanna@example.org;01/02/2025\nnessuno@example.org;\ndocente@example.org;\n"
    resp = client.post(
        f"/percorsi/{course.id}/iscrizioni",
        data={"kind": "csv", "csv-file": (io.BytesIO(bad.encode()), "iscritti.csv")},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 422
    assert "Nessun account ha questa email" in page and "non è un corsista attivo" in page
    assert db.session.scalar(select(Enrolment.id)) is None  # a dry run changes nothing
    good = "email;data_iscrizione\nanna@example.org;01/02/2025\n"
    resp = client.post(
        f"/percorsi/{course.id}/iscrizioni",
        data={"kind": "csv", "csv-file": (io.BytesIO(good.encode()), "iscritti.csv")},
        content_type="multipart/form-data",
    )
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "Conferma e iscrivi 1 corsisti" in page
    checked = html.unescape(re.search(r'name="csv_text" value="([^"]*)"', page).group(1))
    assert (
        client.post(
            f"/percorsi/{course.id}/iscrizioni", data={"kind": "csv_confirm", "csv_text": checked}
        ).status_code
        == 303
    )
    e = db.session.scalar(select(Enrolment).where(Enrolment.user_id == a.id))
    assert e.enrolled_on == dt.date(2025, 2, 1) and e.status == EnrolmentStatus.ACTIVE


def test_withdraw_keeps_history_and_promotes_waiting(make, login_as):
    coordinator = make.user(Role.COORDINATOR)
    course = make.course(capacity=1)
    first, second = make.enrolment(course), make.enrolment(course)
    assert second.status == EnrolmentStatus.WAITING
    client = login_as(coordinator)
    client.post(f"/iscrizioni/{first.id}/ritiro", data={"reason": "Trasferito in altra sede"})
    db.session.expire_all()
    assert db.session.get(Enrolment, first.id).status == EnrolmentStatus.WITHDRAWN
    assert db.session.get(Enrolment, first.id).withdraw_reason == "Trasferito in altra sede"
    assert db.session.get(Enrolment, second.id).status == EnrolmentStatus.ACTIVE


def test_exports_have_durations_and_totals(app, make, login_as):
    trainer = make.user(Role.TRAINER)
    course, _lessons, _enrolments = build(make, trainer, 3, 2)
    client = login_as(trainer)
    raw = client.get(f"/percorsi/{course.id}/presenze.csv").data
    assert raw.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))
    header = rows[0]
    assert "Frequentate (h:mm)" in header and "Frequentati (minuti)" in header
    assert rows[-1][0] == "Totale" and len(rows) == 1 + 3 + 1
    xlsx = client.get(f"/percorsi/{course.id}/presenze.xlsx")
    wb = load_workbook(io.BytesIO(xlsx.data))
    ws = wb.worksheets[0]
    assert ws.cell(3, 1).value == "Corsista"
    assert [c.value for c in ws[3]] == header


def test_register_pdf_lists_every_trainee(app, make, login_as):
    trainer = make.user(Role.TRAINER)
    _course, lessons, _enrolments = build(make, trainer, 4, 1)
    client = login_as(trainer)
    resp = client.get(f"/lezioni/{lessons[0].id}/registro.pdf")
    assert resp.status_code == 200 and resp.data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=resp.data, capture_output=True, check=True
    ).stdout.decode()
    assert "REGISTRO PRESENZE" in text and "Firma del corsista" in text
    from courses.services.registers import register_rows

    for row in register_rows(lessons[0]):
        line = next(x for x in text.splitlines() if row.user.full_name in x)
        assert str(row.record.minutes) in line
