"""The one-pass running footer: "page X of Y" on every page, drawn as text in the body font."""

from __future__ import annotations

import subprocess

from markupsafe import escape

from lms.pdf import font_css, render_pdf
from lms.pdf_pages import footer_template


def _html(footer: str, pages: int) -> str:
    body = "<pdf:nextpage />".join(f"<p>Contenuto della pagina {n}.</p>" for n in range(pages))
    return f"""<html><head><meta charset="utf-8">
    <meta name="lms-page-footer" content="{escape(footer)}">
    <style>{font_css()} body {{ font-family: "Body"; }}</style></head><body>{body}</body></html>"""


def _pages_text(data: bytes) -> list[str]:
    out = subprocess.run(["pdftotext", "-", "-"], input=data, capture_output=True, check=True)
    return out.stdout.decode().split("\f")


def test_every_page_carries_its_number_and_the_total(app):
    with app.test_request_context():
        data = render_pdf(_html("Verifica · pagina {page} di {pages} · è", 3))
    pages = [p for p in _pages_text(data) if p.strip()]
    assert len(pages) == 3
    for n, text in enumerate(pages, start=1):
        assert f"Verifica · pagina {n} di 3 · è" in text
    fonts = subprocess.run(["pdffonts", "-"], input=data, capture_output=True, check=True)
    titillium = [x for x in fonts.stdout.decode().splitlines() if "Titillium" in x]
    assert len(titillium) == 1 and " yes " in titillium[0]  # the body font, embedded once


def test_markup_in_the_footer_is_text_and_a_document_without_one_has_none(app):
    assert footer_template("<html><head></head><body></body></html>") is None
    with app.test_request_context():
        data = render_pdf(_html('<b>x</b> <img src="http://example.org/a.png"> {page}', 1))
        plain = render_pdf(_html("unused", 1).replace("lms-page-footer", "description"))
    assert '<b>x</b> <img src="http://example.org/a.png"> 1' in _pages_text(data)[0]
    assert "unused" not in _pages_text(plain)[0]
