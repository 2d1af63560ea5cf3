"""Input rules (issue 11, point 5): hostile texts and numbers sent to representative API
bodies and forms of every package answer 4xx with a field message, store nothing, and never
answer 5xx, on SQLite and on PostgreSQL (which refuses NUL bytes outright)."""

from __future__ import annotations

import io
import json

import pytest
from sqlalchemy import func, select

from assessments.models import AssessmentKind
from assessments.schemas import MarkInSchema
from certificates.models import DossierState, Evidence
from courses.models import AttendanceRecord, Course
from lms.accounts.models import Role, User
from lms.api.io import load
from lms.db import db
from lms.errors import ValidationFailed
from lms.organisations.models import Organisation
from lms.organisations.validation import make_partita_iva
from lms.validation import text_problem, whole_number
from tests.conftest import login

# Refused in every text field.
CONTROL = {"nul": "Corso\x00sicuro", "vt": "Corso\x0bsicuro", "esc": "Corso\x1b[31m"}
# Refused in names and titles only.
BIDI = {"rlo": "Corso \u202efdp.exe", "lri": "Corso \u2066x\u2069"}
LONG = "x" * 100_000
HOSTILE_NAMES = {**CONTROL, **BIDI, "long": LONG, "newline": "Corso\nsicuro"}
HOSTILE_NOTES = {**CONTROL, "long": LONG}
# Stored as typed: they are ordinary text.
BENIGN = {"emoji": "Corso 🎓 sicurezza", "combining": "Cafe\u0301 e\u0300 piu\u0300"}
# Numbers as raw JSON tokens (json cannot write 1e400 or NaN, a client can).
HOSTILE_NUMBERS = ["1e400", "1" * 400, '"1_0"', '"١٢"', '"-0"', "NaN", str(10**30), "12.5"]


def client_for(app, user):
    c = app.test_client()
    login(c, user)
    return c


def count(model) -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(model))


def raw_json(client, method: str, url: str, body: dict, **tokens):
    """Send a body with some values written as raw JSON tokens."""
    text = json.dumps(body)
    for key, token in tokens.items():
        text = text.replace(json.dumps(f"@{key}@"), token)
    return client.open(url, method=method, data=text, content_type="application/json")


def assert_refused(resp, field: str):
    assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:300])
    problem = resp.get_json()["error"]
    assert any(k == field or k.endswith(f".{field}") for k in problem["fields"]), problem


# --- the rules themselves -------------------------------------------------------------------


def test_text_rules(app):
    with app.test_request_context():
        for text in CONTROL.values():
            assert text_problem(text)
            assert text_problem(text, name_like=True)
        for text in BIDI.values():
            assert text_problem(text) is None  # a multi-line text may quote any script
            assert text_problem(text, name_like=True)
        assert text_problem("a\tb\nc\r\n") is None
        assert text_problem("a\nb", multiline=False)
        assert text_problem("\ud800")  # a lone surrogate cannot be encoded
        for text in BENIGN.values():
            assert text_problem(text, name_like=True) is None


@pytest.mark.parametrize("raw", ["1_0", "١٢", "-0", "-3", "1" * 40, "1e3", " ", True, 1.5, 10**30])
def test_whole_numbers_are_read_strictly(app, raw):
    with app.test_request_context(), pytest.raises(ValidationFailed) as err:
        whole_number(raw, "n", low=0, high=1000)
    assert err.value.fields == {"n": [str(err.value.message)]}


def test_whole_numbers_in_range(app):
    with app.test_request_context():
        assert whole_number(" 42 ", "n") == 42
        assert whole_number(-5, "n", low=-10) == -5


# --- courses --------------------------------------------------------------------------------


def _course_body(**kw):
    return {
        "title": "Percorso API",
        "start_date": "2026-01-01",
        "end_date": "2026-06-30",
        "assessment_threshold_pct": 70,
        "certification_threshold_pct": 75,
        **kw,
    }


@pytest.fixture
def coordinator_client(app, make):
    return client_for(app, make.coordinator())


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_course_title_refused(coordinator_client, name):
    resp = coordinator_client.post("/api/v1/courses", json=_course_body(title=HOSTILE_NAMES[name]))
    assert_refused(resp, "title")
    assert count(Course) == 0


