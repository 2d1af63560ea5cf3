"""The public credential documents (issuer profile, JWKS, status list), the holder's page,
the .jwt download and GET /api/v1/documents/<id>/credentials."""

from __future__ import annotations

from certificates.models import DocumentRevocation
from lms.accounts.models import User
from lms.db import db
from tests.unit.credentials_helpers import Verifier, issue_for


def test_issuer_profile_publishes_the_key_that_verifies(app, client, make):
    resp = client.get("/credenziali/emittente")
    assert resp.status_code == 200
    assert resp.mimetype == "application/ld+json"
    assert resp.headers["Cache-Control"] == "public, max-age=3600"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    profile = resp.get_json()
    assert profile["id"] == "http://127.0.0.1:5000/credenziali/emittente"
    assert profile["type"] == ["Profile"] and profile["name"] and profile["url"]
    (method,) = profile["verificationMethod"]
    jwks = client.get("/.well-known/jwks.json")
    assert jwks.mimetype == "application/jwk-set+json"
    assert method["publicKeyJwk"] == jwks.get_json()["keys"][0]
    assert profile["jwks_uri"] == "http://127.0.0.1:5000/.well-known/jwks.json"
    assert "d" not in method["publicKeyJwk"]


def test_status_list_is_a_short_cached_signed_credential(app, client, make):
    resp = client.get("/credenziali/stato/1")
    assert resp.status_code == 200
    assert resp.mimetype == "application/vc+jwt"
    assert resp.headers["Cache-Control"] == "public, max-age=300"
    status_list = Verifier(client).decode(resp.get_data(as_text=True))
    assert status_list["type"] == ["VerifiableCredential", "BitstringStatusListCredential"]
    assert status_list["credentialSubject"]["type"] == "BitstringStatusList"
    assert client.get("/credenziali/stato/2").status_code == 404
    assert client.get("/credenziali/stato/0").status_code == 404


def test_holder_page_lists_and_downloads_each_credential(app, client, make, login_as):
    doc, rows = issue_for(make)
    holder = db.session.get(User, doc.holder_id)
    login_as(holder)
    page = client.get(f"/documenti/{doc.id}/credenziali")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert "Competenza 1" in html and "Scarica la credenziale (.jwt)" in html
    link = f"/documenti/{doc.id}/credenziali/{rows[0].id}.jwt"
    assert link in html
    resp = client.get(link)
    assert resp.status_code == 200
    assert resp.mimetype == "application/vc+jwt"
    assert "attachment" in resp.headers["Content-Disposition"]
    assert resp.get_data(as_text=True) == rows[0].token
    Verifier(client).decode(resp.get_data(as_text=True))


def test_api_lists_the_credentials_and_revocation_shows(app, client, make, login_as):
    doc, rows = issue_for(make)
    login_as(db.session.get(User, doc.holder_id))
    resp = client.get(f"/api/v1/documents/{doc.id}/credentials")
    assert resp.status_code == 200
    items = resp.get_json()
    assert [i["id"] for i in items] == [r.id for r in rows]
    first = items[0]
    assert first["jwt"] == rows[0].token
    assert first["credential"]["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert first["competence"]["code"] == "C1" and first["competence"]["name"] == "Competenza 1"
    assert first["download_url"] == f"/documenti/{doc.id}/credenziali/{rows[0].id}.jwt"
    verifier = Verifier(client)
    assert verifier.revoked(verifier.decode(first["jwt"])) is False
    db.session.add(
        DocumentRevocation(document_id=doc.id, reason="Revoca", revoked_by_id=make.coordinator().id)
    )
    db.session.commit()
    assert verifier.revoked(verifier.decode(first["jwt"])) is True


def test_another_persons_credentials_are_not_found(app, client, make, login_as):
    doc, _rows = issue_for(make)
    other, other_rows = issue_for(make)
    login_as(db.session.get(User, doc.holder_id))
    assert client.get(f"/api/v1/documents/{other.id}/credentials").status_code == 404
    assert client.get(f"/documenti/{other.id}/credenziali").status_code == 404
    # Another person's credential under one's own document: not found either.
    assert client.get(f"/documenti/{doc.id}/credenziali/{other_rows[0].id}.jwt").status_code == 404
