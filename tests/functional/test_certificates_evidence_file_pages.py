"""Removing one file from a piece of evidence through the page (a confirmation, then a POST
with its CSRF token) and the API (DELETE): 404 for ids outside the scope, 409 once the
dossier is submitted."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from certificates.models import DossierState, EvidenceFile
from certificates.services import evidence
from lms.accounts.models import User
from lms.db import db
from lms.files.models import StoredFile
from tests.access.world import PDF
from tests.conftest import login
from tests.unit.certificates_helpers import document

S = DossierState


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


def _client(app, user_id):
    c = app.test_client()
    login(c, db.session.get(User, user_id))
    return c


def _evidence_with_files(d, *names):
    candidate = db.session.get(User, d.candidate_id)
    ev = evidence.add_evidence(candidate, d, document(), files=[(n, PDF) for n in names])
    db.session.commit()
    ids = db.session.scalars(
        select(EvidenceFile.stored_file_id)
        .where(EvidenceFile.evidence_id == ev.id)
        .order_by(EvidenceFile.stored_file_id)
    ).all()
    return ev.id, ids


def test_the_page_asks_for_confirmation_then_removes_the_file(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    ev_id, (first, second) = _evidence_with_files(d, "lettera.pdf", "contratto.pdf")
    c = _client(app, d.candidate_id)
    edit = c.get(f"/dossier/{d.id}/evidenze/{ev_id}").get_data(as_text=True)
    url = f"/dossier/{d.id}/evidenze/{ev_id}/file/{first}/elimina"
    assert url in edit and url in c.get(f"/dossier/{d.id}").get_data(as_text=True)
    page = c.get(url)
    assert page.status_code == 200 and "lettera.pdf" in page.get_data(as_text=True)
    assert db.session.get(StoredFile, first) is not None  # GET changes nothing
    resp = c.post(url)
    assert resp.status_code == 303
    assert resp.headers["Location"].endswith(f"/dossier/{d.id}/evidenze/{ev_id}")
    db.session.expire_all()
    assert db.session.get(StoredFile, first) is None
    assert db.session.get(StoredFile, second) is not None
    assert c.get(url).status_code == 404  # already gone


def test_the_page_needs_the_csrf_token(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    ev_id, (file_id,) = _evidence_with_files(d, "lettera.pdf")
    c = _client(app, d.candidate_id)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        resp = c.post(f"/dossier/{d.id}/evidenze/{ev_id}/file/{file_id}/elimina")
        assert resp.status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    db.session.expire_all()
    assert db.session.get(StoredFile, file_id) is not None


def test_the_api_removes_a_file_and_answers_404_outside_the_scope(app, make):
    d = make.dossier(state=S.IDENTIFICATION, evidence=False)
    ev_id, (first, second) = _evidence_with_files(d, "lettera.pdf", "contratto.pdf")
    other = make.dossier(state=S.IDENTIFICATION, evidence=False)
    other_ev, (other_file,) = _evidence_with_files(other, "altro.pdf")
    c = _client(app, d.candidate_id)
    base = f"/api/v1/dossiers/{d.id}/evidence"
    for url in (
        f"{base}/{ev_id}/files/{other_file}",  # another dossier's file
        f"{base}/{other_ev}/files/{other_file}",  # another dossier's evidence
        f"/api/v1/dossiers/{other.id}/evidence/{other_ev}/files/{other_file}",
        f"{base}/{ev_id}/files/999999",
    ):
        assert c.delete(url).status_code == 404, url
    expert = _client(app, d.method_expert_id)
    assert expert.delete(f"{base}/{ev_id}/files/{first}").status_code == 403
    resp = c.delete(f"{base}/{ev_id}/files/{first}")
    assert resp.status_code == 200
    assert [f["id"] for f in resp.get_json()["files"]] == [second]
    assert db.session.get(StoredFile, other_file) is not None
    assert (
        c.post(f"/api/v1/dossiers/{d.id}/transitions", json={"to": "submitted"}).status_code == 200
    )
    page = c.get(f"/dossier/{d.id}/evidenze/{ev_id}/file/{second}/elimina")
    assert page.status_code == 200 and "non possono più cambiare" in page.get_data(as_text=True)
    assert 'method="post"' not in page.get_data(as_text=True).split("<main")[1]
    refused = c.delete(f"{base}/{ev_id}/files/{second}")
    assert refused.status_code == 409 and refused.get_json()["error"]["code"]
    db.session.expire_all()
    assert db.session.get(StoredFile, second) is not None
