"""Public verification by code: valid, revoked and superseded documents in the pages and the
API; mistyped codes with their messages; unknown codes reveal nothing; the upload check; the
rate limit."""

from __future__ import annotations

import datetime as dt
import html
import io

import pytest
from sqlalchemy import func, select

from certificates.models import DocumentKind, Dossier, DossierState
from certificates.services import revocation
from certificates.services.common import target_items
from lms.accounts.models import User
from lms.db import db
from lms.files.models import StoredFile
from lms.files.services import read_bytes
from tests.conftest import IsolatedClient, make_test_app

NOW = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)
REASON = "Competenza C2 riportata per errore."


@pytest.fixture(autouse=True)
def _app_context(app):
    return app


def _holder(doc):
    return db.session.get(User, doc.holder_id)


def _page(client, doc, locale=None):
    if locale:
        client.post("/lingua", data={"locale": locale, "next": "/verify"})
    resp = client.get(f"/verify/{doc.code}")
    assert resp.status_code == 200
    return resp.get_data(as_text=True)


def test_a_valid_certificate_shows_what_it_certifies(client, make):
    doc = make.issued_document()
    page = _page(client, doc)
    assert "Verifica di un documento" in page
    assert "Stato del documento: Valido" in page
    assert _holder(doc).full_name in page
    assert doc.sha256 in page and doc.code in page
    assert "30 novembre 2026" in page
    assert "Ente di formazione Rencontrer" in page
    dossier = db.session.get(Dossier, doc.dossier_id)
    competences = [i for i in target_items(dossier) if i.kind.value == "competence"]
    for c in competences:
        assert c.title in page
    assert "Competenze certificate" in page


def test_the_api_answers_the_same(client, make):
    doc = make.issued_document()
    data = client.get(f"/api/v1/verify/{doc.code}").get_json()
    assert data["status"] == "valid" and data["code"] == doc.code
    assert data["holder"] == _holder(doc).full_name
    assert data["sha256"] == doc.sha256 and data["issued_on"] == "2026-11-30"
    assert data["superseded_by"] is None and data["revoked_on"] is None
    assert data["revocation_reason"] is None
    assert data["issuer"]["name"]
    assert data["framework"]["title"] and data["framework"]["qualification"]["title"]
    dossier = db.session.get(Dossier, doc.dossier_id)
    codes = [i.code for i in target_items(dossier) if i.kind.value == "competence"]
    assert [c["code"] for c in data["competences"]] == codes
    assert data["verification_url"].endswith(f"/verify/{doc.code}")


def test_a_dossier_document_says_what_it_is(client, make):
    doc = make.issued_document(kind=DocumentKind.VERBALE)
    page = _page(client, doc)
    assert "Competenze certificate" not in page
    data = client.get(f"/api/v1/verify/{doc.code}").get_json()
    assert data["kind"] == "verbale" and data["competences"] == []
    assert "non certifica nulla" in data["description"]


def test_a_validation_document_lists_validated_competences(client, make):
    doc = make.issued_document(kind=DocumentKind.VALIDATION)
    page = _page(client, doc)
    assert "Documento di validazione" in page and "Competenze validate" in page
    assert "Competenze certificate" not in page


def test_a_revoked_document_shows_date_and_reason(client, make):
    doc = make.issued_document()
    revocation.revoke(make.coordinator(), doc, reason=REASON, now=NOW)
    db.session.commit()
    page = _page(client, doc)
    assert "Stato del documento: Revocato" in page
    assert "1 dicembre 2026" in page and REASON in page
    data = client.get(f"/api/v1/verify/{doc.code}").get_json()
    assert data["status"] == "revoked"
    assert data["revoked_on"] == "2026-12-01" and data["revocation_reason"] == REASON


