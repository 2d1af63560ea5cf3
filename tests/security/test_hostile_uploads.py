"""Hostile uploads of the security corpus (issue 11, point 10), sent to every upload of the
API (evidence files, course materials, submitted work) and to the CSV imports: each is refused
with a message and leaves nothing behind, or is stored and served only as an attachment of
its real type with nosniff and a sandboxing CSP."""

from __future__ import annotations

import io
import zipfile

import pytest
from sqlalchemy import func, select

from assessments.models import AssessmentKind
from certificates.models import DossierState
from lms.accounts.models import Role, User
from lms.db import db
from lms.files.models import StoredFile
from tests.conftest import login

# The multipart streams of large uploads that the test client and Werkzeug's parser leave to
# the garbage collector (see pyproject.toml's filterwarnings).
pytestmark = [
    pytest.mark.filterwarnings("ignore:unclosed file <_io.FileIO:ResourceWarning"),
    pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning"),
]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
HTML = b"<!doctype html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as zf:
        for name, data in entries.items():
            zf.writestr(name, data)
    return buf.getvalue()


# A zip bomb: 100 MB of zeros in about 100 KB, dressed as a Word document or a workbook.
_ZEROS = b"\x00" * (100 * 1024 * 1024)
DOCX_BOMB = _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": _ZEROS})
XLSX_BOMB = _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": _ZEROS})
del _ZEROS

