"""Issuing every decided dossier of a course in one background action: a batch with one
failing render leaves that dossier decided (no document, no stored file) and the others
issued; the coordinator sees the failure and retries it (issue 9, point 8)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from certificates.models import Dossier, DossierState, IssuedDocument
from certificates.services import issuing
from lms.accounts.models import Role
from lms.db import db
from lms.files.models import StoredFile
from lms.jobs.models import Job, JobItem
from lms.pdf import PdfError
from tests.conftest import login


def _course_with_decided(make, n=3):
    coordinator = make.coordinator()
    course = make.course()
    dossiers = [make.dossier(state=DossierState.DECIDED) for _ in range(n)]
    for d in dossiers:
        d.course_id = course.id  # resting on the course (attendance is not what is tested)
    db.session.commit()
    return coordinator, course, dossiers


@pytest.fixture
def one_render_fails(monkeypatch):
    """The renderer fails for one dossier only, the way a pathological document does."""
    failing: set[int] = set()
    real = issuing.render_document

    def render(kind, context):
        if context.dossier.id in failing:
            raise PdfError("the PDF renderer stopped: time limit reached")
        return real(kind, context)

    monkeypatch.setattr(issuing, "render_document", render)
    return failing


def test_one_failing_render_leaves_that_dossier_decided(app, make, login_as, one_render_fails):
    coordinator, course, (a, bad, c) = _course_with_decided(make)
    one_render_fails.add(bad.id)
    files_before = db.session.scalar(select(func.count(StoredFile.id)))
    client = login_as(coordinator)
    page = client.get(f"/percorsi/{course.id}/dossier/emissione")
    assert page.status_code == 200 and "3 dossier" in page.get_data(as_text=True)
    resp = client.post(
        f"/percorsi/{course.id}/dossier/emissione", data={"certificate_kind": "certificate"}
    )
    assert resp.status_code == 303
    job = db.session.scalar(select(Job).order_by(Job.id.desc()))
    assert resp.headers["Location"].endswith(f"/lavori/{job.id}")
    db.session.expire_all()
    states = {d.id: db.session.get(Dossier, d.id).state for d in (a, bad, c)}
    assert states == {
        a.id: DossierState.ISSUED,
        bad.id: DossierState.DECIDED,
        c.id: DossierState.ISSUED,
    }
    assert (
        db.session.scalar(
            select(func.count(IssuedDocument.id)).where(IssuedDocument.dossier_id == bad.id)
        )
        == 0
    )
    # Six documents (3 each for two dossiers), no stored file left by the failed one.
    assert db.session.scalar(select(func.count(StoredFile.id))) == files_before + 6
    items = {i.key: i for i in db.session.scalars(select(JobItem).where(JobItem.job_id == job.id))}
    failed = items[f"dossier:{bad.id}"]
    assert failed.state.value == "failed" and failed.attempts == app.config["JOBS_MAX_ATTEMPTS"]
    progress = client.get(f"/lavori/{job.id}").get_data(as_text=True)
    assert "non riuscit" in progress.lower()
    # The renderer works again: the coordinator retries, the last dossier is issued.
    one_render_fails.clear()
    assert client.post(f"/lavori/{job.id}/riprova").status_code == 303
    db.session.expire_all()
    assert db.session.get(Dossier, bad.id).state == DossierState.ISSUED


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_api_starts_the_job_and_only_staff_may(app, make):
    coordinator, course, _dossiers = _course_with_decided(make, n=1)
    trainer = make.user(Role.TRAINER)
    staff = _client(app, coordinator)
    assert (
        _client(app, trainer)
        .post(f"/api/v1/courses/{course.id}/issue", json={"certificate_kind": "certificate"})
        .status_code
        == 403
    )
    resp = staff.post(f"/api/v1/courses/{course.id}/issue", json={"certificate_kind": "validation"})
    assert resp.status_code == 202, resp.get_json()
    assert resp.get_json()["id"]
    again = staff.post(
        f"/api/v1/courses/{course.id}/issue", json={"certificate_kind": "validation"}
    )
    assert again.status_code == 409  # nothing left to issue
