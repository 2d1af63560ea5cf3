"""An anonymous visitor verifies a document: by typing its code (a mistyped one first), then by
uploading the PDF (the issued file matches, a changed one does not); revoked and superseded
documents of the demo; every page through axe, in Italian and English, and no horizontal
scroll at 390 px."""

from __future__ import annotations

from tests.e2e.support import switch_language

PHONE = {"width": 390, "height": 844}


def _demo_documents(app) -> dict:
    """The demo's certificates: corsista11's reissued one (and the one it replaced), corsista4's
    revoked one; with the bytes of the valid one."""
    from sqlalchemy import select

    from certificates.models import DocumentKind, IssuedDocument
    from lms.accounts.services import get_user_by_email
    from lms.db import db
    from lms.files.services import read_bytes

    with app.app_context():

        def certificates(email):
            holder = get_user_by_email(email)
            return db.session.scalars(
                select(IssuedDocument)
                .where(
                    IssuedDocument.holder_id == holder.id,
                    IssuedDocument.kind == DocumentKind.CERTIFICATE,
                )
                .order_by(IssuedDocument.id)
            ).all()

        old, new = certificates("corsista11@demo.example")
        (revoked,) = certificates("corsista4@demo.example")
        return {
            "old": old.code,
            "new": new.code,
            "revoked": revoked.code,
            "pdf": read_bytes(new.file),
        }


def _upload(page, submit, data: bytes):
    page.locator("#file").set_input_files(
        files=[{"name": "certificato.pdf", "mimeType": "application/pdf", "buffer": data}]
    )
    submit(page, page.get_by_role("button", name="Controlla il file"))


def test_an_anonymous_visitor_verifies_by_code_and_by_upload(page, live_server, visit, submit):
    docs = _demo_documents(live_server.app)

    # A mistyped code is explained and kept; the right one leads to the document's page.
    visit(page, "/verify")
    assert page.locator("h1").inner_text() == "Verifica un documento"
    mistyped = docs["new"][:5] + "0" + docs["new"][6:]
    page.locator("#code").fill(mistyped)
    submit(page, page.get_by_role("button", name="Verifica"), status=422)
    assert "non è usato nei codici" in page.locator("#code-error").inner_text()
    assert page.locator("#code").input_value() == mistyped
    page.locator("#code").fill(docs["new"].lower().replace("-", " "))
    submit(page, page.get_by_role("button", name="Verifica"))
    assert page.url.endswith(f"/verify/{docs['new']}")
    main = page.locator("main").inner_text()
    assert "Stato del documento: Valido" in main
    assert "Competenze certificate" in main and "Sostituisce il documento" in main

    # The issued PDF matches; the same file with one byte changed does not.
    _upload(page, submit, docs["pdf"])
    assert "Il file corrisponde al documento emesso" in page.locator(".verify-result").inner_text()
    tampered = bytearray(docs["pdf"])
    tampered[len(tampered) // 2] ^= 0x01
    _upload(page, submit, bytes(tampered))
    assert "NON corrisponde" in page.locator(".verify-result").inner_text()

    # The replaced document links to its reissue; the revoked one says when and why.
    visit(page, f"/verify/{docs['old']}")
    assert "Stato del documento: Sostituito" in page.locator("main").inner_text()
    submit(page, page.get_by_role("link", name=f"Sostituito dal documento {docs['new']}"))
    visit(page, f"/verify/{docs['revoked']}")
    assert "Motivo della revoca" in page.locator("main").inner_text()

    # English, and a phone's width.
    switch_language(page, "en")
    assert "Document status: Revoked" in page.locator("main").inner_text()
    page.set_viewport_size(PHONE)
    for path in ("/verify", f"/verify/{docs['new']}", f"/verify/{docs['old']}"):
        visit(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"], path
    switch_language(page, "it")
    visit(page, f"/verify/{docs['revoked']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
