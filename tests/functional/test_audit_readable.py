"""The audit page reads as sentences in the user's language, names and links the objects the
viewer may open, formats the changed fields as the pages do, and costs a fixed number of
queries whatever the number of entries."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest
from flask import current_app
from flask_babel import force_locale
from sqlalchemy import select

from assessments.models import AssessmentKind
from assessments.services import grading, taking
from assessments.services.grading import MarkInput
from courses.models import CourseStatus
from courses.services import registers
from courses.services.courses import set_status
from courses.services.lessons import update_lesson
from lms.accounts import services as accounts
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.audit.queries import actors_by_id
from lms.audit.readable import readable_entries
from lms.audit.services import record
from lms.audit.views import page_rows
from lms.db import db, utcnow
from tests.querycount import statements

PAGE = "/admin/registro-modifiche/"


def _plain(page: str) -> str:
    return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]+>", " ", page)))


def _rows(viewer, action: str, locale: str, object_id=None) -> list[dict]:
    q = select(AuditEntry).where(AuditEntry.action == action).order_by(AuditEntry.id)
    if object_id is not None:
        q = q.where(AuditEntry.object_id == str(object_id))
    entries = db.session.scalars(q).all()
    with current_app.test_request_context(), force_locale(locale):
        return page_rows(viewer, entries, actors_by_id(entries))


@pytest.fixture
def lesson_story(app, make):
    """A past lesson whose register was signed by its trainer and reopened by a coordinator."""
    trainer = make.user(Role.TRAINER, full_name="Tina Formatrice")
    course = make.course(trainers=[trainer], title="Disability Manager")
    day = course.start_date + dt.timedelta(days=10)
    lesson = make.lesson(course, trainer=trainer, date=day)
    coordinator = make.user(Role.COORDINATOR, full_name="Lorenzo Pozzi")
    now = utcnow()
    registers.sign_register(trainer, lesson, course, now=now)
    db.session.commit()
    registers.reopen_register(coordinator, lesson, course, "Firma sul foglio sbagliato", now=now)
    db.session.commit()
    return {"trainer": trainer, "course": course, "lesson": lesson, "coordinator": coordinator}


def test_a_reopened_register_reads_as_a_sentence_in_italian_and_english(
    login_as, make, lesson_story
):
    s = lesson_story
    admin = make.user(Role.ADMIN, full_name="Alba Amministratrice")
    day = s["lesson"].date.strftime("%d/%m/%Y")
    client = login_as(admin)
    page = client.get(PAGE).get_data(as_text=True)
    assert (
        f"Lorenzo Pozzi ha riaperto il registro della lezione del {day}: "
        "motivo Firma sul foglio sbagliato" in _plain(page)
    )
    assert f"Tina Formatrice ha firmato il registro della lezione del {day}" in _plain(page)
    assert "Firmato da: Tina Formatrice" in _plain(page)  # a person's id shown by name
    assert f'href="/lezioni/{s["lesson"].id}"' in page  # the admin may open the lesson
    assert "<details" in page and "signed_at" in page  # the raw JSON, on demand
    admin.locale = "en"
    db.session.commit()
    page = client.get(PAGE).get_data(as_text=True)
    day_en = f"{s['lesson'].date.day} {s['lesson'].date:%b %Y}"  # lms/i18n.py: "12 Oct 2026"
    assert (
        f"Lorenzo Pozzi reopened the register of the lesson of {day_en}: "
        "reason Firma sul foglio sbagliato" in _plain(page)
    )


def test_the_object_is_linked_only_for_who_may_open_it(make, lesson_story):
    s = lesson_story
    other_trainer = make.user(Role.TRAINER)
    (mine,) = _rows(s["trainer"], "register.reopen", "it")
    (theirs,) = _rows(other_trainer, "register.reopen", "it")
    assert mine["url"] == f"/lezioni/{s['lesson'].id}"
    assert theirs["url"] is None
    assert theirs["sentence"] == mine["sentence"]  # named, not linked


def test_changed_fields_are_formatted_as_on_the_pages(app, make, lesson_story):
    s = lesson_story
    coordinator = s["coordinator"]
    lesson = s["lesson"]
    old_day = lesson.date
    new_day = old_day + dt.timedelta(days=1)
    update_lesson(
        coordinator,
        lesson,
        s["course"],
        reason="Aula occupata",
        date=new_day,
        start_time=dt.time(14, 0),
        end_time=dt.time(18, 30),
        mode=lesson.mode,
        place=lesson.place,
        link=lesson.link,
        trainer_id=lesson.trainer_id,
        module_id=lesson.module_id,
    )
    set_status(coordinator, s["course"], CourseStatus.CLOSED)
    db.session.commit()
    with app.test_request_context():
        (update,) = _rows(coordinator, "lesson.update", "it")
        (status,) = _rows(coordinator, "course.status", "it")
    lines = {c["key"]: (c["old"], c["new"]) for c in update["changes"]}
    assert lines["Data"] == (old_day.strftime("%d/%m/%Y"), new_day.strftime("%d/%m/%Y"))
    assert lines["Ora di inizio"] == ("09:00", "14:00")
    assert lines["Ora di fine"] == ("13:00", "18:30")
    assert "Luogo" not in lines  # unchanged fields are left out
    assert [(c["key"], c["old"], c["new"]) for c in status["changes"]] == [
        ("Stato", "In corso", "Chiuso")
    ]
    assert status["sentence"] == (
        "Lorenzo Pozzi ha cambiato lo stato del percorso Disability Manager"
    )


def test_a_sentence_per_package_in_both_languages(app, make):
    admin = make.user(Role.ADMIN, full_name="Alba Amministratrice")
    bruno = accounts.create_user(
        admin, email="bruno@example.org", full_name="Bruno Bianchi", roles={Role.TRAINEE}
    )
    trainer = make.user(Role.TRAINER, full_name="Tina Formatrice")
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE, full_name="Carla Corsista")
    make.enrolment(course, trainee)
    work = make.assessment(
        course,
        AssessmentKind.ASSIGNMENT,
        max_points="10",
        pass_mark="6",
        actor=trainer,
        title="Progetto finale",
    )
    taking.submit_work(trainee, work, text="Il mio progetto")
    db.session.commit()
    grade = grading.grade_for_marking(trainer, work, trainee.id)
    grading.save_mark(trainer, work, grade, MarkInput(score="7", feedback="Bene"))
    grading.release(trainer, work)
    db.session.commit()
    dossier = make.dossier(candidate=make.user(Role.TRAINEE, full_name="Dario Candidato"))
    with app.test_request_context():
        ids = {"user.create": bruno.id, "grade.release": grade.id, "dossier.open": dossier.id}
        it = {a: _rows(admin, a, "it", i)[0] for a, i in ids.items()}
        en = {a: _rows(admin, a, "en", i)[0] for a, i in ids.items()}
    assert (
        it["user.create"]["sentence"] == "Alba Amministratrice ha creato l'account di Bruno Bianchi"
    )
    assert (
        en["user.create"]["sentence"] == "Alba Amministratrice created the account of Bruno Bianchi"
    )
    assert it["grade.release"]["sentence"] == (
        "Tina Formatrice ha rilasciato a Carla Corsista il voto di Progetto finale"
    )
    assert en["grade.release"]["sentence"] == (
        "Tina Formatrice released to Carla Corsista the grade of Progetto finale"
    )
    assert it["grade.release"]["url"] == f"/valutazioni/{work.id}/corsisti/{trainee.id}"
    assert it["dossier.open"]["sentence"].endswith("ha aperto il dossier di Dario Candidato")
    assert en["dossier.open"]["sentence"].endswith("opened the dossier of Dario Candidato")
    assert it["dossier.open"]["url"] == f"/dossier/{dossier.id}"
    released = {c["key"]: c["new"] for c in it["grade.release"]["changes"]}
    assert released["Stato"] == "Rilasciato"


def test_an_unknown_action_reads_generically(app, make):
    admin = make.user(Role.ADMIN, full_name="Alba Amministratrice")
    record(admin, "widget.spin", "widget", 7, None, {"turns": 3})
    db.session.commit()
    with app.test_request_context():
        (row,) = _rows(admin, "widget.spin", "it")
    assert "widget.spin" in row["sentence"] and "Alba Amministratrice" in row["sentence"]
    assert row["url"] is None and row["changes"] == [{"key": "turns", "old": None, "new": "3"}]


def _history(make, n: int):
    """n rounds of entries of every kind the page describes: accounts, lessons, registers,
    enrolments, grades' actions unknown ids, dossiers."""
    admin = make.admin()
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    for i in range(n):
        user = make.user(Role.TRAINEE)
        enrolment = make.enrolment(course, user)
        lesson = make.lesson(
            course, trainer=trainer, date=course.start_date + dt.timedelta(days=i + 1)
        )
        record(admin, "register.reopen", "register", lesson.id, None, {"signed_at": None}, "x")
        record(
            admin, "enrolment.withdraw", "enrolment", enrolment.id, None, {"status": "withdrawn"}
        )
        record(admin, "grade.release", "grade", 10_000 + i, None, {"status": "released"})
        record(admin, "widget.spin", "widget", i)
    make.dossier()
    db.session.commit()
    return admin


