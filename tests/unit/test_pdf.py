"""The PDF renderer: fonts embedded from the static folder, nothing fetched from elsewhere."""

from __future__ import annotations

import subprocess

import pytest

from lms.pdf import PdfError, font_css, link_callback, render_pdf


def test_render_embeds_the_font_and_keeps_italian_text(app):
    html = f"""<html><head><meta charset="utf-8"><style>{font_css()}
    body {{ font-family: "Body"; }}</style></head>
    <body><h1>Registro presenze</h1><p>Perché è già lì: àèéìòù €</p></body></html>"""
    with app.test_request_context():
        data = render_pdf(html)
    assert data.startswith(b"%PDF")
    text = subprocess.run(
        ["pdftotext", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()
    assert "Perché è già lì: àèéìòù" in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    titillium = [line for line in fonts.stdout.decode().splitlines() if "Titillium" in line]
    assert titillium and all(" yes " in line for line in titillium)


def test_link_callback_refuses_files_outside_static(app):
    with app.test_request_context():
        assert link_callback("static:css/app.css").endswith("css/app.css")
        for uri in (
            "static:../../etc/passwd",
            "/etc/passwd",
            "https://example.org/x.ttf",
            "file:///etc/passwd",
            "static:missing.ttf",
        ):
            with pytest.raises(PdfError):
                link_callback(uri)


def test_a_pathological_document_is_stopped_by_the_time_limit(app):
    # A single paragraph of a million words takes xhtml2pdf far longer than the limit given.
    html = "<html><body><p>" + "parola " * 1_000_000 + "</p></body></html>"
    with app.test_request_context():
        with pytest.raises(PdfError, match="longer than"):
            render_pdf(html, timeout=0.5)
        # The renderer is still usable afterwards: the worker was killed, not the caller.
        assert render_pdf("<html><body><p>ancora qui</p></body></html>").startswith(b"%PDF")


def test_a_document_over_the_memory_limit_is_refused(app):
    # Fifty thousand paragraphs need far more than 10 MB more than the warm worker holds.
    html = "<html><body>" + "<p>memoria</p>" * 50_000 + "</body></html>"
    with app.test_request_context(), pytest.raises(PdfError, match="memory"):
        render_pdf(html, memory_mb=10)


def test_remote_and_local_resources_are_refused_in_the_worker(app):
    with app.test_request_context():
        for src in ("http://127.0.0.1:9/x.png", "file:///etc/passwd", "/etc/passwd"):
            with pytest.raises(PdfError, match="not allowed"):
                render_pdf(f'<html><body><img src="{src}"></body></html>')


def test_title_author_and_language_are_set(app):
    html = """<html lang="it"><head><meta charset="utf-8"><title>Titolo è qui</title>
    <meta name="author" content="Ente di prova"></head><body><p>testo</p></body></html>"""
    with app.test_request_context():
        data = render_pdf(html)
    info = subprocess.run(["pdfinfo", "-"], input=data, capture_output=True, check=True)
    out = info.stdout.decode()
    assert "Titolo è qui" in out and "Ente di prova" in out
    assert b"/Lang (it)" in data or b"/Lang(it)" in data
