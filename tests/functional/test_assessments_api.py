"""The assessments API: scope, questions for trainers only, attempts kept across reloads,
submissions with files, release, and the problem format."""

from __future__ import annotations

import datetime as dt
import io

import pytest

from assessments.models import AssessmentKind
from assessments.scoring import QuestionType
from lms.accounts.models import Role
from lms.db import utcnow
from tests.conftest import login

EMPTY_PAGE = {"items": [], "page": 1, "per_page": 50, "total": 0, "pages": 1}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(app, user):
    c = app.test_client()
    login(c, user)
    return c


@pytest.fixture
def world(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee, outsider = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer)
    make.question(quiz, QuestionType.TRUE_FALSE, actor=trainer, points="1")
    hidden = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer, published=False)
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer)
    return {
        "trainer": trainer,
        "course": course,
        "trainee": trainee,
        "outsider": outsider,
        "quiz": quiz,
        "hidden": hidden,
        "work": work,
    }


def test_anonymous_gets_401(client, world):
    resp = client.get(f"/api/v1/courses/{world['course'].id}/assessments")
    assert resp.status_code == 401
    assert resp.get_json()["error"]["code"] == "unauthorized"


def test_assessment_lists_are_scoped(app, world):
    w = world
    trainer = client_for(app, w["trainer"]).get(f"/api/v1/courses/{w['course'].id}/assessments")
    assert {a["id"] for a in trainer.get_json()["items"]} == {
        w["quiz"].id,
        w["hidden"].id,
        w["work"].id,
    }
    trainee = client_for(app, w["trainee"])
    listed = trainee.get(f"/api/v1/courses/{w['course'].id}/assessments").get_json()["items"]
    assert {a["id"] for a in listed} == {w["quiz"].id, w["work"].id}
    assert trainee.get(f"/api/v1/assessments/{w['hidden'].id}").status_code == 404
    outsider = client_for(app, w["outsider"])
    assert outsider.get(f"/api/v1/courses/{w['course'].id}/assessments").status_code == 404
    assert outsider.get(f"/api/v1/assessments/{w['quiz'].id}").status_code == 404


def test_questions_with_their_key_are_for_trainers_only(app, world):
    w = world
    trainee = client_for(app, w["trainee"])
    assert trainee.get(f"/api/v1/assessments/{w['quiz'].id}/questions").status_code == 404
    assert (
        trainee.post(
            f"/api/v1/assessments/{w['quiz'].id}/questions",
            json={"kind": "single", "prompt": "x", "points": 1},
        ).status_code
        == 404
    )
    trainer = client_for(app, w["trainer"])
    resp = trainer.post(
        f"/api/v1/assessments/{w['quiz'].id}/questions",
        json={
            "kind": "numeric",
            "prompt": "Quota con 60 dipendenti?",
            "points": "2",
            "expected_number": "4",
            "tolerance": "0",
        },
    )
    assert resp.status_code == 201, resp.get_json()
    items = trainer.get(f"/api/v1/assessments/{w['quiz'].id}/questions").get_json()["items"]
    assert [q["kind"] for q in items] == ["true_false", "numeric"]
    assert items[0]["choices"][0]["correct"] in (True, False)
    bad = trainer.post(
        f"/api/v1/assessments/{w['quiz'].id}/questions",
        json={"kind": "single", "prompt": "x", "points": "1", "surprise": 1},
    )
    assert bad.status_code == 422 and "surprise" in bad.get_json()["error"]["fields"]