def _count_describing(admin) -> tuple[int, int]:
    entries = db.session.scalars(select(AuditEntry)).all()
    actors = actors_by_id(entries)
    db.session.expunge_all()  # nothing read before counts for the describers
    entries = db.session.scalars(select(AuditEntry)).all()
    with current_app.test_request_context(), statements() as seen:
        rows = readable_entries(admin, entries, actors)
    return len(rows), len(seen)


def test_describing_costs_the_same_queries_for_few_or_many_entries(app, make):
    admin = _history(make, 1)
    few, small = _count_describing(db.session.merge(admin))
    admin = _history(make, 5)
    many, large = _count_describing(db.session.merge(admin))
    assert few < many
    assert small == large, (small, large)


def test_the_audit_page_costs_the_same_queries_at_two_sizes(login_as, make):
    """A full page of the newest entries, of the same kinds, after one round or after six."""
    admin = _history(make, 1)
    client = login_as(admin)
    tail(admin)
    client.get(PAGE)
    with statements() as small:
        client.get(PAGE)
    _history(make, 5)
    tail(admin)
    with statements() as large:
        client.get(PAGE)
    assert len(large) == len(small), (len(small), len(large))


def tail(admin):
    """Fifty newest entries, of every kind, on the latest objects."""
    from courses.models import Enrolment, Lesson

    lesson = db.session.scalar(select(Lesson.id).order_by(Lesson.id.desc()))
    enrolment = db.session.scalar(select(Enrolment.id).order_by(Enrolment.id.desc()))
    for i in range(10):
        record(admin, "register.reopen", "register", lesson, None, {"signed_at": None}, "x")
        record(admin, "enrolment.withdraw", "enrolment", enrolment, None, {"status": "withdrawn"})
        record(admin, "user.update", "user", admin.id, {"active": False}, {"active": True})
        record(admin, "attendance.update", "attendance_record", 99_000 + i)
        record(admin, "widget.spin", "widget", i)
    db.session.commit()


