"""Issued documents in lists: the code links to the public verification page; revoke and
reissue are offered inline (no-JS forms with the reason) to whoever may, audited as on the
confirmation pages, and the form returns to the list it came from."""

from __future__ import annotations

import datetime as dt
import html

import pytest
from sqlalchemy import select

from certificates.models import DocumentKind, DossierState
from certificates.services import issuing
from certificates.services.documents import document_status
from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.db import db
from tests.conftest import login

NOW = dt.datetime(2026, 11, 30, 9, 0, tzinfo=dt.UTC)
REASON = "Rilasciato per errore a una persona omonima."


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


def _client(app, user):
    client = app.test_client()
    login(client, user)
    return client


def test_the_code_links_to_verification_and_only_staff_get_the_forms(app, make):
    doc = make.issued_document()
    link = f'href="/verify/{doc.code}"'
    coordinator = _client(app, make.coordinator())
    for path in ("/documenti", f"/dossier/{doc.dossier_id}"):
        page = coordinator.get(path).get_data(as_text=True)
        assert link in page, path
        assert f'action="/documenti/{doc.id}/revoca"' in page, path
        assert f'action="/documenti/{doc.id}/riemissione"' in page, path
        assert f'id="reason-{doc.id}"' in page and f'for="reason-{doc.id}"' in page
    holder = _client(app, db.session.get(User, doc.holder_id))
    page = holder.get("/documenti").get_data(as_text=True)
    assert link in page
    assert f"/documenti/{doc.id}/revoca" not in page
    assert f"/documenti/{doc.id}/riemissione" not in page
    page = holder.get(f"/documenti/{doc.id}/credenziali").get_data(as_text=True)
    assert link in page and "&lt;a" not in page  # the link is markup, not escaped text


def test_revoking_from_the_list_is_audited_and_returns_to_the_list(app, make):
    doc = make.issued_document()
    coordinator = _client(app, make.coordinator())
    resp = coordinator.post(
        f"/documenti/{doc.id}/revoca", data={"reason": "  ", "next": "/documenti"}
    )
    assert resp.status_code == 422 and "Indica un motivo" in html.unescape(resp.get_data(True))
    assert document_status(doc).value == "valid"
    resp = coordinator.post(
        f"/documenti/{doc.id}/revoca", data={"reason": REASON, "next": "/documenti"}
    )
    assert resp.status_code == 303 and resp.headers["Location"] == "/documenti"
    page = html.unescape(coordinator.get("/documenti").get_data(as_text=True))
    assert f"Il documento {doc.code} è revocato." in page
    assert f'action="/documenti/{doc.id}/revoca"' not in page  # revoked: nothing more to do
    entry = db.session.scalars(
        select(AuditEntry).where(
            AuditEntry.action == "document.revoked", AuditEntry.object_id == str(doc.id)
        )
    ).one()
    assert entry.reason == REASON


def test_a_foreign_next_is_ignored(app, make):
    doc = make.issued_document()
    coordinator = _client(app, make.coordinator())
    for target in ("https://example.org/", "//example.org/x"):
        other = make.issued_document()
        resp = coordinator.post(
            f"/documenti/{other.id}/revoca", data={"reason": REASON, "next": target}
        )
        assert resp.headers["Location"].endswith(f"/verify/{other.code}")
    assert document_status(doc).value == "valid"


def test_reissuing_from_the_dossier_page_returns_to_it(app, make):
    dossier = make.dossier(state=DossierState.DECIDED)
    coordinator = make.coordinator()
    cert, _full, _verbale = issuing.issue_dossier(
        coordinator, dossier, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
    )
    db.session.commit()
    client = _client(app, coordinator)
    back = f"/dossier/{dossier.id}"
    resp = client.post(
        f"/documenti/{cert.id}/riemissione", data={"note": "Corretto il nome.", "next": back}
    )
    assert resp.status_code == 303 and resp.headers["Location"] == back
    assert document_status(cert).value == "superseded"
    page = client.get(back).get_data(as_text=True)
    assert f'action="/documenti/{cert.id}/riemissione"' not in page
    assert f'href="/verify/{cert.code}"' in page
