"""Text corpus (issue 11, points 5 and 10): a NUL byte, a bidi override and 100,000 characters
sent to every free-text field of the page forms and API bodies of lessons, registers,
assessments, grades, dossiers and evidence. Each answers 4xx with the field's message (the
page keeps what was typed), stores nothing anywhere, and never answers 5xx: on SQLite and on
PostgreSQL, which refuses NUL bytes outright."""

from __future__ import annotations

import datetime as dt

import pytest

from assessments.models import AssessmentKind
from assessments.scoring import QuestionType
from certificates.models import DossierState
from certificates.services.common import target_competence_ids
from lms.accounts.models import Role, User
from lms.db import db
from tests.conftest import login
from tests.security.corpus import (
    MARK,
    MESSAGES,
    PAYLOADS,
    Case,
    send_case,
    stored_anywhere,
    with_value,
)


def _submitted_grade(app, trainee, trainer, assessment_id: int) -> int:
    """The id of the grade of a piece of work the trainee submitted through the API."""
    client = app.test_client()
    login(client, trainee)
    resp = client.post(
        f"/api/v1/assessments/{assessment_id}/submission",
        data={"text": "Lavoro"},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    client = app.test_client()
    login(client, trainer)
    (row,) = client.get(f"/api/v1/assessments/{assessment_id}/grades").get_json()["items"]
    return row["id"]


@pytest.fixture
def world(app, make):
    """A course with a lesson, an enrolled trainee, an assignment, a quiz, a graded
    submission and two dossiers (one being built, one under assessment)."""
    today = dt.date.today()
    trainer = make.user(Role.TRAINER)
    coordinator = make.coordinator()
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    enrolment = make.enrolment(course, trainee)
    lesson = make.lesson(course, trainer=trainer, date=course.start_date)
    module_id = lesson.module_id
    assignment = make.assessment(course, actor=trainer)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer)
    make.question(quiz, QuestionType.SHORT_TEXT, actor=trainer, accepted_answers="Roma")
    template = make.rubric(actor=trainer)
    building = make.dossier(state=DossierState.IDENTIFICATION, evidence=False)
    assessing = make.dossier(state=DossierState.UNDER_ASSESSMENT)
    competence = target_competence_ids(assessing)[0]
    w = {
        "trainer": trainer,
        "coordinator": coordinator,
        "trainee": trainee,
        "candidate": db.session.get(User, building.candidate_id),
        "expert": db.session.get(User, assessing.method_expert_id),
    }
    lesson_form = {
        "module_id": module_id,
        "date": (course.start_date + dt.timedelta(days=1)).isoformat(),
        "start_time": "09:00",
        "end_time": "11:00",
        "mode": "blended",
        "place": "Aula 2",
        "link": "https://meet.example.org/x",
        "trainer_id": trainer.id,
        "weeks": "1",
    }
    lesson_body = {**lesson_form, "weeks": 1}
    assessment_form = {
        "title": "Prova corpus",
        "kind": "assignment",
        "module_id": "",
        "instructions": "Istruzioni",
        "opens_at": f"{today.isoformat()}T09:00",
        "closes_at": f"{(today + dt.timedelta(days=5)).isoformat()}T18:00",
        "max_points": "10",
        "pass_mark": "6",
        "weight": "1",
        "late_policy": "refuse",
        "marking_tolerance": "0",
    }
    assessment_body = {
        "title": "Prova corpus",
        "kind": "assignment",
        "instructions": "Istruzioni",
        "opens_at": f"{today.isoformat()}T09:00:00+01:00",
        "closes_at": f"{(today + dt.timedelta(days=5)).isoformat()}T18:00:00+01:00",
        "max_points": "10",
        "pass_mark": "6",
    }
    question = {
        "kind": "short_text",
        "prompt": "Capitale?",
        "points": "1",
        "accepted_answers": "Roma",
        "feedback": "Bene",
        "partial_credit": "all_or_nothing",
        "tolerance": "0",
    }
    evidence = {
        "kind": "document",
        "type": "result",
        "value": "third",
        "title": "Attestato",
        "description": "Descrizione",
        "issuer": "Ente",
    }
    decision = {
        "outcome": "validated",
        "method": "documentary",
        "reasons": "Evidenze sufficienti",
        "version": 0,
    }
    graded = make.assessment(course, actor=trainer)
    grade_id = _submitted_grade(app, trainee, trainer, graded.id)
    rid, eid, aid = lesson.id, enrolment.id, assignment.id
    cid, bid, did = course.id, building.id, assessing.id
    cases = {
        # --- pages
        "lesson_new_page": Case(
            "coordinator",
            "POST",
            f"/percorsi/{cid}/lezioni/nuova",
            lesson_form,
            {"place": "line", "link": "line"},
        ),
        "lesson_edit_page": Case(
            "coordinator",
            "POST",
            f"/lezioni/{rid}/modifica",
            {**lesson_form, "date": course.start_date.isoformat(), "reason": "Spostata"},
            {"place": "line", "link": "line", "reason": "line"},
        ),
        "lesson_cancel_page": Case(
            "coordinator",
            "POST",
            f"/lezioni/{rid}/annulla",
            {"reason": "Sciopero"},
            {"reason": "text"},
        ),
        "register_page": Case(
            "trainer",
            "POST",
            f"/lezioni/{rid}/registro",
            {f"status_{eid}": "present", f"v_{eid}": "0", f"note_{eid}": "", "action": "save"},
            {f"note_{eid}": "text"},
        ),
        "withdraw_page": Case(
            "coordinator",
            "POST",
            f"/iscrizioni/{eid}/ritiro",
            {"reason": "Trasferito"},
            {"reason": "text"},
        ),
        "assessment_new_page": Case(
            "trainer",
            "POST",
            f"/percorsi/{cid}/valutazioni/nuova",
            assessment_form,
            {"title": "name", "instructions": "text"},
        ),
        "question_page": Case(
            "trainer",
            "POST",
            f"/valutazioni/{quiz.id}/domande",
            question,
            {"prompt": "text", "accepted_answers": "text", "feedback": "text"},
        ),
        "template_page": Case(
            "trainer",
            "POST",
            "/griglie",
            {"title": "Griglia", "description": ""},
            {"title": "name", "description": "text"},
        ),
        "criterion_page": Case(
            "trainer",
            "POST",
            f"/griglie/{template.id}/criteri",
            {"title": "Criterio", "description": "", "levels": "0 | Basso | x\n3 | Alto | y"},
            {"title": "name", "description": "text", "levels": "text"},
        ),
        "submission_page": Case(
            "trainee",
            "POST",
            f"/valutazioni/{aid}/consegna",
            {"text": "Il mio lavoro"},
            {"text": "text"},
        ),
        "evidence_page": Case(
            "candidate",
            "POST",
            f"/dossier/{bid}/evidenze/nuova",
            evidence,
            {"title": "name", "description": "text", "issuer": "name"},
            kind="multipart",
        ),
        "observation_page": Case(
            "expert",
            "POST",
            f"/dossier/{did}/osservazioni/nuova",
            {
                "title": "Osservazione",
                "description": "Visto",
                "date": today.isoformat(),
                "type": "result",
            },
            {"title": "name", "description": "text"},
        ),
        "grade_page": Case(
            "trainer",
            "POST",
            f"/valutazioni/{graded.id}/corsisti/{trainee.id}",
            {"score": "7", "feedback": "", "version": "0", "action": "draft"},
            {"feedback": "text"},  # the note is on the page of observed assessments only
        ),
        "decision_page": Case(
            "expert",
            "POST",
            f"/dossier/{did}/valutazione/{competence}",
            {**decision, "version": "0"},
            {"reasons": "text", "test_result": "text"},
        ),
        # --- API bodies
        "lesson_api": Case(
            "coordinator",
            "POST",
            f"/api/v1/courses/{cid}/lessons",
            lesson_body,
            {"place": "line", "link": "line"},
            kind="json",
        ),
        "attendance_api": Case(
            "trainer",
            "PUT",
            f"/api/v1/lessons/{rid}/attendance",
            {"records": [{"enrolment_id": eid, "status": "present", "version": 0, "note": ""}]},
            {"records.0.note": "text"},
            kind="json",
        ),
        "withdraw_api": Case(
            "coordinator",
            "POST",
            f"/api/v1/enrolments/{eid}/withdraw",
            {"reason": "Trasferito"},
            {"reason": "text"},
            kind="json",
        ),
        "assessment_api": Case(
            "trainer",
            "POST",
            f"/api/v1/courses/{cid}/assessments",
            assessment_body,
            {"title": "name", "instructions": "text"},
            kind="json",
        ),
        "question_api": Case(
            "trainer",
            "POST",
            f"/api/v1/assessments/{quiz.id}/questions",
            {
                "kind": "short_text",
                "prompt": "Capitale?",
                "points": "1",
                "accepted_answers": ["Roma"],
                "feedback": "",
            },
            {"prompt": "text", "feedback": "text", "accepted_answers.0": "line"},
            kind="json",
        ),
        "mark_api": Case(
            "trainer",
            "PUT",
            f"/api/v1/grades/{grade_id}/mark",
            {"version": 0, "score": "7", "feedback": "", "note": "", "complete": False},
            {"feedback": "text", "note": "text"},
            kind="json",
        ),
        "submission_api": Case(
            "trainee",
            "POST",
            f"/api/v1/assessments/{aid}/submission",
            {"text": "Il mio lavoro"},
            {"text": "text"},
            kind="multipart",
        ),
        "evidence_api": Case(
            "candidate",
            "POST",
            f"/api/v1/dossiers/{bid}/evidence",
            evidence,
            {"title": "name", "description": "text", "issuer": "name"},
            kind="multipart",
        ),
        "decision_api": Case(
            "expert",
            "PUT",
            f"/api/v1/dossiers/{did}/decisions/{competence}",
            decision,
            {"reasons": "text", "test_result": "text"},
            kind="json",
        ),
        "transition_api": Case(
            "coordinator",
            "POST",
            f"/api/v1/dossiers/{bid}/transitions",
            {"to": "withdrawn", "comment": "Ritirato"},
            {"comment": "text"},
            kind="json",
        ),
    }
    return w, cases


