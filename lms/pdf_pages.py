"""A running "page X of Y" footer in one layout pass (used by lms.pdf inside the worker).

xhtml2pdf learns the page count of <pdf:pagecount> by laying the whole document out twice
(ReportLab's multiBuild): the second pass doubles the rendering time of a long dossier. A
document that declares its footer in a meta element instead,

    <meta name="lms-page-footer" content="Verify at ... · page {page} of {pages}">

gets it drawn by a canvas that holds each finished page until the end, when the total is
known (ReportLab's usual recipe), in the document's own embedded body font, so the layout runs
once. The text is drawn as text, never parsed as markup.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Iterator
from contextlib import contextmanager

from reportlab.lib.units import cm
from reportlab.pdfgen.canvas import Canvas

META_NAME = "lms-page-footer"
_META = re.compile(r'<meta\s+name="lms-page-footer"\s+content="([^"]*)"\s*/?>')
# Where the footer line sits: the left page margin of the issued documents, and the baseline
# xhtml2pdf gave the footer frame's paragraph (so the page looks as it did with two passes).
FOOTER_X = 1.6 * cm
FOOTER_BASELINE = 1.2 * cm
FOOTER_SIZE = 7.5
FOOTER_GREY = 0.2  # #333


def footer_template(html: str) -> str | None:
    """The footer text a document declares (placeholders {page} and {pages}), or None."""
    head = html.split("</head>", 1)[0]
    match = _META.search(head)
    return html_lib.unescape(match.group(1)) if match else None


def _body_font(font_file: str) -> str:
    """The ReportLab name xhtml2pdf registered the embedded regular face under."""
    from reportlab.pdfbase import pdfmetrics

    for name in pdfmetrics.getRegisteredFontNames():
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is not None and str(getattr(face, "filename", "")).endswith(font_file):
            return name
    return "Helvetica"  # never reached when the stylesheet declared the font


def _canvas_class(template: str, font_file: str) -> type[Canvas]:
    class FooterCanvas(Canvas):
        """Keeps each page's state at showPage; at save, writes the footer on every page."""

        def __init__(self, *args, **kwargs) -> None:
            super().__init__(*args, **kwargs)
            self._held_pages: list[dict] = []

        def showPage(self) -> None:
            self._held_pages.append(dict(self.__dict__))
            self._startPage()

        def save(self) -> None:
            total = len(self._held_pages)
            font = _body_font(font_file)
            for state in self._held_pages:
                self.__dict__.update(state)
                text = template.replace("{pages}", str(total)).replace(
                    "{page}", str(self._pageNumber)
                )
                self.saveState()
                self.setFont(font, FOOTER_SIZE)
                self.setFillGray(FOOTER_GREY)
                self.drawString(FOOTER_X, FOOTER_BASELINE, text)
                self.restoreState()
                Canvas.showPage(self)
            Canvas.save(self)

    return FooterCanvas


@contextmanager
def page_footer(html: str, font_file: str) -> Iterator[None]:
    """While converting `html`, draw its declared footer (if any) with a one-pass canvas."""
    template = footer_template(html)
    if template is None:
        yield
        return
    from xhtml2pdf.xhtml2pdf_reportlab import PmlBaseDoc

    maker = _canvas_class(template, font_file)
    # xhtml2pdf calls doc.build(story) with ReportLab's default canvas and offers no option:
    # the class attribute is set for this conversion only (one conversion per process).
    had_own = "build" in PmlBaseDoc.__dict__
    original = PmlBaseDoc.build

    def build(self, flowables, filename=None, canvasmaker=None):
        return original(self, flowables, filename, canvasmaker=maker)

    PmlBaseDoc.build = build
    try:
        yield
    finally:
        if had_own:
            PmlBaseDoc.build = original
        else:
            del PmlBaseDoc.build
