"""The issued PDFs: context builders (context.py) and their Jinja templates
(templates/certificates/pdf/), rendered in Italian through lms/pdf.py (isolated process)."""

from __future__ import annotations

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _

from certificates.models import DocumentKind
from certificates.pdfs.context import DocumentContext, build_context
from courses.attendance import format_minutes
from lms.pdf import font_css, render_pdf

__all__ = ["DocumentContext", "build_context", "document_html", "render_document"]

TEMPLATES = {
    DocumentKind.CERTIFICATE: "certificates/pdf/certificate.html",
    DocumentKind.VALIDATION: "certificates/pdf/certificate.html",
    DocumentKind.DOSSIER: "certificates/pdf/dossier.html",
    DocumentKind.VERBALE: "certificates/pdf/verbale.html",
    DocumentKind.TRANSPARENCY: "certificates/pdf/transparency.html",
}
LANGUAGE = "it"  # documents for Italian public bodies: always in Italian


def hours(minutes: int) -> str:
    """Minutes as hours for a document, e.g. 90 -> '1:30 h'."""
    return f"{format_minutes(minutes)} h"


def _title(kind: DocumentKind) -> str:
    if kind == DocumentKind.VALIDATION:
        return _("Validation document")
    return _("Certificate")


def document_html(kind: DocumentKind, context: DocumentContext) -> str:
    """The HTML of one document (user text escaped by Jinja's autoescape). Rendered from the
    environment directly, without request context processors, so the CLI and jobs can too."""
    with force_locale(LANGUAGE):
        return current_app.jinja_env.get_template(TEMPLATES[kind]).render(
            c=context,
            lang=LANGUAGE,
            title=_title(kind),
            font_css=font_css(),
            hours=hours,
        )


def render_document(kind: DocumentKind, context: DocumentContext) -> bytes:
    """The PDF bytes of one document, before signing."""
    return render_pdf(document_html(kind, context))