@pytest.mark.parametrize("token", HOSTILE_NUMBERS)
def test_course_numbers_refused(coordinator_client, token):
    resp = raw_json(
        coordinator_client, "POST", "/api/v1/courses", _course_body(capacity="@n@"), n=token
    )
    assert_refused(resp, "capacity")
    assert count(Course) == 0


@pytest.mark.parametrize("name", BENIGN)
def test_course_title_benign_is_stored_as_typed(coordinator_client, name):
    resp = coordinator_client.post("/api/v1/courses", json=_course_body(title=BENIGN[name]))
    assert resp.status_code == 201, resp.get_json()
    assert resp.get_json()["title"] == BENIGN[name]


@pytest.mark.parametrize("value", ["1" * 40, "١", "1_0", "-1", "0"])
def test_pagination_never_500(coordinator_client, value):
    for arg in ("page", "per_page"):
        resp = coordinator_client.get(f"/api/v1/courses?{arg}={value}")
        assert resp.status_code == 422, resp.get_data(as_text=True)[:200]


@pytest.mark.parametrize("name", ["nul", "rlo", "newline"])
def test_course_form_refuses_and_keeps_what_was_typed(app, make, name):
    client = client_for(app, make.coordinator())
    resp = client.post(
        "/percorsi/nuovo",
        data={
            "title": HOSTILE_NAMES[name],
            "edition": "I",
            "start_date": "2026-01-01",
            "end_date": "2026-06-30",
            "assessment_threshold_pct": "70",
            "certification_threshold_pct": "75",
        },
    )
    assert resp.status_code == 422
    assert "sicuro" in resp.get_data(as_text=True) or "Corso" in resp.get_data(as_text=True)
    assert count(Course) == 0


