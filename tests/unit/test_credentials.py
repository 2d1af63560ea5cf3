"""Open Badges 3.0 credentials: their shape, their signature checked by an independent
library with the published key, one changed byte, revocation through the status list."""

from __future__ import annotations

import datetime as dt
import hashlib

import jwt as pyjwt
import pytest
from sqlalchemy import select, update

from certificates.credentials import status
from certificates.credentials.services import credentials_of, issue_credentials
from certificates.models import DocumentRevocation, Dossier, IssuedCredential
from lms.accounts.models import User
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import Conflict, Forbidden, NotFound
from lms.standards.models import Framework, FrameworkItem
from tests.unit.credentials_helpers import NOW, Verifier, issue_for


def test_each_certified_competence_gets_a_verifiable_credential(app, client, make):
    _doc, rows = issue_for(make)
    assert len(rows) == 2
    verifier = Verifier(client)
    for row in rows:
        payload = verifier.decode(row.token)
        assert payload["jti"] == row.credential_id == payload["id"]
        assert payload["iss"] == payload["issuer"]["id"]
        assert payload["iss"] == "http://127.0.0.1:5000/credenziali/emittente"
        assert payload["nbf"] == int(NOW.timestamp())
        assert verifier.revoked(payload) is False
    assert len({r.status_index for r in rows}) == 2