REFUSED = {
    "html_as_pdf": ("relazione.pdf", HTML),
    "svg_script": ("logo.svg", SVG),
    "svg_as_png": ("logo.png", SVG),
    "png_as_pdf": ("relazione.pdf", PNG),
    "exe_as_pdf": ("relazione.pdf", b"MZ\x90\x00\x03\x00\x00\x00 renamed executable"),
    "xlsx_bomb": ("presenze.xlsx", XLSX_BOMB),
    "empty": ("vuoto.pdf", b""),
    "huge": ("grande.pdf", PDF + b"0" * (11 * 1024 * 1024)),
    "nul_name": ("relazione\x00.exe.pdf", PDF),
    "bidi_name": ("fattura\u202efdp.pdf", PDF),
    "traversal": ("../../etc/relazione.pdf", PDF),
    "windows_path": ("..\\..\\relazione.pdf", PDF),
    "double_ext": ("relazione.pdf.html", PDF),
}
# Stored: they are what their name says; served only as attachments of that type.
SERVED = {
    "pdf_html_polyglot": ("poliglotta.pdf", PDF + HTML),
    "docx_bomb": ("bomba.docx", DOCX_BOMB),
}
TYPES = {
    ".pdf": "application/pdf",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def _stored_files() -> int:
    db.session.rollback()
    return db.session.scalar(select(func.count()).select_from(StoredFile))


def _files_on_disk(app) -> int:
    from pathlib import Path

    root = Path(app.config["UPLOAD_FOLDER"])
    return sum(1 for p in root.rglob("*") if p.is_file()) if root.exists() else 0


@pytest.fixture
def sinks(app, make):
    """Each upload of the API: (who, url, form fields, the file field, how to find the file)."""
    trainer = make.user(Role.TRAINER)
    course = make.course(trainers=[trainer])
    trainee = make.user(Role.TRAINEE)
    make.enrolment(course, trainee)
    work = make.assessment(course, AssessmentKind.ASSIGNMENT, actor=trainer)
    d = make.dossier(state=DossierState.IDENTIFICATION, evidence=False)
    from courses.services.courses import load_module_links

    module_id = load_module_links(course)[0].module_id
    return {
        "evidence": (
            db.session.get(User, d.candidate_id),
            f"/api/v1/dossiers/{d.id}/evidence",
            {"kind": "document", "type": "result", "value": "third", "title": "Attestato"},
            "files",
            lambda body: f"/api/v1/dossiers/{d.id}/files/{body['files'][0]['id']}",
        ),
        "material": (
            make.coordinator(),
            f"/api/v1/courses/{course.id}/materials",
            {"title": "Dispensa", "module_id": str(module_id)},
            "file",
            lambda body: body["download_url"],
        ),
        "submission": (
            trainee,
            f"/api/v1/assessments/{work.id}/submission",
            {"text": "Il mio lavoro"},
            "files",
            lambda body: body["files"][0]["url"],
        ),
    }


def _post(app, sink, name, data):
    user, url, fields, file_field, _find = sink
    client = app.test_client()
    login(client, user)
    body = {**fields, file_field: (io.BytesIO(data), name)}
    return client, client.post(url, data=body, content_type="multipart/form-data")


@pytest.mark.parametrize("sink", ["evidence", "material", "submission"])
def test_hostile_uploads_are_refused_with_a_message(app, sinks, sink):
    before, on_disk = _stored_files(), _files_on_disk(app)
    failures = []
    for case, (name, data) in REFUSED.items():
        _c, resp = _post(app, sinks[sink], name, data)
        problem = (resp.get_json(silent=True) or {}).get("error", {})
        if resp.status_code != 422 or not problem.get("message"):
            failures.append(f"{case}: {resp.status_code} {resp.get_data(as_text=True)[:200]}")
    assert not failures, "\n".join(failures)
    assert _stored_files() == before
    assert _files_on_disk(app) == on_disk


@pytest.mark.parametrize("sink", ["evidence", "material", "submission"])
@pytest.mark.parametrize("case", SERVED)
def test_accepted_uploads_are_served_as_safe_attachments(app, sinks, sink, case):
    name, data = SERVED[case]
    client, resp = _post(app, sinks[sink], name, data)
    assert resp.status_code == 201, resp.get_data(as_text=True)[:300]
    served = client.get(sinks[sink][4](resp.get_json()))
    assert served.status_code == 200
    assert served.data == data
    assert served.mimetype == TYPES[name[name.rindex(".") :]]
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in served.headers["Content-Security-Policy"]


def test_an_upload_over_the_request_limit_is_413_not_500(app, sinks):
    huge = PDF + b"0" * (app.config["MAX_CONTENT_LENGTH"] + 1024)
    _c, resp = _post(app, sinks["evidence"], "enorme.pdf", huge)
    assert resp.status_code == 413
    assert _stored_files() == 0


CSV_HOSTILE = {
    "binary": ("persone.csv", PNG),
    "utf16": ("persone.csv", "email,full_name,roles\n".encode("utf-16")),
    "xlsx_as_csv": ("persone.csv", XLSX_BOMB),
    "html_as_csv": ("persone.csv", HTML),
    "empty": ("persone.csv", b""),
    "nul_cell": ("persone.csv", b"email,full_name,roles\nx@example.org,Per\x00sona,trainee\n"),
    "formula": ("persone.csv", b"email,full_name,roles\n=cmd|' /C calc'!A0,Persona,trainee\n"),
}


@pytest.mark.parametrize("case", CSV_HOSTILE)
def test_hostile_user_imports_are_refused_with_a_message(app, make, case):
    name, data = CSV_HOSTILE[case]
    client = app.test_client()
    login(client, make.admin())
    before = db.session.scalar(select(func.count()).select_from(User))
    resp = client.post(
        "/admin/utenti/importa",
        data={"file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:300])
    assert 'class="alert' in resp.get_data(as_text=True) or "invalid-feedback" in resp.get_data(
        as_text=True
    )
    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(User)) == before


@pytest.mark.parametrize("case", CSV_HOSTILE)
def test_hostile_enrolment_imports_are_refused_with_a_message(app, make, case):
    name, data = CSV_HOSTILE[case]
    course = make.course()
    client = app.test_client()
    login(client, make.coordinator())
    resp = client.post(
        f"/percorsi/{course.id}/iscrizioni",
        data={"kind": "csv", "csv-file": (io.BytesIO(data), name)},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 422, (resp.status_code, resp.get_data(as_text=True)[:300])
    from courses.models import Enrolment

    db.session.rollback()
    assert db.session.scalar(select(func.count()).select_from(Enrolment)) == 0
