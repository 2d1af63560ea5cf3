"""Twenty people sending the same versioned change at once, on every resource with a version
(issue 11, point 6): attendance lines, register signatures, marks, grades (agreement),
submissions, evidence, dossier transitions and quiz attempts. Exactly one wins, the nineteen
others get 409 in the problem format (or the page again with 409), never a 500, on SQLite and
PostgreSQL."""

from __future__ import annotations

import io
from collections import Counter

from sqlalchemy import func, select

from assessments.models import AssessmentKind, Mark
from assessments.scoring import QuestionType
from certificates.models import DossierState, Evidence
from courses.models import AttendanceRecord
from lms.accounts.models import Role, User
from lms.db import db
from tests.security.test_concurrent_writes import N, _all_at_once, _clients

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _statuses(answers) -> Counter:
    return Counter(a[0] for a in answers)


def _problems_are_conflicts(answers) -> bool:
    return all(
        a[1] is None or a[1]["error"]["code"] in ("stale_edit", "conflict")
        for a in answers
        if a[0] == 409
    )


def _register(make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    enrolment = make.enrolment(course, make.user(Role.TRAINEE))
    lesson = make.lesson(course, trainer=trainer, date=course.start_date)
    return trainer, lesson, enrolment.id  # ids only: the threads have no app context


def test_twenty_concurrent_first_attendance_lines_one_wins(app, make):
    trainer, lesson, eid = _register(make)
    url = f"/api/v1/lessons/{lesson.id}/attendance"

    def send(c, i):
        line = {"enrolment_id": eid, "status": "present", "version": 0, "note": f"n{i}"}
        return c.put(url, json={"records": [line]})

    answers = _all_at_once(_clients(app, trainer), send)
    assert _statuses(answers) == {200: 1, 409: N - 1}, answers
    assert _problems_are_conflicts(answers)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(AttendanceRecord)) == 1


def test_twenty_concurrent_changes_of_one_attendance_line_one_wins(app, make):
    trainer, lesson, eid = _register(make)
    url = f"/api/v1/lessons/{lesson.id}/attendance"
    clients = _clients(app, trainer)
    first = {"enrolment_id": eid, "status": "present", "version": 0}
    assert clients[0].put(url, json={"records": [first]}).status_code == 200
    version = db.session.scalar(select(AttendanceRecord.version_id))

    def send(c, i):
        line = {"enrolment_id": eid, "status": "late", "minutes": 10 + i}
        return c.put(url, json={"records": [{**line, "version": version}]})

    answers = _all_at_once(clients, send)
    assert _statuses(answers) == {200: 1, 409: N - 1}, answers
    assert _problems_are_conflicts(answers)


def test_twenty_concurrent_signatures_of_one_register_one_wins(app, make):
    trainer, lesson, eid = _register(make)
    url = f"/api/v1/lessons/{lesson.id}/attendance"
    clients = _clients(app, trainer)
    line = {"enrolment_id": eid, "status": "present", "version": 0}
    saved = clients[0].put(url, json={"records": [line]})
    assert saved.status_code == 200, saved.get_json()
    version = saved.get_json()["register"]["version"]

    def send(c, i):
        return c.put(url, json={"records": [], "sign": True, "register_version": version})

    answers = _all_at_once(clients, send)
    assert _statuses(answers) == {200: 1, 409: N - 1}, answers
    assert _problems_are_conflicts(answers)


def _graded_work(make):
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer)
    return trainer, trainee, work


def _submit(app, trainee, work):
    c = _clients(app, trainee, 1)[0]
    resp = c.post(
        f"/api/v1/assessments/{work.id}/submission",
        data={"text": "Progetto", "files": (io.BytesIO(PDF), "p.pdf")},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 201, resp.get_json()
    return c, resp.get_json()


def test_twenty_concurrent_first_marks_one_wins(app, make):
    trainer, trainee, work = _graded_work(make)
    _submit(app, trainee, work)
    clients = _clients(app, trainer)
    (row,) = clients[0].get(f"/api/v1/assessments/{work.id}/grades").get_json()["items"]
    url = f"/api/v1/grades/{row['id']}/mark"

    def send(c, i):
        return c.put(url, json={"version": 0, "score": str(i % 10), "feedback": f"f{i}"})

    answers = _all_at_once(clients, send)
    assert _statuses(answers) == {200: 1, 409: N - 1}, answers
    assert _problems_are_conflicts(answers)
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Mark)) == 1


def test_twenty_concurrent_changes_of_one_mark_one_wins(app, make):
    trainer, trainee, work = _graded_work(make)
    _submit(app, trainee, work)
    clients = _clients(app, trainer)
    (row,) = clients[0].get(f"/api/v1/assessments/{work.id}/grades").get_json()["items"]
    url = f"/api/v1/grades/{row['id']}/mark"
    first = clients[0].put(url, json={"version": 0, "score": "5", "complete": False})
    assert first.status_code == 200, first.get_json()
    version = db.session.scalar(select(Mark.version_id))

    def send(c, i):
        return c.put(url, json={"version": version, "score": "6", "complete": False})

    answers = _all_at_once(clients, send)
    assert _statuses(answers) == {200: 1, 409: N - 1}, answers
    assert _problems_are_conflicts(answers)