def test_issued_revoked_and_reissued_documents_read_as_sentences(app, make):
    """Every document action has its sentence, with the code linked to the public page."""
    from certificates.models import DocumentKind, DossierState
    from certificates.services import issuing, revocation

    coordinator = make.user(Role.COORDINATOR, full_name="Lorenzo Pozzi")
    holder = make.user(Role.TRAINEE, full_name="Dario Candidato")
    dossier = make.dossier(candidate=holder, state=DossierState.DECIDED)
    doc = issuing.issue_dossier(
        coordinator, dossier, certificate_kind=DocumentKind.CERTIFICATE, now=utcnow()
    )[0]
    db.session.commit()
    new = revocation.reissue(coordinator, doc, note="Data di nascita corretta")
    db.session.commit()
    revocation.revoke(coordinator, new, reason="Rilasciato per errore")
    db.session.commit()
    with app.test_request_context():
        reissued = _rows(coordinator, "document.reissued", "it", doc.id)[0]
        revoked = _rows(coordinator, "document.revoked", "en", new.id)[0]
    assert reissued["sentence"] == (
        "Lorenzo Pozzi ha riemesso dopo una correzione un documento di Dario Candidato: "
        f"Certificato {doc.code}: motivo Data di nascita corretta"
    )
    assert reissued["url"] == f"/verify/{doc.code}"
    assert {c["key"]: c["new"] for c in reissued["changes"]}["Sostituito da"] == new.code
    assert revoked["sentence"] == (
        f"Lorenzo Pozzi revoked a document of Dario Candidato: Certificate {new.code}"
        ": reason Rilasciato per errore"
    )
    assert {c["key"]: c["new"] for c in revoked["changes"]}["State"] == "Revoked"
