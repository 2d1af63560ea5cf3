"""A quiz attempt is reviewed before it is submitted (page and API), and a quiz set to release
automatically releases the grade as soon as the attempt is graded."""

from __future__ import annotations

from decimal import Decimal as D

import pytest
from sqlalchemy import select

from assessments.models import Assessment, GradeHistory, GradeStatus
from assessments.services import taking
from assessments.services.taking import AnswerInput, load_questions
from lms.accounts.services import system_actor
from lms.audit.models import AuditEntry
from lms.db import db
from tests.functional.assessments_world import build_world, client_for


@pytest.fixture
def world(app, make):
    return build_world(make)


def _started(w):
    attempt = taking.start_attempt(w["trainee"], w["quiz"])
    single, numeric = load_questions(w["trainer"], w["quiz"])
    right = next(ch.id for ch in single.choices if ch.correct)
    db.session.commit()
    return attempt, single, numeric, right


def test_review_lists_the_unanswered_questions_and_submits_only_on_confirmation(app, world):
    w = world
    attempt, single, numeric, right = _started(w)
    c = client_for(app, w["trainee"])
    url = f"/tentativi/{attempt.id}"
    resp = c.post(
        url,
        data={
            f"q{single.id}": str(right),
            f"q{single.id}_shown": "1",
            f"q{numeric.id}_text": " ",
            f"q{numeric.id}_shown": "1",
            "action": "submit",
        },
    )
    # "Review and submit" saves and shows the review: nothing is submitted yet.
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"{url}/riepilogo")
    db.session.expire_all()
    assert not attempt.finished and taking.grade_of(w["quiz"], w["trainee"].id) is None
    page = c.get(f"{url}/riepilogo").get_data(as_text=True)
    assert "1 domanda non ha risposta." in page
    assert page.count("Risposta data") == 1 and page.count("Senza risposta") == 1
    assert f'href="/tentativi/{attempt.id}#domanda-{single.id}"' in page
    assert f'href="/tentativi/{attempt.id}#domanda-{numeric.id}"' in page
    assert "Invia il quiz" in page and f'action="{url}/invia"' in page
    api = c.get(f"/api/v1/attempts/{attempt.id}/review").get_json()
    assert api == {
        "attempt_id": attempt.id,
        "submitted": False,
        "answered": [q for q in attempt.question_order if q == single.id],
        "unanswered": [q for q in attempt.question_order if q == numeric.id],
    }
    # The confirmation submits it; the grade is a draft (no automatic release by default).
    resp = c.post(f"{url}/invia")
    assert resp.status_code == 303
    grade = taking.grade_of(w["quiz"], w["trainee"].id)
    assert grade.status == GradeStatus.GRADED and grade.score == D("2.00")
    # Once submitted, the review page sends back to the assessment; the API says so.
    assert c.get(f"{url}/riepilogo").status_code == 303
    assert c.get(f"/api/v1/attempts/{attempt.id}/review").get_json()["submitted"] is True
    submitted_at = attempt.submitted_at
    assert c.post(f"{url}/invia").status_code == 303  # already submitted: told, not resent
    db.session.expire_all()
    assert attempt.submitted_at == submitted_at


def test_review_says_when_every_question_has_an_answer(app, world):
    w = world
    attempt, single, numeric, right = _started(w)
    taking.save_answers(
        w["trainee"], attempt, [AnswerInput(single.id, [right]), AnswerInput(numeric.id, [], "7")]
    )
    db.session.commit()
    c = client_for(app, w["trainee"])
    page = c.get(f"/tentativi/{attempt.id}/riepilogo").get_data(as_text=True)
    assert "Hai risposto a tutte le domande." in page and "Senza risposta" not in page
    api = c.get(f"/api/v1/attempts/{attempt.id}/review").get_json()
    assert api["unanswered"] == [] and sorted(api["answered"]) == sorted([single.id, numeric.id])


def test_another_trainees_attempt_review_and_submit_are_404(app, world):
    w = world
    attempt, *_ = _started(w)
    other = client_for(app, w["classmate"])
    assert other.get(f"/tentativi/{attempt.id}/riepilogo").status_code == 404
    assert other.post(f"/tentativi/{attempt.id}/invia").status_code == 404
    assert other.get(f"/api/v1/attempts/{attempt.id}/review").status_code == 404
    assert other.post(f"/api/v1/attempts/{attempt.id}/submit").status_code == 404
    db.session.expire_all()
    assert not attempt.finished