def test_a_superseded_document_and_its_reissue_link_each_other(client, make):
    old = make.issued_document()
    new = make.issued_document(db.session.get(Dossier, old.dossier_id), supersedes=old)
    old_page = _page(client, old)
    assert "Stato del documento: Sostituito" in old_page
    assert f'href="/verify/{new.code}"' in old_page and "Sostituito dal documento" in old_page
    new_page = _page(client, new)
    assert "Stato del documento: Valido" in new_page
    assert f'href="/verify/{old.code}"' in new_page and "Sostituisce il documento" in new_page
    data = client.get(f"/api/v1/verify/{old.code}").get_json()
    assert data["status"] == "superseded"
    assert data["superseded_by"]["code"] == new.code
    assert data["superseded_by"]["url"].endswith(f"/verify/{new.code}")
    assert client.get(f"/api/v1/verify/{new.code}").get_json()["supersedes"]["code"] == old.code


def test_pages_in_english(client, make):
    doc = make.issued_document()
    page = _page(client, doc, locale="en")
    assert "Verification of a document" in page and "Document status: Valid" in page
    assert "Certified competences" in page
    page = client.get("/verify").get_data(as_text=True)
    assert "Verify a document" in page


# --- typing a code -------------------------------------------------------------------------


def test_the_form_sends_a_good_code_to_its_page(client, make):
    doc = make.issued_document()
    typed = doc.code.replace("-", " ").lower()
    resp = client.get("/verify", query_string={"code": typed})
    assert resp.status_code == 303 and resp.headers["Location"].endswith(f"/verify/{doc.code}")
    page = client.get("/verify").get_data(as_text=True)
    assert "<title>Verifica un documento" in page


def _mistyped(code: str) -> dict[str, str]:
    body = code.replace("-", "")
    wrong = "2" if body[3] != "2" else "3"
    return {
        "symbol": body[:6] + "0" + body[7:],
        "length": body[:-1],
        "check": body[:3] + wrong + body[4:],
        "empty": "  ",
    }


MESSAGES = {
    "symbol": "Il carattere 7 («0») non è usato nei codici: i codici non contengono 0, 1, I, L, O",
    "length": "Manca un carattere o ce n'è uno di troppo",
    "check": "Un carattere è sbagliato: controlla il codice.",
    "empty": "Scrivi il codice stampato sul documento",
}


@pytest.mark.parametrize("reason", list(MESSAGES))
def test_a_mistyped_code_is_explained_and_kept(client, make, reason):
    doc = make.issued_document()
    typed = _mistyped(doc.code)[reason]
    resp = client.get("/verify", query_string={"code": typed})
    assert resp.status_code == 422
    page = html.unescape(resp.get_data(as_text=True))
    assert MESSAGES[reason] in page
    if typed.strip():
        assert f'value="{typed}"' in page
    assert client.get(f"/verify/{typed.strip() or 'x'}").status_code == 404


def test_a_code_in_lower_case_or_without_dashes_redirects(client, make):
    doc = make.issued_document()
    for typed in (doc.code.lower(), doc.code.replace("-", "")):
        resp = client.get(f"/verify/{typed}")
        assert resp.status_code == 301
        assert resp.headers["Location"].endswith(f"/verify/{doc.code}")
    assert client.get(f"/api/v1/verify/{doc.code.lower()}").get_json()["code"] == doc.code


def test_an_unknown_code_reveals_nothing(client, make):
    from certificates.codes import new_code

    make.issued_document()
    a, b = new_code(), new_code()
    ra, rb = client.get(f"/verify/{a}"), client.get(f"/verify/{b}")
    assert ra.status_code == rb.status_code == 404
    # the same page whatever the code (which appears only in the page's own address)
    pa, pb = ra.get_data(as_text=True), rb.get_data(as_text=True)
    assert pa.replace(a, "CODE") == pb.replace(b, "CODE")
    assert "Pagina non trovata" in pa and "Stato del documento" not in pa
    api = client.get(f"/api/v1/verify/{a}")
    assert api.status_code == 404 and api.get_json()["error"]["code"] == "not_found"
    assert client.post(f"/api/v1/verify/{a}/file", data={}).status_code == 404


# --- uploading a file ----------------------------------------------------------------------


def _upload(client, doc, data: bytes, api=False):
    files = {"file": (io.BytesIO(data), "copia.pdf", "application/pdf")}
    path = f"/api/v1/verify/{doc.code}/file" if api else f"/verify/{doc.code}"
    return client.post(path, data=files, content_type="multipart/form-data")


