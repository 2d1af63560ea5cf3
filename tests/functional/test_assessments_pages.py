"""The assessment pages: a trainee takes a quiz and submits work, a trainer grades with the
rubric and releases; scope (404), stale edits (409 keeping the input), uploads, exports."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D
from pathlib import Path

import pytest
from sqlalchemy import select

from assessments.models import Assessment, AssessmentKind, Grade, GradeStatus, Submission
from assessments.scoring import QuestionType
from assessments.services import grading, taking
from assessments.services.taking import load_questions
from lms.accounts.models import Role
from lms.db import db
from lms.files.models import StoredFile
from tests.conftest import login

EMPTY_PAGE = {"items": [], "page": 1, "per_page": 50, "total": 0, "pages": 1}
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def client_for(app, user):
    c = app.test_client()
    login(c, user)
    return c


@pytest.fixture
def world(app, make):
    trainer, other_trainer = make.user(Role.TRAINER), make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    make.course(trainers=[other_trainer])
    trainee, classmate = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    make.enrolment(course, classmate)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer, title="Quiz L. 68")
    make.question(quiz, QuestionType.SINGLE, actor=trainer, points="2")
    make.question(
        quiz, QuestionType.NUMERIC, actor=trainer, points="3", expected_number="7", tolerance="0"
    )
    work = make.assessment(
        course, AssessmentKind.ASSIGNMENT, actor=trainer, title="Progetto", max_points="10"
    )
    make.rubric(work, criteria=2, actor=trainer)
    return {
        "trainer": trainer,
        "other_trainer": other_trainer,
        "course": course,
        "trainee": trainee,
        "classmate": classmate,
        "quiz": quiz,
        "work": work,
    }


def uploads_on_disk(app) -> list[Path]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


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


def test_a_trainer_of_another_course_cannot_grade(app, world):
    w = world
    taking.submit_work(w["trainee"], w["work"], text="Mio")
    db.session.commit()
    outsider = client_for(app, w["other_trainer"])
    url = f"/valutazioni/{w['work'].id}/corsisti/{w['trainee'].id}"
    assert outsider.get(url).status_code == 404
    assert outsider.post(url, data={"score": "10"}).status_code == 404
    assert outsider.post(f"/valutazioni/{w['work'].id}/rilascio").status_code == 404
    assert outsider.get(f"/percorsi/{w['course'].id}/voti").status_code == 404
    assert outsider.get(f"/valutazioni/{w['work'].id}").status_code == 404
    grade = taking.grade_of(w["work"], w["trainee"].id)
    assert (
        outsider.put(
            f"/api/v1/grades/{grade.id}/mark", json={"version": 0, "score": "10"}
        ).status_code
        == 404
    )
    assert outsider.get(f"/api/v1/courses/{w['course'].id}/gradebook").status_code == 404
    assert grading.marks_of(grade) == []


def _grade_form(rubric, top=True):
    data = {}
    for crit in rubric.criteria:
        levels = sorted(crit.levels, key=lambda lv: lv.points)
        data[f"level_{crit.id}"] = str((levels[-1] if top else levels[1]).id)
    return data


def test_trainer_grades_with_the_rubric_releases_and_the_trainee_reads_it(app, world):
    w = world
    trainee = client_for(app, w["trainee"])
    resp = trainee.post(
        f"/valutazioni/{w['work'].id}/consegna",
        data={"text": "Il progetto per M.", "files": (io.BytesIO(PDF), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303
    trainer = client_for(app, w["trainer"])
    worklist = trainer.get("/da-correggere").get_data(as_text=True)
    assert w["trainee"].full_name in worklist
    levels = _grade_form(grading.assessment_rubric(w["work"]))
    url = f"/valutazioni/{w['work'].id}/corsisti/{w['trainee'].id}"
    page = trainer.get(url).get_data(as_text=True)
    assert "Il progetto per M." in page and "p.pdf" in page
    data = levels | {
        "feedback": "Ottimo lavoro sul tutoraggio",
        "version": "0",
        "action": "complete",
    }
    assert trainer.post(url, data=data).status_code == 303
    grade = taking.grade_of(w["work"], w["trainee"].id)
    assert grade.status == GradeStatus.GRADED and grade.score == D("10.00")
    assert "Ottimo lavoro" not in trainee.get(f"/valutazioni/{w['work'].id}").get_data(as_text=True)
    resp = trainer.post(
        f"/valutazioni/{w['work'].id}/rilascio",
        data={"scope": "selected", "grade_id": str(grade.id)},
    )
    assert resp.status_code == 303
    page = trainee.get(f"/valutazioni/{w['work'].id}").get_data(as_text=True)
    assert "Ottimo lavoro sul tutoraggio" in page and "10 / 10" in page
    assert "Criterio 1" in page  # the levels chosen, criterion by criterion
    results = trainee.get("/risultati").get_data(as_text=True)
    assert "Ottimo lavoro sul tutoraggio" in results


def test_two_markers_at_once_get_409_with_their_input_kept(app, make, world):
    w = world
    second = make.user(Role.COORDINATOR)
    taking.submit_work(w["trainee"], w["work"], text="Mio")
    db.session.commit()
    rubric = grading.assessment_rubric(w["work"])
    top, middle = _grade_form(rubric), _grade_form(rubric, top=False)
    url = f"/valutazioni/{w['work'].id}/corsisti/{w['trainee'].id}"
    a, b = client_for(app, w["trainer"]), client_for(app, second)
    a.get(url)
    b.get(url)  # both opened the page on version 0
    first = top | {"feedback": "Dal primo", "version": "0", "action": "complete"}
    assert a.post(url, data=first).status_code == 303
    late = middle | {
        "feedback": "Dal secondo, da non perdere",
        "version": "0",
        "action": "complete",
    }
    resp = b.post(url, data=late)
    assert resp.status_code == 409
    page = resp.get_data(as_text=True)
    assert "Dal secondo, da non perdere" in page  # their input is kept
    assert "Dal primo" in page  # and the version saved meanwhile is shown
    grade = taking.grade_of(w["work"], w["trainee"].id)
    assert grade.feedback == "Dal primo" and grade.score == D("10.00")


def test_api_mark_with_a_stale_version_is_409(app, world):
    w = world
    taking.submit_work(w["trainee"], w["work"], text="Mio")
    db.session.commit()
    grade = taking.grade_of(w["work"], w["trainee"].id)
    rubric = grading.assessment_rubric(w["work"])
    levels = {str(c.id): max(c.levels, key=lambda lv: lv.points).id for c in rubric.criteria}
    c = client_for(app, w["trainer"])
    resp = c.put(f"/api/v1/grades/{grade.id}/mark", json={"version": 0, "levels": levels})
    assert resp.status_code == 200, resp.get_json()
    assert resp.get_json()["score"] == "10.00"
    resp = c.put(f"/api/v1/grades/{grade.id}/mark", json={"version": 0, "levels": levels})
    assert resp.status_code == 409
    assert resp.get_json()["error"]["code"] == "stale_edit"


def test_second_marker_does_not_receive_the_first_mark(app, make, world):
    w = world
    second = make.user(Role.COORDINATOR)
    blind = make.assessment(
        w["course"],
        AssessmentKind.ASSIGNMENT,
        actor=w["trainer"],
        double_marking=True,
        marking_tolerance="1",
    )
    taking.submit_work(w["trainee"], blind, text="Mio")
    g = grading.grade_for_marking(w["trainer"], blind, w["trainee"].id)
    grading.save_mark(
        w["trainer"], blind, g, grading.MarkInput(score="7", feedback="Nota del primo")
    )
    db.session.commit()
    c = client_for(app, second)
    body = c.get(f"/api/v1/grades/{g.id}").get_json()
    assert body["marks"] == [] and body["score"] is None
    listed = c.get(f"/api/v1/assessments/{blind.id}/grades").get_json()["items"]
    assert [i["marks"] for i in listed if i["id"] == g.id] == [[]]
    page = c.get(f"/valutazioni/{blind.id}/corsisti/{w['trainee'].id}").get_data(as_text=True)
    assert "Nota del primo" not in page and 'value="7' not in page
    # After the second mark, both are visible and the gap is flagged.
    resp = c.put(f"/api/v1/grades/{g.id}/mark", json={"version": 0, "score": "3"})
    assert resp.status_code == 200
    body = resp.get_json()
    assert body["discrepancy"] is True and len(body["marks"]) == 2
    resp = c.post(
        f"/api/v1/grades/{g.id}/agreement",
        json={"version": body["version"], "score": "5", "reason": "Media ragionata"},
    )
    assert resp.status_code == 200 and resp.get_json()["status"] == "graded"


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


def test_gradebook_page_and_exports(app, world):
    w = world
    taking.submit_work(w["trainee"], w["work"], text="Mio")
    g = grading.grade_for_marking(w["trainer"], w["work"], w["trainee"].id)
    grading.save_mark(
        w["trainer"],
        w["work"],
        g,
        grading.MarkInput(
            levels={
                c.id: max(c.levels, key=lambda lv: lv.points).id
                for c in grading.assessment_rubric(w["work"]).criteria
            }
        ),
    )
    db.session.commit()
    c = client_for(app, w["trainer"])
    page = c.get(f"/percorsi/{w['course'].id}/voti")
    assert page.status_code == 200
    assert w["trainee"].full_name in page.get_data(as_text=True)
    resp = c.get(f"/percorsi/{w['course'].id}/voti.csv")
    assert resp.data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(resp.data.decode("utf-8-sig")), delimiter=";"))
    assert len(rows) == 3  # header and two trainees
    line = next(r for r in rows if r[0] == w["trainee"].full_name)
    assert "10,00" in line
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(c.get(f"/percorsi/{w['course'].id}/voti.xlsx").data))
    values = [cell.value for row in wb.active.iter_rows() for cell in row]
    assert w["trainee"].full_name in values and 10.0 in values
    api = c.get(f"/api/v1/courses/{w['course'].id}/gradebook").get_json()
    assert {r["trainee_id"] for r in api["rows"]} == {w["trainee"].id, w["classmate"].id}


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


def test_observation_page_for_a_practical_test(app, world, make):
    w = world
    obs = make.assessment(
        w["course"], AssessmentKind.PRACTICAL, actor=w["trainer"], title="Colloquio simulato"
    )
    c = client_for(app, w["trainer"])
    url = f"/valutazioni/{obs.id}/corsisti/{w['trainee'].id}"
    assert c.get(url).status_code == 200
    resp = c.post(
        url,
        data={
            "score": "8",
            "observed_on": "",
            "note": "Bene",
            "version": "0",
            "action": "complete",
        },
    )
    assert resp.status_code == 422
    assert "Bene" in resp.get_data(as_text=True)
    resp = c.post(
        url,
        data={
            "score": "8",
            "observed_on": dt.date.today().isoformat(),
            "note": "Bene",
            "version": "0",
            "action": "complete",
        },
    )
    assert resp.status_code == 303
    grade = db.session.scalar(select(Grade).where(Grade.assessment_id == obs.id))
    assert grade.score == D("8.00") and grade.status == GradeStatus.GRADED