CASES = [
    "lesson_new_page",
    "lesson_edit_page",
    "lesson_cancel_page",
    "register_page",
    "withdraw_page",
    "assessment_new_page",
    "question_page",
    "template_page",
    "criterion_page",
    "submission_page",
    "evidence_page",
    "observation_page",
    "grade_page",
    "decision_page",
    "lesson_api",
    "attendance_api",
    "withdraw_api",
    "assessment_api",
    "question_api",
    "mark_api",
    "submission_api",
    "evidence_api",
    "decision_api",
    "transition_api",
]


@pytest.mark.parametrize("name", CASES)
def test_hostile_text_in_every_field_is_refused(app, world, name):
    w, cases = world
    case = cases[name]
    client = app.test_client()
    login(client, w[case.actor])
    failures = []
    for path, kind in case.fields.items():
        for payload_name, payload in PAYLOADS.items():
            if payload_name == "rlo" and kind != "name":
                continue  # bidi controls are ordinary text outside names and titles
            resp = send_case(client, case, with_value(case.base, path, payload))
            body = resp.get_data(as_text=True)
            where = f"{path}/{payload_name}"
            if resp.status_code not in (400, 422):  # refused as input, not a 403, 404 or 409
                failures.append(f"{where}: {resp.status_code} {body[:200]!r}")
                continue
            if case.kind == "json" or case.url.startswith("/api/"):
                problem = (resp.get_json(silent=True) or {}).get("error", {})
                key = (
                    path.split(".")[-1] if not path.split(".")[-1].isdigit() else path.split(".")[0]
                )
                if not any(
                    k == path or k.endswith(key) or key in k for k in problem.get("fields", {})
                ):
                    failures.append(f"{where}: no field message {problem}")
            else:
                if not any(m in body for m in MESSAGES):
                    failures.append(f"{where}: no message on the page")
                if MARK not in body:
                    failures.append(f"{where}: the page lost what was typed")
            stored = stored_anywhere()
            if stored:
                failures.append(f"{where}: stored in {stored}")
    assert not failures, "\n".join(failures)
    # The valid form itself goes through: the test can fail for the right reason only.
    resp = send_case(client, case, case.base)
    assert resp.status_code < 400, (name, resp.status_code, resp.get_data(as_text=True)[:300])
