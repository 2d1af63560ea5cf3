"""Course materials: who adds, edits, moves and removes them (pages and API), who sees and
downloads them (404 outside scope), only http(s) links, bad input a clear 422, audit entries."""

from __future__ import annotations

import io

from sqlalchemy import select

from courses.models import Material
from courses.services.enrolments import today
from courses.services.materials import MaterialUpload, add_material
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db
from tests.conftest import login

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def world(make):
    trainer, other_trainer = make.user(Role.TRAINER), make.user(Role.TRAINER)
    trainee, stranger = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    course = make.course(trainers=[trainer])
    lesson = make.lesson(course, trainer=trainer, date=today())
    make.enrolment(course, trainee)
    other = make.course(trainers=[other_trainer])
    make.enrolment(other, stranger)
    pdf = add_material(
        trainer,
        course,
        title="Dispensa",
        module_id=lesson.module_id,
        upload=MaterialUpload("dispensa.pdf", PDF),
    )
    link = add_material(trainer, course, title="INAIL", lesson_id=lesson.id, url="https://inail.it")
    db.session.commit()
    return trainer, other_trainer, trainee, stranger, course, lesson, pdf, link


def test_trainees_download_their_course_files_and_others_get_404(app, client, make):
    trainer, other_trainer, trainee, stranger, course, _l, pdf, link = world(make)
    for who, code in ((trainee, 200), (trainer, 200), (stranger, 404), (other_trainer, 404)):
        c = app.test_client()
        login(c, who)
        resp = c.get(f"/materiali/{pdf.id}/file")
        assert resp.status_code == code, who.email
        api = c.get(f"/api/v1/materials/{pdf.id}/file")
        assert api.status_code == code
        if code == 200:
            assert resp.data == PDF and "attachment" in resp.headers["Content-Disposition"]
            items = c.get(f"/api/v1/courses/{course.id}/materials").get_json()["items"]
            assert [i["title"] for i in items] == ["Dispensa", "INAIL"]
        else:
            assert c.get(f"/api/v1/courses/{course.id}/materials").status_code == 404
    # a link has no file
    login(client, trainee)
    assert client.get(f"/materiali/{link.id}/file").status_code == 404


def test_the_course_trainer_adds_moves_and_removes_materials(app, client, make):
    trainer, _o, _trainee, _s, course, lesson, pdf, link = world(make)
    login(client, trainer)
    assert client.get(f"/percorsi/{course.id}/materiali").status_code == 200
    resp = client.post(
        f"/percorsi/{course.id}/materiali",
        data={
            "target": f"lesson:{lesson.id}",
            "title": "Slide",
            "note": "Per ripassare",
            "url": "",
            "file": (io.BytesIO(PDF), "slide.pdf"),
        },
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303
    new = db.session.scalar(select(Material).where(Material.title == "Slide"))
    assert new.file_id is not None and new.lesson_id == lesson.id
    # move the new one up among the lesson's materials: it goes before the link
    assert client.post(f"/materiali/{new.id}/sposta", data={"direction": "up"}).status_code == 303
    db.session.expire_all()
    assert db.session.get(Material, new.id).position < db.session.get(Material, link.id).position
    resp = client.post(
        f"/materiali/{link.id}/modifica",
        data={"title": "INAIL (sito)", "note": "", "url": "https://www.inail.it/"},
    )
    assert resp.status_code == 303
    pdf_id = pdf.id
    assert client.post(f"/materiali/{pdf_id}/elimina").status_code == 303
    db.session.expire_all()
    assert db.session.get(Material, pdf_id) is None
    actions = set(
        db.session.scalars(select(AuditEntry.action).where(AuditEntry.object_type == "material"))
    )
    assert {"material.create", "material.move", "material.update", "material.delete"} <= actions


def test_bad_input_is_a_clear_message_and_changes_nothing(app, client, make):
    trainer, _o, _t, _s, course, lesson, _pdf, _link = world(make)
    login(client, trainer)
    before = db.session.scalar(select(db.func.count(Material.id)))
    for url in (
        "javascript:alert(1)",
        "ftp://example.org/x",
        "file:///etc/passwd",
        "www.example.org",
    ):
        resp = client.post(
            f"/percorsi/{course.id}/materiali",
            data={"target": f"module:{lesson.module_id}", "title": "X", "url": url},
        )
        assert resp.status_code == 422, url
        assert "http://" in resp.get_data(as_text=True)
        assert (
            client.post(
                f"/api/v1/courses/{course.id}/materials",
                data={"title": "X", "module_id": str(lesson.module_id), "url": url},
            ).status_code
            == 422
        )
    # neither a file nor a link; a lesson of another course
    resp = client.post(
        f"/percorsi/{course.id}/materiali", data={"target": f"lesson:{lesson.id}", "title": "X"}
    )
    assert resp.status_code == 422
    resp = client.post(
        f"/api/v1/courses/{course.id}/materials",
        data={"title": "X", "lesson_id": "999999", "url": "https://a.example/"},
    )
    assert resp.status_code == 422 and "lesson_id" in resp.get_json()["error"]["fields"]
    resp = client.post(
        f"/percorsi/{course.id}/materiali", data={"target": "module:x", "title": "X"}
    )
    assert resp.status_code == 422
    db.session.expire_all()
    assert db.session.scalar(select(db.func.count(Material.id))) == before


def test_trainees_and_other_trainers_cannot_change_materials(app, make):
    _t, other_trainer, trainee, _s, course, lesson, pdf, _link = world(make)
    for who, code in ((trainee, (403, 404)), (other_trainer, (404,))):
        c = app.test_client()
        login(c, who)
        assert c.get(f"/percorsi/{course.id}/materiali").status_code in (403, 404)
        assert c.post(f"/materiali/{pdf.id}/elimina").status_code in code
        assert c.delete(f"/api/v1/materials/{pdf.id}").status_code in code
        assert c.patch(f"/api/v1/materials/{pdf.id}", json={"title": "Mio"}).status_code in code
        assert (
            c.post(
                f"/api/v1/courses/{course.id}/materials",
                data={"title": "X", "lesson_id": str(lesson.id), "url": "https://a.example/"},
            ).status_code
            in code
        )
    db.session.expire_all()
    assert db.session.get(Material, pdf.id).title == "Dispensa"


def test_the_api_adds_a_link_patches_moves_and_deletes(app, client, make):
    trainer, _o, _t, _s, course, lesson, _pdf, link = world(make)
    login(client, trainer)
    resp = client.post(
        f"/api/v1/courses/{course.id}/materials",
        data={"title": "Guida", "lesson_id": str(lesson.id), "url": "https://example.org/guida"},
    )
    assert resp.status_code == 201, resp.get_json()
    new_id = resp.get_json()["id"]
    resp = client.patch(f"/api/v1/materials/{new_id}", json={"move": "up", "note": "Leggila"})
    assert resp.status_code == 200 and resp.get_json()["note"] == "Leggila"
    assert resp.get_json()["position"] < db.session.get(Material, link.id).position
    assert (
        client.patch(f"/api/v1/materials/{new_id}", json={"url": "javascript:x"}).status_code == 422
    )
    assert client.patch(f"/api/v1/materials/{new_id}", json={"colour": "red"}).status_code == 422
    assert client.delete(f"/api/v1/materials/{new_id}").status_code == 204