def test_attempt_through_the_api_survives_a_reload(app, world):
    w = world
    c = client_for(app, w["trainee"])
    resp = c.post(f"/api/v1/assessments/{w['quiz'].id}/attempts")
    assert resp.status_code == 201
    attempt = resp.get_json()
    assert "correct" not in str(attempt["questions"])  # no key for the trainee
    q = attempt["questions"][0]
    choice = q["choices"][0]["id"]
    resp = c.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"selected": [choice]})
    assert resp.status_code == 200
    # The connection drops; starting again returns the same attempt with the answer.
    again = c.post(f"/api/v1/assessments/{w['quiz'].id}/attempts").get_json()
    assert again["id"] == attempt["id"]
    assert again["answers"][str(q["id"])]["selected"] == [choice]
    assert c.get(f"/api/v1/attempts/{attempt['id']}").get_json()["answers"]
    done = c.post(f"/api/v1/attempts/{attempt['id']}/submit").get_json()
    assert done["submitted_at"] is not None
    assert c.get(f"/api/v1/assessments/{w['quiz'].id}/grades").get_json() == EMPTY_PAGE
    other = client_for(app, w["outsider"])
    assert other.get(f"/api/v1/attempts/{attempt['id']}").status_code == 404


def test_answer_after_the_time_limit_is_409_and_closes(app, make, world):
    w = world
    timed = make.assessment(
        w["course"], AssessmentKind.QUIZ, actor=w["trainer"], time_limit_minutes=1
    )
    make.question(timed, actor=w["trainer"])
    c = client_for(app, w["trainee"])
    attempt = c.post(f"/api/v1/assessments/{timed.id}/attempts").get_json()
    from assessments.models import Attempt
    from lms.db import db

    row = db.session.get(Attempt, attempt["id"])
    row.started_at = utcnow() - dt.timedelta(minutes=5)
    row.deadline = utcnow() - dt.timedelta(minutes=4)
    db.session.commit()
    q = attempt["questions"][0]
    resp = c.put(f"/api/v1/attempts/{attempt['id']}/answers/{q['id']}", json={"selected": []})
    assert resp.status_code == 409 and resp.get_json()["error"]["code"] == "time_up"
    assert c.get(f"/api/v1/attempts/{attempt['id']}").get_json()["auto_closed"] is True


