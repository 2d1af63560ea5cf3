"""Render HTML to PDF with xhtml2pdf, fetching nothing from the network.

Resources (fonts, images) resolve only to files under the app's static folder; the font is
embedded so accented Italian text prints the same everywhere. xhtml2pdf converts one document
at a time per process, hence the lock.
"""

from __future__ import annotations

import io
import threading
from pathlib import Path

from flask import current_app

_LOCK = threading.Lock()

FONT_DIR = "vendor/bootstrap-italia/fonts/Titillium_Web"
FONT_FACES = {
    ("normal", "normal"): "titillium-web-v10-latin-ext_latin-regular.ttf",
    ("bold", "normal"): "titillium-web-v10-latin-ext_latin-700.ttf",
    ("normal", "italic"): "titillium-web-v10-latin-ext_latin-italic.ttf",
}


class PdfError(RuntimeError):
    pass


def font_css(family: str = "Body") -> str:
    """@font-face rules for the embedded font, to put at the top of a PDF stylesheet."""
    rules = []
    for (weight, style), name in FONT_FACES.items():
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; '
            f'font-style: {style}; src: url("static:{FONT_DIR}/{name}"); }}'
        )
    return "\n".join(rules)


def _roots() -> list[Path]:
    return [Path(current_app.static_folder).resolve()]


def link_callback(uri: str, rel: str | None = None) -> str:
    """Map 'static:<path>' (or a /static/ URL) to a file under the static folder; refuse the rest."""
    if uri.startswith("static:"):
        rel_path = uri[len("static:") :]
    elif uri.startswith("/static/"):
        rel_path = uri[len("/static/") :]
    else:
        raise PdfError(f"resource not allowed in a PDF: {uri}")
    for root in _roots():
        candidate = (root / rel_path).resolve()
        if candidate.is_relative_to(root) and candidate.is_file():
            return str(candidate)
    raise PdfError(f"resource not found for a PDF: {uri}")


def render_pdf(html: str) -> bytes:
    """Turn an HTML document into PDF bytes."""
    from xhtml2pdf import pisa

    out = io.BytesIO()
    with _LOCK:
        result = pisa.CreatePDF(html, dest=out, encoding="utf-8", link_callback=link_callback)
    if result.err:
        raise PdfError(f"PDF rendering failed with {result.err} error(s)")
    return out.getvalue()
