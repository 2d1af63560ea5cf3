"""Preloaded by the PDF forkserver (lms.pdf): importing it loads xhtml2pdf and renders one
small document with the embedded fonts, so every rendering process forked from the server
starts warm (fonts parsed, caches filled) instead of paying that cost on each document."""

from __future__ import annotations

import logging
from pathlib import Path

from lms.pdf import _convert, font_css

STATIC = Path(__file__).resolve().parent / "static"


def warm_up() -> None:
    html = (
        f'<html lang="it"><head><meta charset="utf-8"><style>{font_css()} '
        'body { font-family: "Body"; }</style></head><body>'
        "<p>Avvio: àèéìòù <b>grassetto</b> <i>corsivo</i></p>"
        "<table><tr><td>cella</td></tr></table></body></html>"
    )
    try:
        _convert(html, [STATIC])
        from lms.pdf_tables import _fonts

        _fonts([STATIC])  # registered once for every forked render
    except Exception:  # a cold start is slower, never wrong
        logging.getLogger(__name__).warning("PDF worker warm-up failed", exc_info=True)


warm_up()
