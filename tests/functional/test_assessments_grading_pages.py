"""The grading pages: a trainer grades with the rubric and releases, double marking (the
second marker grades blind), stale edits (409 keeping the input), scope (404), the gradebook
and its exports, the observation of a practical test."""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from sqlalchemy import select

from assessments.models import AssessmentKind, Grade, GradeStatus
from assessments.services import grading, taking
from lms.accounts.models import Role
from lms.db import db
from tests.functional.assessments_world import PDF, build_world, client_for


@pytest.fixture
def world(app, make):
    return build_world(make)


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
    # Every header in Italian, numbers in it written as in the cells (decimal comma).
    assert any(h.endswith("(stato)") for h in rows[0])
    assert any("(punti su " in h and "," in h for h in rows[0])
    assert not any("state" in h or "points" in h for h in rows[0])
    line = next(r for r in rows if r[0] == w["trainee"].full_name)
    assert "10,00" in line
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(c.get(f"/percorsi/{w['course'].id}/voti.xlsx").data))
    values = [cell.value for row in wb.active.iter_rows() for cell in row]
    assert w["trainee"].full_name in values and 10.0 in values
    api = c.get(f"/api/v1/courses/{w['course'].id}/gradebook").get_json()
    assert {r["trainee_id"] for r in api["rows"]} == {w["trainee"].id, w["classmate"].id}


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
