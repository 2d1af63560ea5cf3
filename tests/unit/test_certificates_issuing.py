"""Issuing a decided dossier: the certificate (art. 6 content), the dossier and the verbale in
one batch, stored with the hash of their bytes; refused without both signatures and twice."""

from __future__ import annotations

import datetime as dt
import hashlib
import subprocess

import pytest
from sqlalchemy import select

from certificates.models import (
    DocumentKind,
    DocumentStatus,
    DossierState,
    IssuedDocument,
)
from certificates.services import documents, issuing
from certificates.services.common import target_competence_ids
from certificates.services.evidence import add_evidence
from lms.audit.models import AuditEntry
from lms.db import db
from lms.errors import AlreadyIssued, Conflict, Forbidden
from lms.files.services import read_bytes
from lms.standards.models import Framework, FrameworkItem, Profile
from tests.spyserver import spy_server
from tests.unit.certificates_helpers import document, people

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


def _text(data: bytes) -> str:
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True)
    return " ".join(out.stdout.decode().split())


def _holder_data(dossier):
    holder = people(dossier).candidate
    holder.birth_date = dt.date(1990, 4, 12)
    holder.birth_place = "Bergamo (BG)"
    holder.tax_code = "RSSMRA90D12A794X"
    db.session.commit()
    return holder


def test_issuing_makes_three_documents_in_one_batch(app, make):
    d = make.dossier(state=DossierState.DECIDED)
    holder = _holder_data(d)
    docs = issuing.issue_dossier(
        make.coordinator(), d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
    )
    db.session.commit()
    assert [x.kind for x in docs] == [
        DocumentKind.CERTIFICATE,
        DocumentKind.DOSSIER,
        DocumentKind.VERBALE,
    ]
    assert len({x.issue_batch for x in docs}) == 1
    assert len({x.code for x in docs}) == 3
    assert d.state == DossierState.ISSUED
    for x in docs:
        data = read_bytes(x.file)
        assert data.startswith(b"%PDF")
        assert hashlib.sha256(data).hexdigest() == x.sha256
        assert x.issued_on == dt.date(2026, 12, 1)
        assert x.holder_id == holder.id
    audited = db.session.scalars(
        select(AuditEntry.object_id).where(AuditEntry.action == "document.issued")
    ).all()
    assert sorted(audited) == sorted(str(x.id) for x in docs)
    assert documents.status_of_many([x.id for x in docs]) == {
        x.id: DocumentStatus.VALID for x in docs
    }


def test_the_certificate_holds_every_art_6_field(app, make):
    d = make.dossier(state=DossierState.DECIDED)
    _holder_data(d)
    profile = db.session.get(Profile, d.profile_id)
    framework = db.session.get(Framework, profile.framework_id)
    cert = issuing.issue_dossier(
        make.coordinator(), d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
    )[0]
    db.session.commit()
    text = _text(read_bytes(cert.file))
    cfg = app.config
    for expected in (
        people(d).candidate.full_name,
        "12 aprile 1990",
        "Bergamo (BG)",
        "RSSMRA90D12A794X",
        framework.issuer,
        cfg["ISSUER_NAME"],
        cfg["ISSUER_ACCREDITATION"],
        framework.title,
        profile.title,
        cert.code,
        "1 dicembre 2026",
        f"/verify/{cert.code}",
        "Certificato",
    ):
        assert expected in text, expected
    for comp_id in target_competence_ids(d):
        comp = db.session.get(FrameworkItem, comp_id)
        assert comp.title in text
    if profile.eqf_level:
        assert f"EQF {profile.eqf_level}" in text or str(profile.eqf_level) in text


def test_issuing_is_refused_twice(app, make):
    d = make.dossier(state=DossierState.DECIDED)
    coordinator = make.coordinator()
    issuing.issue_dossier(coordinator, d, certificate_kind=DocumentKind.VALIDATION, now=NOW)
    db.session.commit()
    with pytest.raises(AlreadyIssued):
        issuing.issue_dossier(coordinator, d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW)


def test_issuing_is_refused_without_both_signatures(app, make):
    d = make.dossier(state=DossierState.UNDER_ASSESSMENT)
    with pytest.raises(Conflict):
        issuing.issue_dossier(
            make.coordinator(), d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
        )
    assert db.session.scalar(select(IssuedDocument.id)) is None


def test_only_coordinators_issue(app, make):
    d = make.dossier(state=DossierState.DECIDED)
    expert = people(d).method
    with pytest.raises(Forbidden):
        issuing.issue_dossier(expert, d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW)


def test_hostile_evidence_fetches_nothing_and_shows_as_text(app, make):
    with spy_server() as spy:
        _hostile_evidence_reads_as_text(make, spy)
    assert spy.hits == []


def _hostile_evidence_reads_as_text(make, spy):
    hostile = [
        f'<img src="{spy.base}/spia.png">',
        '<img src="file:///etc/passwd">',
        '<img src="/etc/passwd"><b>grassetto</b>',
    ]
    d = make.dossier(state=DossierState.IDENTIFICATION)
    add_evidence(
        people(d).candidate,
        d,
        document(
            title=hostile[0],
            description=hostile[1] + " " + hostile[2],
            issuer=f"{spy.base}/fonte",
            links=[(target_competence_ids(d)[0], hostile[2])],
        ),
    )
    db.session.commit()
    transparency = issuing.issue_transparency(people(d).candidate, d, now=NOW)
    db.session.commit()
    text = _text(read_bytes(transparency.file))
    for snippet in ("spia.png", "file:///etc/passwd", "<b>grassetto</b>"):
        assert snippet in text


def test_the_certificate_is_signed_and_carries_its_credentials(app, make, tmp_path):
    from certificates.models import IssuedCredential
    from lms.keys import pdf_signing_material
    from tests.unit.test_certificates_signing import _status

    d = make.dossier(state=DossierState.DECIDED)
    docs = issuing.issue_dossier(
        make.coordinator(), d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
    )
    db.session.commit()
    cert = docs[0]
    data = read_bytes(cert.file)
    path = tmp_path / "certificato.pdf"
    path.write_bytes(data)
    listed = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, check=True)
    names = listed.stdout.decode()
    creds = db.session.scalars(
        select(IssuedCredential).where(IssuedCredential.document_id == cert.id)
    ).all()
    assert len(creds) == len(target_competence_ids(d))
    assert names.count(".jwt") == len(creds)
    moment = pdf_signing_material(app).certificate.not_valid_before_utc + dt.timedelta(days=3)
    for doc in docs:
        _signature, status = _status(app, read_bytes(doc.file), moment)
        assert status.intact and status.valid
