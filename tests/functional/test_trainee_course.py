"""The trainee's course page: lessons with place or link, attendance once signed, progress in
words, assessments block, materials; the referent's read-only copy; drafts stay private; a
fixed number of SQL queries whatever the number of lessons."""

from __future__ import annotations

import datetime as dt

from courses.models import AttendanceStatus, CourseStatus, LessonMode
from courses.services.courses import set_status
from courses.services.enrolments import today
from courses.services.materials import MaterialUpload, add_material
from courses.services.registers import RowInput, save_register, sign_register
from lms.accounts.models import Role
from lms.db import db
from lms.organisations.models import Organisation
from tests.conftest import login
from tests.querycount import statements

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def course_with(make, n_lessons: int, *, trainee=None, signed=True, online_future=True):
    trainer = make.user(Role.TRAINER)
    org = make.organisation()
    trainee = trainee or make.user(Role.TRAINEE, organisation=org)
    course = make.course(trainers=[trainer])
    lessons = [
        make.lesson(
            course,
            trainer=trainer,
            date=today() - dt.timedelta(days=3 + 7 * i),
            place=f"Aula {i + 1}, via Dante 1, Milano",
        )
        for i in range(n_lessons)
    ]
    e = make.enrolment(course, trainee)
    for lesson in lessons:
        save_register(trainer, lesson, course, [RowInput(e.id, AttendanceStatus.PRESENT, None)])
        if signed:
            sign_register(trainer, lesson, course)
    if online_future:
        make.lesson(
            course,
            trainer=trainer,
            date=today() + dt.timedelta(days=5),
            mode=LessonMode.ONLINE,
            place="",
            link="https://meet.example.org/lezione-online",
        )
    db.session.commit()
    return course, trainer, trainee, e, lessons


def test_an_enrolled_trainee_sees_lessons_attendance_and_hours_to_go(app, client, make):
    course, trainer, trainee, _e, lessons = course_with(make, 2)
    add_material(
        trainer,
        course,
        title="Dispensa Legge 68",
        module_id=lessons[0].module_id,
        upload=MaterialUpload("dispensa.pdf", PDF),
    )
    add_material(
        trainer, course, title="Sito INAIL", lesson_id=lessons[0].id, url="https://www.inail.it/"
    )
    db.session.commit()
    login(client, trainee)
    resp = client.get(f"/percorsi/{course.id}")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Aula 1, via Dante 1, Milano" in page
    assert "Presente" in page and "4 h" in page
    # the future online lesson's link is not shown yet, only when it will appear
    assert "https://meet.example.org/lezione-online" not in page
    assert "30 minuti prima" in page
    # 8 h attended of 12 planned: 70% of 12 h = 8 h 24 min, 24 min to go
    assert "Ti mancano 24 min per l&#39;ammissione all&#39;esame finale" in page
    assert "<progress" in page
    assert "Dispensa Legge 68" in page and "https://www.inail.it/" in page
    assert "/calendario" in page


def test_attendance_shows_only_once_the_register_is_signed(app, client, make):
    course, *_rest, trainee, _e, _lessons = course_with(make, 1, signed=False)
    login(client, trainee)
    page = client.get(f"/percorsi/{course.id}").get_data(as_text=True)
    assert "il registro non è ancora firmato" in page
    assert "Presente" not in page


def test_the_online_link_appears_shortly_before_the_start(app, make):
    from courses.services.trainee_course import trainee_course

    _course, _t, trainee, e, _lessons = course_with(make, 0)
    page = trainee_course(trainee, e)
    line = page.lines[-1]
    assert not line.link_visible
    at = line.lesson.starts_at - dt.timedelta(minutes=29)
    assert trainee_course(trainee, e, now=at).lines[-1].link_visible
    early = line.lesson.starts_at - dt.timedelta(minutes=31)
    assert not trainee_course(trainee, e, now=early).lines[-1].link_visible