def test_credential_json_shape(app, client, make):
    doc, rows = issue_for(make)
    holder = db.session.get(User, doc.holder_id)
    c = Verifier(client).decode(rows[0].token)
    assert c["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert c["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    assert c["id"].startswith("urn:uuid:")
    assert c["issuer"]["type"] == ["Profile"] and c["issuer"]["name"]
    assert c["validFrom"] == "2026-11-30T10:00:00Z"
    assert "validUntil" not in c  # the factory's framework has no end date
    subject = c["credentialSubject"]
    assert subject["type"] == ["AchievementSubject"]
    (identity,) = subject["identifier"]
    assert identity["type"] == "IdentityObject" and identity["hashed"] is True
    expected = hashlib.sha256((holder.email.lower() + identity["salt"]).encode()).hexdigest()
    assert identity["identityHash"] == f"sha256${expected}"
    assert holder.email not in rows[0].token and holder.email not in str(c)
    achievement = subject["achievement"]
    assert achievement["type"] == ["Achievement"]
    assert achievement["achievementType"] == "Competency"
    assert achievement["criteria"]["narrative"]
    competence = db.session.get(FrameworkItem, rows[0].competence_id)
    (alignment,) = achievement["alignment"]
    assert alignment["targetType"] == "CFItem"
    assert alignment["targetUrl"] == (
        f"http://127.0.0.1:5000/ims/case/v1p1/CFItems/{competence.uuid}"
    )
    assert alignment["targetCode"] == competence.code
    assert c["evidence"][0]["narrative"]
    assert doc.code in c["evidence"][0]["narrative"]
    entry = c["credentialStatus"]
    assert entry["statusListCredential"] == "http://127.0.0.1:5000/credenziali/stato/1"
    assert entry["id"] == f"{entry['statusListCredential']}#{entry['statusListIndex']}"


def test_valid_until_follows_the_framework(app, client, make):
    from certificates.models import DossierState
    from lms.standards import lifecycle

    profile = make.profile(publish=False)
    db.session.execute(
        update(Framework)
        .where(Framework.id == profile.framework_id)
        .values(valid_until=dt.date(2031, 12, 31))
    )
    lifecycle.publish(make.admin(), db.session.get(Framework, profile.framework_id))
    db.session.commit()
    doc = make.issued_document(make.dossier(profile, state=DossierState.DECIDED))
    _, rows = issue_for(make, doc)
    c = Verifier(client).decode(rows[0].token)
    assert c["validUntil"] == "2031-12-31T22:59:59Z"  # the end of that day in Rome
    assert c["exp"] == int(dt.datetime(2031, 12, 31, 22, 59, 59, tzinfo=dt.UTC).timestamp())


def test_one_changed_byte_fails_verification(app, client, make):
    _, rows = issue_for(make)
    token = rows[0].token
    header, payload, signature = token.split(".")
    i = len(payload) // 2
    changed = payload[:i] + ("A" if payload[i] != "A" else "B") + payload[i + 1 :]
    with pytest.raises(pyjwt.InvalidSignatureError):
        Verifier(client).decode(f"{header}.{changed}.{signature}")
    j = len(signature) // 2
    bad_sig = signature[:j] + ("A" if signature[j] != "A" else "B") + signature[j + 1 :]
    with pytest.raises(pyjwt.InvalidSignatureError):
        Verifier(client).decode(f"{header}.{payload}.{bad_sig}")


def test_revoking_the_document_sets_the_status_bit(app, client, make):
    doc, rows = issue_for(make)
    _, others = issue_for(make)
    verifier = Verifier(client)
    db.session.add(
        DocumentRevocation(
            document_id=doc.id, reason="Errore materiale", revoked_by_id=make.coordinator().id
        )
    )
    db.session.commit()
    for row in rows:
        assert verifier.revoked(verifier.decode(row.token)) is True
    for row in others:
        assert verifier.revoked(verifier.decode(row.token)) is False


def test_a_superseded_documents_credentials_are_revoked(app, client, make):
    old, rows = issue_for(make)
    new = make.issued_document(dossier=db.session.get(Dossier, old.dossier_id), supersedes=old)
    _, new_rows = issue_for(make, new)
    verifier = Verifier(client)
    assert verifier.revoked(verifier.decode(rows[0].token)) is True
    assert verifier.revoked(verifier.decode(new_rows[0].token)) is False


def test_issuing_is_audited_refused_twice_and_for_others(app, make):
    doc, rows = issue_for(make)
    entries = db.session.scalars(
        select(AuditEntry).where(AuditEntry.action == "credential.issue")
    ).all()
    assert {e.object_id for e in entries} == {str(r.id) for r in rows}
    competences = [db.session.get(FrameworkItem, r.competence_id) for r in rows]
    with pytest.raises(Conflict):
        issue_credentials(make.coordinator(), doc, competences, now=NOW)
    holder = db.session.get(User, doc.holder_id)
    other = make.issued_document()
    with pytest.raises(Forbidden):
        issue_credentials(holder, other, competences, now=NOW)
    assert [r.id for r in credentials_of(holder, doc)] == [r.id for r in rows]
    with pytest.raises(NotFound):  # another person's credentials: their existence is private
        credentials_of(holder, other)


def test_a_status_index_taken_meanwhile_is_retried(app, make, monkeypatch):
    _, first = issue_for(make)
    from certificates.credentials import services

    calls = []
    real = services.free_indexes

    def stale(count):  # the first allocation hands out a taken index, as a racing issuer would
        calls.append(1)
        got = real(count)
        return [first[0].status_index, *got[1:]] if len(calls) == 1 else got

    monkeypatch.setattr(services, "free_indexes", stale)
    _, second = issue_for(make)
    assert len(calls) == 2
    indexes = [r.status_index for r in first + second]
    assert len(set(indexes)) == len(indexes) == 4
    assert db.session.scalar(select(db.func.count()).select_from(IssuedCredential)) == 4


def test_status_list_encoding_round_trip():
    encoded = status.encode_list([0, 7, 131071])
    assert status.is_set(encoded, 0) and status.is_set(encoded, 7)
    assert status.is_set(encoded, 131071) and not status.is_set(encoded, 1)
    assert len(status.decode_list(encoded)) == 16384
    assert status.list_position(131073) == (2, 1)
    with pytest.raises(ValueError):
        status.encode_list([131072])


def test_prepared_credentials_travel_signed_inside_the_certificate_pdf(app, client, make):
    """The issuing pipeline: prepare, embed in the PDF, sign, store, then write the rows."""
    import io
    import uuid

    from pypdf import PdfReader

    from certificates.codes import new_code
    from certificates.credentials.services import (
        embedded_files,
        prepare_credentials,
        store_credentials,
    )
    from certificates.models import DocumentKind, DossierState, IssuedDocument
    from certificates.services.common import target_competence_ids
    from certificates.signing import embed_files, sign_pdf
    from lms.files.services import store_generated
    from lms.pdf import render_pdf

    dossier = make.dossier(state=DossierState.DECIDED)
    coordinator = make.coordinator()
    competences = [db.session.get(FrameworkItem, i) for i in target_competence_ids(dossier)]
    code = new_code()
    prepared = prepare_credentials(
        coordinator,
        dossier,
        kind=DocumentKind.CERTIFICATE,
        code=code,
        competences=competences,
        now=NOW,
    )
    pdf = sign_pdf(embed_files(render_pdf("<p>Certificato</p>"), embedded_files(prepared)), now=NOW)
    stored = store_generated(coordinator, f"certificate-{code}.pdf", pdf)
    doc = IssuedDocument(
        dossier_id=dossier.id,
        holder_id=dossier.candidate_id,
        kind=DocumentKind.CERTIFICATE,
        code=code,
        file_id=stored.id,
        sha256=stored.sha256,
        issued_on=NOW.date(),
        issued_by_id=coordinator.id,
        issue_batch=uuid.uuid4().hex,
    )
    db.session.add(doc)
    db.session.flush()
    rows = store_credentials(coordinator, doc, prepared, now=NOW)
    db.session.commit()
    attachments = PdfReader(io.BytesIO(pdf)).attachments
    assert sorted(attachments) == ["credenziale-C1.jwt", "credenziale-C2.jwt"]
    token = attachments["credenziale-C1.jwt"][0].decode()
    assert token == rows[0].token
    assert doc.code in Verifier(client).decode(token)["evidence"][0]["narrative"]


def test_credentials_come_only_with_a_certificate(app, make):
    from certificates.credentials.services import prepare_credentials
    from certificates.models import DocumentKind, DossierState

    dossier = make.dossier(state=DossierState.DECIDED)
    with pytest.raises(Conflict):
        prepare_credentials(
            make.coordinator(),
            dossier,
            kind=DocumentKind.DOSSIER,
            code="X",
            competences=[],
            now=NOW,
        )


def test_demo_step_completes_certificates_without_credentials_once(app, make):
    from certificates.credentials.demo import load_demo_credentials
    from certificates.models import DocumentKind

    cert = make.issued_document()
    make.issued_document(kind=DocumentKind.VERBALE)
    load_demo_credentials()
    db.session.commit()
    count = select(db.func.count()).select_from(IssuedCredential)
    assert db.session.scalar(count) == 2
    assert {r.document_id for r in db.session.scalars(select(IssuedCredential))} == {cert.id}
    load_demo_credentials()
    assert db.session.scalar(count) == 2
