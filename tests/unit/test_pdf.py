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