def test_twenty_concurrent_resubmissions_one_wins(app, make):
    _trainer, trainee, work = _graded_work(make)
    _c, sub = _submit(app, trainee, work)
    url = f"/api/v1/assessments/{work.id}/submission"

    def send(c, i):
        return c.post(
            url,
            data={"text": f"Versione {i}", "version": str(sub["version"])},
            content_type="multipart/form-data",
        )

    answers = _all_at_once(_clients(app, trainee), send)
    ok = {k: v for k, v in _statuses(answers).items() if k < 300}
    assert sum(ok.values()) == 1 and _statuses(answers)[409] == N - 1, answers
    assert _problems_are_conflicts(answers)


def test_twenty_concurrent_first_submissions_one_wins(app, make):
    _trainer, trainee, work = _graded_work(make)
    url = f"/api/v1/assessments/{work.id}/submission"

    def send(c, i):
        return c.post(
            url, data={"text": f"Versione {i}", "version": "0"}, content_type="multipart/form-data"
        )

    answers = _all_at_once(_clients(app, trainee), send)
    ok = {k: v for k, v in _statuses(answers).items() if k < 300}
    assert sum(ok.values()) == 1 and _statuses(answers)[409] == N - 1, answers


def test_twenty_concurrent_evidence_edits_one_wins(app, make):
    d = make.dossier(state=DossierState.IDENTIFICATION)
    candidate = db.session.get(User, d.candidate_id)
    evidence = db.session.scalars(select(Evidence).where(Evidence.dossier_id == d.id)).first()
    url = f"/dossier/{d.id}/evidenze/{evidence.id}"
    version = evidence.version_id
    base = {
        "kind": evidence.kind.value,
        "type": evidence.type.value,
        "value": evidence.value.value,
        "description": "",
        "issuer": "Ente",
        "version": str(version),
    }

    def send(c, i):
        return c.post(url, data={**base, "title": f"Titolo {i}"})

    answers = _all_at_once(_clients(app, candidate), send)
    statuses = _statuses(answers)
    assert statuses[303] == 1 and statuses[409] == N - 1, answers


def test_twenty_concurrent_transitions_one_wins(app, make):
    d = make.dossier(state=DossierState.SUBMITTED)
    expert = db.session.get(User, d.method_expert_id)
    url = f"/api/v1/dossiers/{d.id}/transitions"

    def send(c, i):
        return c.post(url, json={"to": "under_assessment", "comment": f"Presa in carico {i}"})

    answers = _all_at_once(_clients(app, expert), send)
    assert _statuses(answers) == {200: 1, 409: N - 1}, answers
    assert _problems_are_conflicts(answers)


def test_twenty_concurrent_answers_to_one_attempt_never_500(app, make):
    """Answers carry no version (the last one typed counts): every answer is saved or
    refused with 409, none fails."""
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer)
    make.question(quiz, QuestionType.SHORT_TEXT, actor=trainer, accepted_answers="Roma")
    clients = _clients(app, trainee)
    started = clients[0].post(f"/api/v1/assessments/{quiz.id}/attempts").get_json()
    url = f"/api/v1/attempts/{started['id']}/answers/{started['questions'][0]['id']}"
    answers = _all_at_once(clients, lambda c, i: c.put(url, json={"text": f"Roma {i}"}))
    statuses = _statuses(answers)
    assert set(statuses) <= {200, 409} and statuses[200] >= 1, answers
    assert _problems_are_conflicts(answers)


def test_a_second_first_answer_is_a_stale_edit_on_both_databases(app, make):
    """The primary key of an answer names the race the same way on SQLite and PostgreSQL."""
    import pytest
    from sqlalchemy import insert

    from assessments.models import AttemptAnswer
    from lms.db import domain_errors
    from lms.errors import StaleEdit

    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    quiz = make.assessment(course, AssessmentKind.QUIZ, actor=trainer)
    make.question(quiz, QuestionType.SHORT_TEXT, actor=trainer, accepted_answers="Roma")
    started = _clients(app, trainee, 1)[0].post(f"/api/v1/assessments/{quiz.id}/attempts")
    row = {
        "attempt_id": started.get_json()["id"],
        "question_id": started.get_json()["questions"][0]["id"],
        "text": "Roma",
    }
    table = AttemptAnswer.__table__
    db.session.execute(insert(table).values(**{k: v for k, v in row.items() if k in table.c}))
    with pytest.raises(StaleEdit), domain_errors():
        db.session.execute(insert(table).values(**{k: v for k, v in row.items() if k in table.c}))
    db.session.rollback()
