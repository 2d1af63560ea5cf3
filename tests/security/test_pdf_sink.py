"""The PDF sink of the security corpus (issue 11, point 10): hostile strings typed into names,
titles, places and notes end up in the attendance register PDF and in the issued certificate,
dossier and verbale (evidence titles: tests/unit/test_certificates_issuing.py). Rendering
succeeds, the text reads as typed (pdftotext), no markup reaches xhtml2pdf and nothing is
fetched (a local server counts the requests)."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest

from certificates.models import DocumentKind, DossierState
from certificates.services import issuing
from courses.models import AttendanceStatus
from courses.services.registers import RowInput, save_register
from lms.accounts.models import Role
from lms.db import db
from lms.files.services import read_bytes
from tests.conftest import login
from tests.spyserver import spy_server
from tests.unit.certificates_helpers import people

NOW = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC)


@pytest.fixture
def spy():
    """A local server that counts what a document would fetch."""
    with spy_server() as s:
        yield s


def hostile(base: str) -> dict[str, str]:
    """Markup, CSS and xhtml2pdf's own tags, each short enough for a name (200 characters)."""
    return {
        "img": "<img src=file:///etc/passwd>",
        "link": f'<link rel="stylesheet" href="{base}/l.css">',
        "import": f"<style>@import url({base}/i.css);</style>",
        "css_url": f'x" style="background:url({base}/u.png)',
        "pdf_tag": "<pdf:nextpage/><pdf:barcode value=1>",
        "entity": "&lt;b&gt; &amp; <b>grassetto</b>",
        "script": "<script>alert(1)</script>",
    }


def pdf_text(data: bytes) -> str:
    """The text of a PDF without any whitespace (lines wrap where the layout wants)."""
    assert data.startswith(b"%PDF"), data[:40]
    out = subprocess.run(["pdftotext", "-raw", "-", "-"], input=data, capture_output=True)
    return "".join(out.stdout.decode().split())


def squeeze(text: str) -> str:
    return "".join(text.split())


def test_register_pdf_shows_hostile_text_as_typed(app, make, spy):
    strings = hostile(spy.base)
    trainer = make.user(Role.TRAINER, full_name=strings["link"])
    course = make.course(trainers=[trainer], title=strings["import"][:200])
    trainees = [make.user(Role.TRAINEE, full_name=strings[k]) for k in ("img", "css_url")]
    enrolments = [make.enrolment(course, t) for t in trainees]
    lesson = make.lesson(course, trainer=trainer, date=course.start_date, place=strings["pdf_tag"])
    with app.test_request_context():
        rows = [
            RowInput(e.id, AttendanceStatus.PRESENT, None, note=strings[k])
            for e, k in zip(enrolments, ("entity", "script"), strict=True)
        ]
        save_register(trainer, lesson, course, rows)
        db.session.commit()
    client = app.test_client()
    login(client, trainer)
    resp = client.get(f"/lezioni/{lesson.id}/registro.pdf")
    assert resp.status_code == 200
    assert resp.mimetype == "application/pdf"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    text = pdf_text(resp.data)
    for name in ("link", "img", "css_url", "pdf_tag"):
        assert squeeze(strings[name]) in text, (name, text[:500])
    assert squeeze(strings["import"]) in text
    assert spy.hits == []


def test_issued_documents_show_hostile_text_as_typed(app, make, spy):
    strings = hostile(spy.base)
    d = make.dossier(state=DossierState.DECIDED)
    candidate = people(d).candidate
    candidate.full_name = strings["css_url"]  # printable: the input rules let it through
    candidate.birth_date = dt.date(1990, 4, 12)
    candidate.birth_place = strings["img"][:120]
    candidate.tax_code = "RSSMRA90D12A794X"
    db.session.commit()
    with app.test_request_context():
        docs = issuing.issue_dossier(
            make.coordinator(), d, certificate_kind=DocumentKind.CERTIFICATE, now=NOW
        )
        db.session.commit()
    assert [x.kind for x in docs] == [
        DocumentKind.CERTIFICATE,
        DocumentKind.DOSSIER,
        DocumentKind.VERBALE,
    ]
    for doc in docs:
        text = pdf_text(read_bytes(doc.file))
        assert squeeze(strings["css_url"]) in text, (doc.kind, text[:400])
    certificate = pdf_text(read_bytes(docs[0].file))
    assert squeeze(strings["img"]) in certificate
    assert spy.hits == []