def test_submission_with_files_and_refused_upload(app, world):
    w = world
    c = client_for(app, w["trainee"])
    url = f"/api/v1/assessments/{w['work'].id}/submission"
    bad = c.post(
        url,
        data={"text": "x", "files": (io.BytesIO(b"GIF89a"), "foto.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and "files" in bad.get_json()["error"]["fields"]
    resp = c.post(
        url,
        data={"text": "Progetto", "files": (io.BytesIO(PDF), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201
    sub = resp.get_json()
    assert [f["name"] for f in sub["files"]] == ["p.pdf"]
    assert c.get(sub["files"][0]["url"]).data == PDF
    stale = c.post(
        url, data={"text": "Vecchia", "version": "0"}, content_type="multipart/form-data"
    )
    assert stale.status_code == 409  # version 0 means "I saw nothing", but there is one
    stale = c.post(
        url,
        data={"text": "Vecchia", "version": str(sub["version"] + 5)},
        content_type="multipart/form-data",
    )
    assert stale.status_code == 409
    assert c.get(url).get_json()["text"] == "Progetto"
    other = client_for(app, w["outsider"])
    assert other.get(sub["files"][0]["url"]).status_code == 404


def test_release_through_the_api(app, world):
    w = world
    trainee = client_for(app, w["trainee"])
    attempt = trainee.post(f"/api/v1/assessments/{w['quiz'].id}/attempts").get_json()
    trainee.post(f"/api/v1/attempts/{attempt['id']}/submit")
    assert trainee.post(f"/api/v1/assessments/{w['quiz'].id}/release", json={}).status_code == 404
    trainer = client_for(app, w["trainer"])
    grades = trainer.get(f"/api/v1/assessments/{w['quiz'].id}/grades").get_json()["items"]
    assert [g["status"] for g in grades] == ["graded"]
    resp = trainer.post(f"/api/v1/assessments/{w['quiz'].id}/release", json={})
    assert resp.get_json() == {"released": 1}
    mine = trainee.get("/api/v1/me/results").get_json()["items"]
    assert [(r["assessment_id"], r["status"]) for r in mine] == [(w["quiz"].id, "released")]


def test_create_assessment_through_the_api(app, world):
    w = world
    trainer = client_for(app, w["trainer"])
    body = {
        "title": "Elaborato finale",
        "kind": "assignment",
        "opens_at": "2030-05-01T08:00:00+02:00",
        "closes_at": "2030-05-10T18:00:00+02:00",
        "max_points": "30",
        "pass_mark": "18",
        "is_final": True,
    }
    resp = trainer.post(f"/api/v1/courses/{w['course'].id}/assessments", json=body)
    assert resp.status_code == 201
    assert resp.get_json()["is_final"] is True and resp.headers["Location"]
    bad = trainer.post(
        f"/api/v1/courses/{w['course'].id}/assessments", json=body | {"pass_mark": "40"}
    )
    assert bad.status_code == 422 and "pass_mark" in bad.get_json()["error"]["fields"]
    trainee = client_for(app, w["trainee"])
    assert (
        trainee.post(f"/api/v1/courses/{w['course'].id}/assessments", json=body).status_code == 404
    )


LIST_ROUTES = {
    "api.course_assessments",
    "api.list_questions",
    "api.list_grades",
    "api.my_results",
}
NO_BODY = {"api.start_attempt", "api.submit_attempt", "api.submit_work"}  # submit_work: multipart


def test_every_assessments_api_route_follows_the_convention(app):
    seen = {}
    for rule in app.url_map.iter_rules():
        view = app.view_functions[rule.endpoint]
        if view.__module__.startswith("assessments.api"):
            seen[rule.endpoint] = (rule, view.api_spec, view.access_rule)
    assert len(seen) == 20
    for name, (rule, spec, access) in seen.items():
        assert spec.response is not None or spec.binary, name
        assert spec.paginated == (name in LIST_ROUTES), name
        writes = rule.methods & {"POST", "PUT", "PATCH"}
        if writes and name not in NO_BODY:
            assert spec.body is not None, name
        assert access.kind in ("authenticated", "predicate"), name
    assert seen["api.submit_work"][1].multipart
    assert seen["api.submission_file"][1].binary


def test_lists_are_paginated_with_an_envelope(app, world):
    w = world
    c = client_for(app, w["trainer"])
    page = c.get(f"/api/v1/courses/{w['course'].id}/assessments?per_page=2").get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 2)
    resp = c.get(f"/api/v1/courses/{w['course'].id}/assessments?per_page=2&page=2")
    assert len(resp.get_json()["items"]) == 1 and 'rel="prev"' in resp.headers["Link"]


def test_a_trainer_of_another_course_gets_404_and_changes_nothing(app, make, world):
    from assessments.models import Question
    from lms.db import db

    w = world
    stranger = client_for(app, make.user(Role.TRAINER))
    before = db.session.query(Question).count()
    body = {"kind": "true_false", "prompt": "Intrusa", "points": "1"}
    assert (
        stranger.post(f"/api/v1/assessments/{w['quiz'].id}/questions", json=body).status_code == 404
    )
    assert db.session.query(Question).count() == before
    assert stranger.get(f"/api/v1/assessments/{w['quiz'].id}/grades").status_code == 404
    assert stranger.get(f"/api/v1/courses/{w['course'].id}/gradebook").status_code == 404
    assert stranger.post(f"/api/v1/assessments/{w['quiz'].id}/release", json={}).status_code == 404
    # Attempts are the trainees' own: other roles are refused before any object is read.
    assert stranger.post(f"/api/v1/assessments/{w['quiz'].id}/attempts").status_code == 403


def test_grading_list_rows_without_a_grade_yet(app, world):
    w = world
    c = client_for(app, w["trainer"])
    (row,) = c.get(f"/api/v1/assessments/{w['work'].id}/grades").get_json()["items"]
    assert row == {
        "id": None,
        "trainee_id": w["trainee"].id,
        "status": "not_submitted",
        "trainee_name": w["trainee"].full_name,
    }