def test_a_referent_reads_an_employees_page_and_others_get_404(app, client, make):
    course, _t, trainee, e, _lessons = course_with(make, 1)
    referent = make.user(
        Role.REFERENT, organisation=db.session.get(Organisation, trainee.organisation_id)
    )
    other_referent = make.user(Role.REFERENT, organisation=make.organisation())
    classmate = make.user(Role.TRAINEE)
    make.enrolment(course, classmate)
    login(client, referent)
    resp = client.get(f"/iscrizioni/{e.id}/percorso")
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert trainee.full_name in page and "sola lettura" in page
    assert "Aula 1" in page
    # the report links each employee to their page
    assert f"/iscrizioni/{e.id}/percorso" in client.get(f"/percorsi/{course.id}/presenze").get_data(
        as_text=True
    )
    client.post("/esci")
    login(client, other_referent)
    assert client.get(f"/iscrizioni/{e.id}/percorso").status_code == 404
    client.post("/esci")
    login(client, classmate)
    assert client.get(f"/iscrizioni/{e.id}/percorso").status_code == 404


def test_a_draft_course_is_hidden_from_its_trainees_and_referents(app, client, make):
    course, _t, trainee, e, lessons = course_with(make, 1)
    referent = make.user(
        Role.REFERENT, organisation=db.session.get(Organisation, trainee.organisation_id)
    )
    set_status(make.coordinator(), course, CourseStatus.OPEN)
    set_status(make.coordinator(), course, CourseStatus.DRAFT)
    db.session.commit()
    login(client, trainee)
    assert client.get(f"/percorsi/{course.id}").status_code == 404
    assert client.get(f"/iscrizioni/{e.id}/percorso").status_code == 404
    assert course.title not in client.get("/i-miei-percorsi").get_data(as_text=True)
    assert client.get(f"/api/v1/courses/{course.id}").status_code == 404
    assert client.get(f"/api/v1/courses/{course.id}/lessons").status_code == 404
    assert client.get(f"/api/v1/courses/{course.id}/materials").status_code == 404
    assert client.get(f"/lezioni/{lessons[0].id}/calendario.ics").status_code == 404
    ids = [c["id"] for c in client.get("/api/v1/courses").get_json()["items"]]
    assert course.id not in ids
    client.post("/esci")
    login(client, referent)
    assert client.get(f"/percorsi/{course.id}").status_code == 404
    assert client.get(f"/percorsi/{course.id}/presenze").status_code == 404
    assert course.title not in client.get("/percorsi").get_data(as_text=True)
    assert client.get(f"/api/v1/enrolments/{e.id}/attendance").status_code == 404
    # inside the scope: staff and the course's trainers still see the draft
    client.post("/esci")
    login(client, _t)
    assert client.get(f"/percorsi/{course.id}").status_code == 200


def _page_queries(app, user, course_id) -> int:
    c = app.test_client()
    login(c, user)
    c.get(f"/percorsi/{course_id}")
    with statements() as qc:
        assert c.get(f"/percorsi/{course_id}").status_code == 200
    return len(qc)


def test_the_trainee_page_runs_a_fixed_number_of_queries(app, make):
    small, t1, trainee1, _e1, l1 = course_with(make, 2)
    large, t2, trainee2, _e2, l2 = course_with(make, 9)
    for course, trainer, lessons in ((small, t1, l1), (large, t2, l2)):
        for lesson in lessons:
            add_material(
                trainer, course, title="Link", lesson_id=lesson.id, url="https://a.example/"
            )
        add_material(
            trainer,
            course,
            title="PDF",
            module_id=lessons[0].module_id,
            upload=MaterialUpload("a.pdf", PDF),
        )
    db.session.commit()
    counts = [_page_queries(app, trainee1, small.id), _page_queries(app, trainee2, large.id)]
    assert counts[0] == counts[1], counts


def test_the_api_gives_the_lessons_as_the_trainee_follows_them(app, client, make):
    _course, _t, trainee, e, _lessons = course_with(make, 2)
    stranger = make.user(Role.TRAINEE)
    login(client, trainee)
    items = client.get(f"/api/v1/enrolments/{e.id}/lessons").get_json()["items"]
    assert len(items) == 3
    past, future = items[0], items[-1]
    assert past["register_signed"] and past["status"] == "present" and past["minutes"] == 240
    assert past["place"].startswith("Aula") and past["timezone"] == "Europe/Rome"
    assert future["mode"] == "online" and future["link"] is None and future["link_from"]
    client.post("/esci")
    login(client, stranger)
    assert client.get(f"/api/v1/enrolments/{e.id}/lessons").status_code == 404
