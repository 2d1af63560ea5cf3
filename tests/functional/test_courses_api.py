"""The courses JSON API: modules, courses, lessons, enrolments, attendance report, bulk write."""

from __future__ import annotations

import datetime as dt

from courses.services.enrolments import today
from lms.accounts.models import Role
from tests.conftest import login


def test_staff_builds_a_course_through_the_api(app, make):
    coordinator, trainer = make.user(Role.COORDINATOR), make.user(Role.TRAINER)
    trainee = make.user(Role.TRAINEE)
    client = app.test_client()
    login(client, coordinator)
    m = client.post(
        "/api/v1/modules",
        json={
            "code": "COM-09",
            "title": "Ascolto attivo",
            "topic_area": "communication",
            "planned_minutes": 240,
        },
    )
    assert m.status_code == 201, m.get_json()
    start = today() - dt.timedelta(days=30)
    c = client.post(
        "/api/v1/courses",
        json={
            "title": "Percorso API",
            "edition": "I",
            "start_date": start.isoformat(),
            "end_date": (start + dt.timedelta(days=90)).isoformat(),
            "trainer_ids": [trainer.id],
            "module_ids": [m.get_json()["id"]],
            "assessment_threshold_pct": 70,
            "certification_threshold_pct": 75,
        },
    )
    assert c.status_code == 201, c.get_json()
    cid = c.get_json()["id"]
    s = client.post(
        f"/api/v1/courses/{cid}/lessons",
        json={
            "module_id": m.get_json()["id"],
            "date": (today() - dt.timedelta(days=3)).isoformat(),
            "start_time": "09:00",
            "end_time": "11:00",
            "mode": "online",
            "link": "https://meet.example.org/a",
            "trainer_id": trainer.id,
            "weeks": 2,
        },
    )
    assert s.status_code == 201 and len(s.get_json()["items"]) == 2
    e = client.post(
        f"/api/v1/courses/{cid}/enrolments",
        json={"user_id": trainee.id, "enrolled_on": start.isoformat()},
    )
    assert e.status_code == 201
    sid = s.get_json()["items"][0]["id"]
    w = client.put(
        f"/api/v1/lessons/{sid}/attendance",
        json={
            "records": [
                {"enrolment_id": e.get_json()["id"], "status": "late", "minutes": 90, "version": 0}
            ]
        },
    )
    assert w.status_code == 200, w.get_json()
    assert w.get_json()["changed"] == 1
    record = w.get_json()["records"][0]["record"]
    assert record["minutes"] == 90 and record["version"] == 1
    # A write over a version that is no longer current is a 409 with the project's problem shape.
    stale = client.put(
        f"/api/v1/lessons/{sid}/attendance",
        json={
            "records": [
                {
                    "enrolment_id": e.get_json()["id"],
                    "status": "present",
                    "minutes": 120,
                    "version": 0,
                }
            ]
        },
    )
    assert stale.status_code == 409 and stale.get_json()["error"]["code"] == "stale_edit"
    report = client.get(f"/api/v1/courses/{cid}/attendance").get_json()
    row = report["trainees"][0]
    assert row["attended_minutes"] == 90 and row["held_minutes"] == 120
    assert row["eligibility"]["final_assessment"]["met"] is False
    assert report["totals"][str(sid)]["present"] == 1


def test_api_validation_and_scope(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    lesson = make.lesson(course, trainer=trainer, date=today() + dt.timedelta(days=10))
    trainee = make.user(Role.TRAINEE)
    enrolment = make.enrolment(course, trainee)
    client = app.test_client()
    login(client, trainer)
    future = client.put(
        f"/api/v1/lessons/{lesson.id}/attendance",
        json={"records": [{"enrolment_id": enrolment.id, "status": "present", "version": 0}]},
    )
    assert future.status_code == 409
    bad = client.put(
        f"/api/v1/lessons/{lesson.id}/attendance",
        json={"records": [{"enrolment_id": enrolment.id, "status": "maybe"}]},
    )
    assert bad.status_code == 422 and "records.0.status" in bad.get_json()["error"]["fields"]
    assert client.post("/api/v1/courses", json={}).status_code == 403
    other = app.test_client()
    login(other, trainee)
    mine = other.get(f"/api/v1/enrolments/{enrolment.id}/attendance")
    assert mine.status_code == 200 and "eligibility" in mine.get_json()
    assert other.get(f"/api/v1/courses/{course.id}/attendance").status_code == 403
    stranger = app.test_client()
    login(stranger, make.user(Role.TRAINEE))
    assert stranger.get(f"/api/v1/enrolments/{enrolment.id}/attendance").status_code == 404
    assert stranger.get(f"/api/v1/courses/{course.id}").status_code == 404


def test_api_inputs_are_schemas_and_lists_are_paginated(app, make):
    coordinator, trainer = make.user(Role.COORDINATOR), make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    make.lesson(course, trainer=trainer, date=today() - dt.timedelta(days=7), weeks=3)
    client = app.test_client()
    login(client, coordinator)
    unknown = client.post(
        "/api/v1/modules",
        json={
            "code": "X-01",
            "title": "Modulo",
            "topic_area": "regulatory",
            "planned_minutes": 60,
            "owner": "me",
        },
    )
    assert unknown.status_code == 422 and "owner" in unknown.get_json()["error"]["fields"]
    wrong = client.post(f"/api/v1/courses/{course.id}/enrolments", json={"user_id": "7"})
    assert wrong.status_code == 422 and "user_id" in wrong.get_json()["error"]["fields"]
    missing = client.post(f"/api/v1/courses/{course.id}/enrolments", json={"user_id": 999999})
    assert missing.status_code == 422 and "user_id" in missing.get_json()["error"]["fields"]
    page = client.get(f"/api/v1/courses/{course.id}/lessons?per_page=2").get_json()
    assert (page["total"], page["pages"], len(page["items"])) == (3, 2, 2)
    for path in ("/api/v1/modules", "/api/v1/courses", f"/api/v1/courses/{course.id}/enrolments"):
        body = client.get(path).get_json()
        assert {"items", "page", "per_page", "total", "pages"} <= set(body), path
    # A trainer of another course does not learn that the course or its lessons exist.
    other = app.test_client()
    login(other, make.user(Role.TRAINER))
    assert other.get(f"/api/v1/courses/{course.id}/lessons").status_code == 404
    assert other.get(f"/api/v1/courses/{course.id}/attendance").status_code == 404
    assert other.get("/api/v1/courses").get_json()["total"] == 0
