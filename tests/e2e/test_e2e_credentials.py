"""The holder opens their certificate's Open Badges credentials and downloads one; the page
goes through axe in Italian and English, and at phone width."""

from __future__ import annotations

from tests.e2e.support import DEMO_ACCOUNTS, switch_language


def _certificate_with_credentials(app) -> tuple[int, int]:
    """An issued certificate of corsista1 (a new decided dossier) with its credentials."""
    from certificates.models import DossierState
    from lms.accounts.services import get_user_by_email
    from lms.db import db
    from tests.factories import Factory
    from tests.unit.credentials_helpers import issue_for

    with app.app_context():
        make = Factory()
        holder = get_user_by_email(DEMO_ACCOUNTS["corsista1"])
        doc = make.issued_document(make.dossier(candidate=holder, state=DossierState.DECIDED))
        _, rows = issue_for(make, doc)
        ids = doc.id, rows[0].id
        db.session.remove()
    return ids


def test_holder_downloads_a_credential(page, login, visit, live_server):
    doc_id, cred_id = _certificate_with_credentials(live_server.app)
    login(page, DEMO_ACCOUNTS["corsista1"])
    visit(page, f"/documenti/{doc_id}/credenziali")
    assert page.locator("h1").inner_text() == "Credenziali Open Badges"
    link = page.locator(f"a[href$='/credenziali/{cred_id}.jwt']")
    assert link.count() == 1
    resp = page.request.get(link.get_attribute("href"))
    assert resp.status == 200 and resp.headers["content-type"].startswith("application/vc+jwt")
    assert resp.text().count(".") == 2
    page.set_viewport_size({"width": 390, "height": 844})
    visit(page, f"/documenti/{doc_id}/credenziali")
    switch_language(page, "en")
    assert page.locator("h1").inner_text() == "Open Badges credentials"
