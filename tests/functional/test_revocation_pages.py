"""Revocation and reissue pages and API: coordinators confirm with a reason or a note; the
holder and other people get 404; the verification page follows."""

from __future__ import annotations

import datetime as dt
import html

import pytest

from certificates.models import DocumentKind, DossierState
from certificates.services import issuing
from lms.accounts.models import Role, User
from lms.db import db
from tests.conftest import login

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
REASON = "Rilasciato per errore a una persona omonima."


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


def test_a_coordinator_revokes_through_the_confirmation_page(login_as, make):
    doc = make.issued_document()
    client = login_as(make.coordinator())
    page = client.get(f"/documenti/{doc.id}/revoca").get_data(as_text=True)
    assert "Revoca il documento" in page and doc.code in page
    resp = client.post(f"/documenti/{doc.id}/revoca", data={"reason": ""})
    assert resp.status_code == 422
    assert "Indica un motivo" in html.unescape(resp.get_data(as_text=True))
    resp = client.post(f"/documenti/{doc.id}/revoca", data={"reason": REASON})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/verify/{doc.code}")
    page = client.get(f"/verify/{doc.code}").get_data(as_text=True)
    assert "Stato del documento: Revocato" in page and REASON in page
    assert "Il documento " + doc.code + " è revocato." in html.unescape(page)
    page = client.get(f"/documenti/{doc.id}/revoca").get_data(as_text=True)
    assert "Questo documento è già revocato." in html.unescape(page)


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_the_verification_page_offers_the_actions_to_coordinators_only(app, client, make):
    doc = make.issued_document()
    anonymous = client.get(f"/verify/{doc.code}").get_data(as_text=True)
    assert f"/documenti/{doc.id}/revoca" not in anonymous
    holder = _client(app, db.session.get(User, doc.holder_id))
    assert f"/documenti/{doc.id}/revoca" not in holder.get(f"/verify/{doc.code}").get_data(
        as_text=True
    )
    assert holder.get(f"/documenti/{doc.id}/revoca").status_code == 404
    assert holder.post(f"/documenti/{doc.id}/revoca", data={"reason": REASON}).status_code == 404
    coordinator = _client(app, make.coordinator())
    page = coordinator.get(f"/verify/{doc.code}").get_data(as_text=True)
    assert f"/documenti/{doc.id}/revoca" in page and f"/documenti/{doc.id}/riemissione" in page


def test_the_api_revokes_once(app, login_as, make):
    doc = make.issued_document()
    trainer = _client(app, make.user(Role.TRAINER))
    assert (
        trainer.post(f"/api/v1/documents/{doc.id}/revoke", json={"reason": REASON}).status_code
        == 404
    )
    client = login_as(make.coordinator())
    bad = client.post(f"/api/v1/documents/{doc.id}/revoke", json={"reason": " "})
    assert bad.status_code == 422 and "reason" in bad.get_json()["error"]["fields"]
    resp = client.post(f"/api/v1/documents/{doc.id}/revoke", json={"reason": REASON})
    assert resp.status_code == 200
    data = resp.get_json()
    assert data["status"] == "revoked" and data["revocation_reason"] == REASON
    again = client.post(f"/api/v1/documents/{doc.id}/revoke", json={"reason": REASON})
    assert again.status_code == 409


def test_reissue_through_the_page_and_the_api(login_as, make):
    dossier = make.dossier(state=DossierState.DECIDED)
    coordinator = make.coordinator()
    cert, full, _verbale = issuing.issue_dossier(
        coordinator, dossier, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
    )
    db.session.commit()
    client = login_as(coordinator)
    assert "Riemetti il documento" in client.get(f"/documenti/{cert.id}/riemissione").get_data(
        as_text=True
    )
    resp = client.post(f"/documenti/{cert.id}/riemissione", data={"note": "Corretto il nome."})
    assert resp.status_code == 303
    new_path = resp.headers["Location"]
    page = client.get(new_path).get_data(as_text=True)
    assert "Stato del documento: Valido" in page and f'href="/verify/{cert.code}"' in page
    assert "Corretto il nome." in page
    api = client.post(f"/api/v1/documents/{full.id}/reissue", json={"note": "Corretta una data."})
    assert api.status_code == 201
    data = api.get_json()
    assert data["supersedes"] == full.code and data["status"] == "valid"
    assert data["kind"] == "dossier" and data["verification_url"].endswith(data["code"])
    old = client.get(f"/api/v1/verify/{full.code}").get_json()
    assert old["status"] == "superseded" and old["superseded_by"]["code"] == data["code"]
    assert (
        client.post(f"/api/v1/documents/{full.id}/reissue", json={"note": "ancora"}).status_code
        == 409
    )


def test_the_holder_reads_the_notice_in_italian_with_a_link_to_the_page(app, make):
    doc = make.issued_document()
    coordinator = _client(app, make.coordinator())
    coordinator.post(f"/documenti/{doc.id}/revoca", data={"reason": REASON})
    holder = _client(app, db.session.get(User, doc.holder_id))
    page = html.unescape(holder.get("/notifiche").get_data(as_text=True))
    assert f"Il tuo documento {doc.code} è stato revocato" in page
    assert f"Motivo: {REASON}" in page and f"/verify/{doc.code}" in page
