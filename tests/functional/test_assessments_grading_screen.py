"""The grading screen shows the submitted file in place (a PDF in a frame, an image with the
file name as alt text, a plain link otherwise, always a download link), served inline by the
authorised download route only for PDFs and images; and the rubric as a grid of criteria by
levels that keeps the marker's choices on a validation error."""

from __future__ import annotations

import io
import re
import zipfile

import pytest

from assessments.services import grading
from tests.functional.assessments_world import PDF, build_world, client_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def _docx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("[Content_Types].xml", b"<Types/>")
        zf.writestr("word/document.xml", b"<w:document/>")
    return buf.getvalue()


@pytest.fixture
def world(app, make):
    return build_world(make)


def _submit(app, w, files):
    trainee = client_for(app, w["trainee"])
    resp = trainee.post(
        f"/valutazioni/{w['work'].id}/consegna",
        data={"text": "Consegna", "files": [(io.BytesIO(b), n) for b, n in files]},
        content_type="multipart/form-data",
    )
    assert resp.status_code == 303


def _grading_page(app, w):
    trainer = client_for(app, w["trainer"])
    url = f"/valutazioni/{w['work'].id}/corsisti/{w['trainee'].id}"
    resp = trainer.get(url)
    assert resp.status_code == 200
    return trainer, resp.get_data(as_text=True)


def test_pdf_and_image_are_shown_in_place_and_other_files_are_links(app, world):
    w = world
    _submit(app, w, [(PDF, "progetto.pdf"), (PNG, "schema.png"), (_docx(), "note.docx")])
    trainer, page = _grading_page(app, w)
    frames = re.findall(r'<iframe class="file-viewer" src="([^"]+)" title="([^"]+)"', page)
    assert len(frames) == 1 and "progetto.pdf" in frames[0][1]
    images = re.findall(r'<img class="file-image" src="([^"]+)" alt="([^"]+)"', page)
    assert len(images) == 1 and images[0][1] == "schema.png"
    # every file has its download link; the docx is only a link
    links = re.findall(r'<a href="([^"]+)" download>.*?</span>([^<]+)</a>', page)
    assert sorted(n for _, n in links) == ["note.docx", "progetto.pdf", "schema.png"]
    assert page.count("?in-linea=1") == 2

    pdf = trainer.get(frames[0][0].replace("&amp;", "&"))
    assert pdf.status_code == 200 and pdf.data == PDF
    assert pdf.headers["Content-Disposition"].startswith("inline")
    assert pdf.headers["X-Content-Type-Options"] == "nosniff"
    assert pdf.headers["X-Frame-Options"] == "SAMEORIGIN"
    csp = pdf.headers["Content-Security-Policy"]
    assert "sandbox" in csp and "frame-ancestors 'self'" in csp
    assert trainer.get(images[0][0]).headers["Content-Disposition"].startswith("inline")

    # the plain download stays an attachment that no page may frame
    plain = trainer.get(links[0][0])
    assert plain.headers["Content-Disposition"].startswith("attachment")
    assert "frame-ancestors" not in plain.headers["Content-Security-Policy"]
    assert plain.headers["X-Frame-Options"] == "DENY"
    # asking for a docx inline still downloads it
    docx_url = next(u for u, n in links if n == "note.docx")
    docx = trainer.get(docx_url + "?in-linea=1")
    assert docx.headers["Content-Disposition"].startswith("attachment")
    assert docx.headers["X-Frame-Options"] == "DENY"


def test_inline_file_is_not_shown_to_another_trainer(app, world):
    w = world
    _submit(app, w, [(PDF, "progetto.pdf")])
    _trainer, page = _grading_page(app, w)
    src = re.search(r'<iframe class="file-viewer" src="([^"]+)"', page).group(1)
    assert client_for(app, w["other_trainer"]).get(src).status_code == 404


def test_rubric_is_a_grid_and_keeps_the_choices_on_an_error(app, world):
    w = world
    _submit(app, w, [(PDF, "progetto.pdf")])
    trainer, page = _grading_page(app, w)
    rubric = grading.assessment_rubric(w["work"])
    first, second = rubric.criteria[0], rubric.criteria[1]
    assert '<table class="table table-bordered rubric-grid mb-0">' in page
    assert 'role="region" tabindex="0" aria-labelledby="rubric-caption"' in page
    assert f'<th scope="row" id="crit-{first.id}"' in page
    for lv in first.levels:  # a radio per level, labelled by criterion and level
        assert re.search(
            rf'<label for="lv-{lv.id}"><span class="visually-hidden">{first.title}: </span>'
            rf"<strong>{lv.title}</strong>",
            page,
        )
    top = max(first.levels, key=lambda lv: lv.points)
    url = f"/valutazioni/{w['work'].id}/corsisti/{w['trainee'].id}"
    # only the first criterion chosen: an error on the second, the first choice kept
    resp = trainer.post(
        url,
        data={f"level_{first.id}": str(top.id), "version": "0", "action": "complete"},
    )
    assert resp.status_code == 422
    again = resp.get_data(as_text=True)
    assert re.search(rf'<td class="rubric-level chosen">\s*<input[^>]*id="lv-{top.id}"', again)
    assert re.search(rf'id="lv-{top.id}" value="{top.id}" checked', again)
    assert f'id="crit-{second.id}-error"' in again and f'href="#crit-{second.id}"' in again
    assert again.count(" checked") == 1