@pytest.fixture
def register(app, make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    enrolment = make.enrolment(course, make.user(Role.TRAINEE))
    lesson = make.lesson(course, trainer=trainer, date=course.start_date)
    return client_for(app, trainer), lesson.id, enrolment.id


@pytest.mark.parametrize("name", HOSTILE_NOTES)
def test_attendance_note_refused(register, name):
    client, lesson_id, enrolment_id = register
    line = {"enrolment_id": enrolment_id, "status": "present", "version": 0}
    resp = client.put(
        f"/api/v1/lessons/{lesson_id}/attendance",
        json={"records": [{**line, "note": HOSTILE_NOTES[name]}]},
    )
    assert_refused(resp, "note")
    assert count(AttendanceRecord) == 0


@pytest.mark.parametrize("token", HOSTILE_NUMBERS)
def test_attendance_minutes_refused(register, token):
    client, lesson_id, enrolment_id = register
    line = {"enrolment_id": enrolment_id, "status": "late", "version": 0, "minutes": "@n@"}
    resp = raw_json(
        client, "PUT", f"/api/v1/lessons/{lesson_id}/attendance", {"records": [line]}, n=token
    )
    assert_refused(resp, "minutes")
    assert count(AttendanceRecord) == 0


# --- accounts and organisations -------------------------------------------------------------


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_user_full_name_refused(app, make, name):
    client = client_for(app, make.admin())
    before = count(User)
    resp = client.post(
        "/api/v1/users",
        json={"email": "nuova@example.org", "full_name": HOSTILE_NAMES[name], "roles": ["trainee"]},
    )
    assert_refused(resp, "full_name")
    assert count(User) == before


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_organisation_name_refused(app, make, name):
    client = client_for(app, make.admin())
    body = {"name": HOSTILE_NAMES[name], "tax_code": make_partita_iva("0123456789")}
    resp = client.post("/api/v1/organisations", json={**body, "size_band": "small"})
    assert_refused(resp, "name")
    assert count(Organisation) == 0


@pytest.mark.parametrize("name", ["nul", "lri"])
def test_organisation_form_refuses(app, make, name):
    client = client_for(app, make.admin())
    resp = client.post(
        "/admin/organizzazioni/nuova",
        data={
            "name": HOSTILE_NAMES[name],
            "tax_code": make_partita_iva("0123456789"),
            "sector": "Energia",
            "size_band": "medium",
        },
    )
    assert resp.status_code == 422
    assert count(Organisation) == 0


def test_csv_import_refuses_a_nul_row_with_its_line(app, make):
    client = client_for(app, make.admin())
    before = count(User)
    content = "email,full_name,roles\nbuona@example.org,Persona Buona,trainee\nx@example.org,Per\x00sona,trainee\n"
    resp = client.post(
        "/admin/utenti/importa",
        data={"file": (io.BytesIO(content.encode()), "persone.csv")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422
    assert "Riga 3" in resp.get_data(as_text=True)
    assert "Riga 2" not in resp.get_data(as_text=True)
    assert count(User) == before


# --- assessments ----------------------------------------------------------------------------


@pytest.fixture
def attempt(app, make):
    from assessments.scoring import QuestionType

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer)
    make.question(quiz, QuestionType.SHORT_TEXT, actor=trainer, points="1", accepted_answers="Roma")
    client = client_for(app, trainee)
    started = client.post(f"/api/v1/assessments/{quiz.id}/attempts").get_json()
    return client, started["id"], started["questions"][0]["id"]


@pytest.mark.parametrize("name", HOSTILE_NOTES)
def test_quiz_answer_refused(attempt, name):
    client, attempt_id, question_id = attempt
    resp = client.put(
        f"/api/v1/attempts/{attempt_id}/answers/{question_id}", json={"text": HOSTILE_NOTES[name]}
    )
    assert_refused(resp, "text")
    assert client.get(f"/api/v1/attempts/{attempt_id}").get_json()["answers"] == {}


@pytest.mark.parametrize("token", [t for t in HOSTILE_NUMBERS if t != "12.5"] + ['"12.5e0"'])
def test_grade_score_refused(app, token):
    with app.test_request_context(), pytest.raises(ValidationFailed) as err:
        load(MarkInSchema(), json.loads(f'{{"version": 0, "score": {token}}}'))
    assert "score" in err.value.fields


def test_grade_feedback_refused(app):
    with app.test_request_context(), pytest.raises(ValidationFailed) as err:
        load(MarkInSchema(), {"version": 0, "score": 3, "feedback": "ok\x00"})
    assert "feedback" in err.value.fields


# --- certificates ---------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["nul", "esc", "long"])
def test_dossier_comment_refused(app, make, name):
    d = make.dossier(state=DossierState.SUBMITTED)
    client = client_for(app, db.session.get(User, d.method_expert_id))
    resp = client.post(
        f"/api/v1/dossiers/{d.id}/transitions",
        json={"to": "under_assessment", "comment": HOSTILE_NOTES[name]},
    )
    assert_refused(resp, "comment")
    db.session.rollback()
    assert db.session.get(type(d), d.id).state is DossierState.SUBMITTED


@pytest.mark.parametrize("name", HOSTILE_NAMES)
def test_evidence_title_refused(app, make, name):
    d = make.dossier(state=DossierState.IDENTIFICATION, evidence=False)
    client = client_for(app, db.session.get(User, d.candidate_id))
    before = count(Evidence)
    resp = client.post(
        f"/api/v1/dossiers/{d.id}/evidence",
        data={"kind": "document", "type": "result", "value": "third", "title": HOSTILE_NAMES[name]},
        content_type="multipart/form-data",
    )
    assert_refused(resp, "title")
    assert count(Evidence) == before


def test_dates_in_bodies_never_500(coordinator_client):
    for bad in ("99999-01-01", "2026-02-30", "٢٠٢٦-01-01", "2026-01-01\x00"):
        resp = coordinator_client.post("/api/v1/courses", json=_course_body(start_date=bad))
        assert resp.status_code == 422
    assert count(Course) == 0


@pytest.mark.parametrize(
    ("title", "description"),
    [("Attestato \u202efdp.exe", ""), ("Attestato\nfalso", ""), ("Attestato", "riga\x00")],
)
def test_evidence_service_refuses_what_the_page_would_send(app, make, title, description):
    from certificates.models import EvidenceKind, EvidenceType, EvidenceValue
    from certificates.services.evidence import EvidenceInput, add_evidence

    d = make.dossier(state=DossierState.IDENTIFICATION, evidence=False)
    before = count(Evidence)
    data = EvidenceInput(
        kind=EvidenceKind.DOCUMENT,
        type=EvidenceType.RESULT,
        value=EvidenceValue.THIRD,
        title=title,
        description=description,
    )
    with app.test_request_context(), pytest.raises(ValidationFailed) as err:
        add_evidence(db.session.get(User, d.candidate_id), d, data)
    assert set(err.value.fields) <= {"title", "description"} and err.value.fields
    assert count(Evidence) == before
