"""Tabular documents (a title block, key-value lines, one long table, a closing block) drawn
with ReportLab platypus directly: for long tables, many times faster than HTML through
xhtml2pdf. The document is plain data (picklable), rendered in the same isolated worker
process as HTML (lms.pdf.render_table_pdf)."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path
from xml.sax.saxutils import escape

GRID = "#333333"


@dataclass
class TableDocument:
    title: str  # the document's metadata title
    heading: str  # printed in capitals
    before: list[tuple[str, str]]  # (style "strong" | "small", text) lines above the heading
    meta: list[list[str]]  # key-value lines: [key, value] or [key, value, key, value]
    header: list[str]
    rows: list[list[str]]
    widths: list[float]  # fractions of the text width, one per column
    right: list[int] = field(default_factory=list)  # right-aligned columns
    wrap: list[int] = field(default_factory=list)  # columns whose text may wrap (small type)
    empty: str = ""  # said instead of the table when it has no rows
    closing: list[list[str]] = field(default_factory=list)  # [left, right] signature boxes
    footer: str = ""  # "{page}" and "{pages}" are replaced


_FONTS_READY = False


def _fonts(roots: list[Path]) -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    from lms.pdf import FONT_DIR, FONT_FACES, resolve_resource

    names = {("normal", "normal"): "Body", ("bold", "normal"): "Body-Bold"}
    names[("normal", "italic")] = "Body-Italic"
    for key, file in FONT_FACES.items():
        pdfmetrics.registerFont(
            TTFont(names[key], resolve_resource(f"static:{FONT_DIR}/{file}", roots))
        )
    addMapping("Body", 0, 0, "Body")
    addMapping("Body", 1, 0, "Body-Bold")
    addMapping("Body", 0, 1, "Body-Italic")
    addMapping("Body", 1, 1, "Body-Bold")
    _FONTS_READY = True


def build_table_pdf(doc: TableDocument, roots: list[Path]) -> bytes:
    """The PDF bytes of a TableDocument (A4 portrait, the embedded font)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import cm
    from reportlab.pdfgen.canvas import Canvas
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    _fonts(roots)
    body = ParagraphStyle("body", fontName="Body", fontSize=9.5, leading=12)
    small = ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor="#333333")
    strong = ParagraphStyle("strong", parent=body, fontName="Body-Bold", fontSize=10)
    h1 = ParagraphStyle("h1", parent=body, fontName="Body-Bold", fontSize=15, leading=19)
    width = A4[0] - 2.8 * cm

    def para(text: str, style=body) -> Paragraph:
        return Paragraph(escape(text).replace("\n", "<br/>"), style)

    story = [para(t, strong if s == "strong" else small) for s, t in doc.before]
    story.append(para(doc.heading.upper(), h1))
    if doc.meta:
        ncols = max(len(r) for r in doc.meta)
        meta_rows = [[para(c) for c in r] + [""] * (ncols - len(r)) for r in doc.meta]
        kw = [0.2, 0.8] if ncols == 2 else [0.2, 0.3, 0.2, 0.3]
        meta = Table(meta_rows, colWidths=[w * width for w in kw])
        style = [("BOX", (0, 0), (-1, -1), 0.6, GRID), ("VALIGN", (0, 0), (-1, -1), "TOP")]
        for c in range(0, ncols, 2):
            style.append(("BACKGROUND", (c, 0), (c, -1), colors.HexColor("#eeeeee")))
        for i, r in enumerate(doc.meta):
            if len(r) < ncols:
                style.append(("SPAN", (len(r) - 1, i), (-1, i)))
        meta.setStyle(TableStyle(style))
        story += [Spacer(1, 8), meta, Spacer(1, 10)]
    if doc.rows:
        head = [
            para(h, ParagraphStyle("th", parent=small, fontName="Body-Bold")) for h in doc.header
        ]
        rows = [head]
        for r in doc.rows:
            rows.append([para(c, small) if i in doc.wrap and c else c for i, c in enumerate(r)])
        table = Table(rows, colWidths=[w * width for w in doc.widths], repeatRows=1)
        style = [
            ("GRID", (0, 0), (-1, -1), 0.6, GRID),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dddddd")),
            ("FONT", (0, 1), (-1, -1), "Body", 9.5),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            ("TOPPADDING", (0, 1), (-1, -1), 5),
            ("BOTTOMPADDING", (0, 1), (-1, -1), 4),
        ]
        style += [("ALIGN", (c, 1), (c, -1), "RIGHT") for c in doc.right]
        table.setStyle(TableStyle(style))
        story.append(table)
    elif doc.empty:
        story.append(para(doc.empty))
    if doc.closing:
        cells = [[para(a), "", para(b)] for a, b in doc.closing] + [["", "", ""]]
        sig = Table(cells, colWidths=[0.45 * width, 0.1 * width, 0.45 * width])
        sig.setStyle(
            TableStyle(
                [
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LINEBELOW", (0, -1), (0, -1), 0.6, GRID),
                    ("LINEBELOW", (2, -1), (2, -1), 0.6, GRID),
                    ("ROWHEIGHT", (0, -1), (-1, -1), 34),
                ]
            )
        )
        story += [Spacer(1, 22), sig]

    footer = doc.footer

    class NumberedCanvas(Canvas):
        """Writes "page n / total" once the total is known."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                if footer:
                    self.setFont("Body", 8)
                    self.setFillColor(colors.HexColor("#333333"))
                    text = footer.replace("{page}", str(self._pageNumber))
                    self.drawString(1.4 * cm, 0.9 * cm, text.replace("{pages}", str(total)))
                super().showPage()
            super().save()

    out = io.BytesIO()
    SimpleDocTemplate(
        out,
        pagesize=A4,
        leftMargin=1.4 * cm,
        rightMargin=1.4 * cm,
        topMargin=1.4 * cm,
        bottomMargin=1.8 * cm,
        title=doc.title,
    ).build(story, canvasmaker=NumberedCanvas)
    return out.getvalue()