def test_auto_release_releases_the_grade_at_once_through_the_release_service(app, world):
    w = world
    w["quiz"].release_when_graded = True
    db.session.commit()
    attempt, single, _numeric, right = _started(w)
    c = client_for(app, w["trainee"])
    c.post(
        f"/tentativi/{attempt.id}",
        data={f"q{single.id}": str(right), f"q{single.id}_shown": "1", "action": "submit"},
    )
    resp = c.post(f"/tentativi/{attempt.id}/invia", follow_redirects=True)
    page = resp.get_data(as_text=True)
    grade = taking.grade_of(w["quiz"], w["trainee"].id)
    assert grade.status == GradeStatus.RELEASED and grade.score == D("2.00")
    assert grade.released_by_id == system_actor().id and grade.released_at is not None
    assert "Le tue risposte sono inviate e corrette" in page and "2 / 10" in page
    assert c.get(f"/api/v1/grades/{grade.id}").get_json()["score"] == "2.00"
    history = db.session.scalars(
        select(GradeHistory.action)
        .where(GradeHistory.grade_id == grade.id)
        .order_by(GradeHistory.id)
    ).all()
    assert history == ["grade.auto", "grade.release"]
    audit = db.session.scalar(
        select(AuditEntry).where(
            AuditEntry.action == "grade.release", AuditEntry.object_id == str(grade.id)
        )
    )
    assert audit.actor_id == system_actor().id
    assert audit.before["status"] == "graded" and audit.after["status"] == "released"


def test_auto_release_is_refused_for_an_assessment_graded_by_hand(app, world):
    w = world
    trainer = client_for(app, w["trainer"])
    body = {
        "title": "Elaborato",
        "kind": "assignment",
        "opens_at": "2030-05-01T08:00:00+02:00",
        "closes_at": "2030-05-10T18:00:00+02:00",
        "max_points": "30",
        "pass_mark": "18",
        "release_when_graded": True,
    }
    before = db.session.scalar(select(db.func.count()).select_from(Assessment))
    bad = trainer.post(f"/api/v1/courses/{w['course'].id}/assessments", json=body)
    assert bad.status_code == 422
    assert "release_when_graded" in bad.get_json()["error"]["fields"]
    assert db.session.scalar(select(db.func.count()).select_from(Assessment)) == before
    ok = trainer.post(
        f"/api/v1/courses/{w['course'].id}/assessments",
        json=body | {"kind": "quiz", "title": "Quiz rapido"},
    )
    assert ok.status_code == 201 and ok.get_json()["release_when_graded"] is True
    # The form: the assignment comes back with the message and what was typed.
    form = {
        "title": "Progetto rivisto",
        "kind": "assignment",
        "module_id": "",
        "opens_at": "2030-01-09T09:00",
        "closes_at": "2030-01-10T09:00",
        "max_points": "10",
        "pass_mark": "6",
        "weight": "1",
        "late_policy": "refuse",
        "marking_tolerance": "0",
        "release_when_graded": "y",
    }
    resp = trainer.post(f"/valutazioni/{w['work'].id}/modifica", data=form)
    assert resp.status_code == 422
    page = resp.get_data(as_text=True)
    assert "Progetto rivisto" in page and "valutazione è corretta a mano" in page
    db.session.expire_all()
    assert db.session.get(Assessment, w["work"].id).release_when_graded is False
    resp = trainer.post(f"/valutazioni/{w['quiz'].id}/modifica", data=form | {"kind": "quiz"})
    assert resp.status_code == 303
    db.session.expire_all()
    assert db.session.get(Assessment, w["quiz"].id).release_when_graded is True


def test_the_demo_self_check_quiz_is_released_as_it_is_graded(app):
    from assessments.demo.selfcheck import TITLE
    from assessments.models import Grade

    assert app.test_cli_runner().invoke(args=["lms", "demo"]).exit_code == 0
    db.session.remove()
    quiz = db.session.scalar(select(Assessment).where(Assessment.title == TITLE))
    assert quiz.release_when_graded is True
    grades = db.session.scalars(select(Grade).where(Grade.assessment_id == quiz.id)).all()
    assert len(grades) == 11
    assert {g.status for g in grades} == {GradeStatus.RELEASED}
    assert {g.released_by_id for g in grades} == {system_actor().id}