def _stored() -> int:
    return db.session.scalar(select(func.count(StoredFile.id)))


def test_the_issued_file_matches_and_a_tampered_one_does_not(client, make):
    doc = make.issued_document()
    data = read_bytes(doc.file)
    tampered = bytearray(data)
    tampered[len(tampered) // 2] ^= 0x01
    before = _stored()
    page = _upload(client, doc, data).get_data(as_text=True)
    assert "Il file corrisponde al documento emesso" in page
    resp = _upload(client, doc, bytes(tampered))
    assert resp.status_code == 200
    page = resp.get_data(as_text=True)
    assert "Il file NON corrisponde: potrebbe essere stato modificato" in page
    assert _stored() == before  # hashed, never stored
    ok = _upload(client, doc, data, api=True).get_json()
    assert ok == {"matches": True, "sha256": doc.sha256}
    bad = _upload(client, doc, bytes(tampered), api=True).get_json()
    assert bad["matches"] is False and bad["sha256"] != doc.sha256
    assert _stored() == before


def test_an_upload_without_file_or_too_large_is_refused(client, make, app):
    doc = make.issued_document()
    resp = client.post(f"/verify/{doc.code}", data={}, content_type="multipart/form-data")
    assert resp.status_code == 422
    assert "Scegli il file PDF da controllare" in resp.get_data(as_text=True)
    api = client.post(f"/api/v1/verify/{doc.code}/file", data={})
    assert api.status_code == 422 and "file" in api.get_json()["error"]["fields"]
    app.config["VERIFY_MAX_BYTES"] = 1024
    resp = _upload(client, doc, b"%PDF" + b"x" * 2000)
    assert resp.status_code == 422 and "troppo grande" in resp.get_data(as_text=True)
    assert _upload(client, doc, b"%PDF" + b"x" * 2000, api=True).status_code == 422


# --- the rate limit ------------------------------------------------------------------------


def test_verification_is_rate_limited_per_address(database_url, tmp_path, make):
    from lms.extensions import limiter

    limited = make_test_app(
        database_url, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_VERIFY="3 per minute"
    )
    limited.test_client_class = IsolatedClient
    with limited.app_context():
        limiter.reset()
        doc = make.issued_document()
        client = limited.test_client()
        assert client.get(f"/verify/{doc.code}").status_code == 200
        assert client.get("/verify").status_code == 200
        assert client.get(f"/api/v1/verify/{doc.code}").status_code == 200
        resp = client.get(f"/verify/{doc.code}")
        assert resp.status_code == 429
        assert "Troppi tentativi" in resp.get_data(as_text=True)
        api = client.get(f"/api/v1/verify/{doc.code}")
        assert api.status_code == 429 and api.get_json()["error"]["code"] == "too_many_requests"
        other = limited.test_client()
        other_env = {"REMOTE_ADDR": "192.0.2.7"}
        assert other.get("/verify", environ_base=other_env).status_code == 200
        limiter.reset()
        db.session.remove()


# --- queries -------------------------------------------------------------------------------


def test_an_unknown_code_costs_one_indexed_query(client, make):
    from certificates.codes import new_code
    from tests.querycount import statements

    make.issued_document()
    with statements() as seen:
        assert client.get(f"/verify/{new_code()}").status_code == 404
    assert len(seen) == 1 and "issued_documents.code" in seen[0]
    with statements() as seen:
        assert client.get("/verify/not-a-code").status_code == 404
    assert seen == []  # a mistyped code never reaches the database


def test_the_page_costs_the_same_whatever_the_number_of_competences(client, make):
    from tests.querycount import statements

    counts = []
    for competences in (2, 6):
        profile = make.profile(competences=competences)
        doc = make.issued_document(make.dossier(profile, state=DossierState.DECIDED))
        with statements() as seen:
            page = client.get(f"/verify/{doc.code}").get_data(as_text=True)
        assert page.count("<li><strong>") == competences
        counts.append(len(seen))
    # the document, then one query for all it shows, then the certified competences
    assert counts[0] == counts[1] <= 6, counts
