"""The assessment pages, taking and authoring: a trainee takes a quiz and submits work (scope,
uploads, closing), a trainer builds an assessment with questions."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from assessments.models import Assessment, GradeStatus, Submission
from assessments.services import taking
from assessments.services.taking import load_questions
from lms.db import db
from lms.files.models import StoredFile
from tests.functional.assessments_world import (
    EMPTY_PAGE,
    PDF,
    build_world,
    client_for,
    uploads_on_disk,
)


@pytest.fixture
def world(app, make):
    return build_world(make)


def test_trainee_takes_the_quiz_through_the_pages(app, world):
    w = world
    c = client_for(app, w["trainee"])
    page = c.get(f"/valutazioni/{w['quiz'].id}")
    assert page.status_code == 200
    resp = c.post(f"/valutazioni/{w['quiz'].id}/tentativi")
    assert resp.status_code == 303
    attempt_url = resp.headers["Location"]
    single, numeric = load_questions(w["trainer"], w["quiz"])
    right = next(ch.id for ch in single.choices if ch.correct)
    page = c.get(attempt_url).get_data(as_text=True)
    assert single.prompt in page and numeric.prompt in page
    # Save one answer; the page (loaded again) shows it still chosen.
    resp = c.post(
        attempt_url,
        data={f"q{single.id}": str(right), f"q{single.id}_shown": "1", "action": "save"},
    )
    assert resp.status_code == 303
    page = c.get(attempt_url).get_data(as_text=True)
    assert f'value="{right}" id="c{right}" checked' in page
    resp = c.post(
        attempt_url,
        data={
            f"q{single.id}": str(right),
            f"q{single.id}_shown": "1",
            f"q{numeric.id}_text": "7",
            f"q{numeric.id}_shown": "1",
            "action": "submit",
        },
    )
    assert resp.status_code == 303 and resp.headers["Location"].endswith("/riepilogo")
    assert taking.grade_of(w["quiz"], w["trainee"].id) is None  # not submitted yet
    resp = c.post(f"{attempt_url}/invia")
    assert resp.status_code == 303
    grade = taking.grade_of(w["quiz"], w["trainee"].id)
    assert grade.status == GradeStatus.GRADED and grade.score == D("5.00")
    # Not released: the page and the API keep the score private.
    page = c.get(f"/valutazioni/{w['quiz'].id}").get_data(as_text=True)
    assert "5 / 10" not in page
    assert c.get(f"/api/v1/grades/{grade.id}").status_code == 404
    assert c.get(f"/api/v1/assessments/{w['quiz'].id}/grades").get_json() == EMPTY_PAGE
    assert c.get("/api/v1/me/results").get_json() == EMPTY_PAGE
    trainer = client_for(app, w["trainer"])
    assert (
        trainer.post(f"/valutazioni/{w['quiz'].id}/rilascio", data={"scope": "all"}).status_code
        == 303
    )
    page = c.get(f"/valutazioni/{w['quiz'].id}").get_data(as_text=True)
    assert "5 / 10" in page
    assert c.get(f"/api/v1/grades/{grade.id}").get_json()["score"] == "5.00"


def test_another_trainee_never_sees_an_attempt_or_a_submission(app, world):
    w = world
    attempt = taking.start_attempt(w["trainee"], w["quiz"])
    sub = taking.submit_work(
        w["trainee"], w["work"], text="Mio", uploads=[taking.Upload("mio.pdf", PDF)]
    )
    db.session.commit()
    file_id = taking.submission_of(w["trainee"], w["work"]).files[0].id
    other = client_for(app, w["classmate"])
    assert other.get(f"/tentativi/{attempt.id}").status_code == 404
    assert other.post(f"/tentativi/{attempt.id}", data={"action": "submit"}).status_code == 404
    assert other.get(f"/consegne/{sub.id}/file/{file_id}").status_code == 404
    assert other.get(f"/api/v1/attempts/{attempt.id}").status_code == 404
    assert other.get(f"/api/v1/submissions/{sub.id}/files/{file_id}").status_code == 404
    page = other.get(f"/valutazioni/{w['work'].id}").get_data(as_text=True)
    assert "Mio" not in page and "mio.pdf" not in page
    assert other.get(f"/valutazioni/{w['work'].id}/corsisti/{w['trainee'].id}").status_code == 403
    owner = client_for(app, w["trainee"])
    resp = owner.get(f"/consegne/{sub.id}/file/{file_id}")
    assert resp.status_code == 200 and resp.data == PDF
    assert "attachment" in resp.headers["Content-Disposition"]
    trainer = client_for(app, w["trainer"])
    assert trainer.get(f"/consegne/{sub.id}/file/{file_id}").status_code == 200


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("progetto.pdf", b"MZ\x90\x00 not a pdf at all"),  # wrong type renamed
        ("vuoto.pdf", b""),  # empty
        ("progetto.pdf.exe", PDF),  # double extension
        ("../../etc/progetto.pdf", PDF),  # a path in the name
        ("immagine.png", PDF),  # extension does not match the content
        ("troppo.pdf", PDF + b"0" * (2 * 1024 * 1024)),  # above the limit set for the test
    ],
)
def test_bad_uploads_are_refused_with_a_message_and_leave_no_file(app, world, name, data):
    w = world
    app.config["ASSESSMENT_MAX_UPLOAD_BYTES"] = 1024 * 1024
    c = client_for(app, w["trainee"])
    resp = c.post(
        f"/valutazioni/{w['work'].id}/consegna",
        data={"text": "Testo", "files": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert 'id="files-error"' in page and "Testo" in page  # message, and the text kept
    assert uploads_on_disk(app) == []
    assert db.session.scalars(select(StoredFile)).all() == []
    assert db.session.scalars(select(Submission)).all() == []


def test_no_submission_after_closing_through_the_page(app, world):
    w = world
    work = w["work"]
    now = dt.datetime.now(dt.UTC)
    work.opens_at, work.closes_at = now - dt.timedelta(days=3), now - dt.timedelta(minutes=1)
    db.session.commit()
    c = client_for(app, w["trainee"])
    resp = c.post(f"/valutazioni/{work.id}/consegna", data={"text": "Tardi"})
    assert resp.status_code == 303  # flashed and sent back
    assert db.session.scalars(select(Submission)).all() == []
    page = c.get(f"/valutazioni/{work.id}").get_data(as_text=True)
    assert 'name="text"' not in page


def test_trainer_builds_an_assessment_with_questions_through_the_pages(app, world):
    w = world
    c = client_for(app, w["trainer"])
    resp = c.post(
        f"/percorsi/{w['course'].id}/valutazioni/nuova",
        data={
            "title": "Quiz sul prospetto",
            "kind": "quiz",
            "module_id": "",
            "opens_at": "2030-01-10T09:00",
            "closes_at": "2030-01-09T09:00",
            "max_points": "5",
            "pass_mark": "3",
            "weight": "1",
            "late_policy": "refuse",
            "marking_tolerance": "0",
        },
    )
    assert resp.status_code == 422  # closing before opening: the form comes back
    assert "Quiz sul prospetto" in resp.get_data(as_text=True)
    resp = c.post(
        f"/percorsi/{w['course'].id}/valutazioni/nuova",
        data={
            "title": "Quiz sul prospetto",
            "kind": "quiz",
            "module_id": "",
            "opens_at": "2030-01-09T09:00",
            "closes_at": "2030-01-10T09:00",
            "max_points": "5",
            "pass_mark": "3",
            "weight": "1",
            "late_policy": "refuse",
            "marking_tolerance": "0",
            "published": "y",
        },
    )
    assert resp.status_code == 303
    url = resp.headers["Location"]
    aid = int(url.rstrip("/").split("/")[-1])
    resp = c.post(
        f"/valutazioni/{aid}/domande",
        data={
            "kind": "multiple",
            "prompt": "Quali enti?",
            "points": "3",
            "choices": "* CPI\n* INAIL\nPizzeria",
            "partial_credit": "right_minus_wrong",
        },
    )
    assert resp.status_code == 303
    resp = c.post(
        f"/valutazioni/{aid}/domande",
        data={
            "kind": "single",
            "prompt": "Nessuna giusta",
            "points": "1",
            "choices": "A\nB",
            "partial_credit": "all_or_nothing",
        },
    )
    assert resp.status_code == 422
    (q,) = load_questions(w["trainer"], db.session.get(Assessment, aid))
    assert [(ch.text, ch.correct) for ch in q.choices] == [
        ("CPI", True),
        ("INAIL", True),
        ("Pizzeria", False),
    ]
    c.post(
        f"/valutazioni/{aid}/domande",
        data={
            "kind": "true_false",
            "prompt": "Il prospetto è annuale",
            "points": "1",
            "choices": "* Vero\nFalso",
            "partial_credit": "all_or_nothing",
        },
    )
    assert len(load_questions(w["trainer"], db.session.get(Assessment, aid))) == 2
