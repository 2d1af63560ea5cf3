"""An admin creates a draft framework with a competence and one ability and publishes it; a
trainee browses it. Every page goes through axe, in Italian and English; the illustrative
framework of the demo shows its notice."""

from __future__ import annotations

import secrets
from urllib.parse import urlsplit

from tests.e2e.support import DEMO_ACCOUNTS, switch_language


def log_out(page, submit):
    submit(page, page.locator("header form[action$='/esci'] button"))


def _path(url: str) -> str:
    return urlsplit(url).path


def test_admin_publishes_a_framework_and_a_trainee_browses_it(page, login, visit, submit):
    code = f"E2E-{secrets.token_hex(3).upper()}"
    login(page, DEMO_ACCOUNTS["admin"])
    visit(page, "/quadri/")
    submit(page, page.locator("main a[href$='/quadri/nuovo']"))
    # Nothing typed: the form comes back with the messages.
    submit(page, page.locator("main form button[type=submit]"), status=422)
    assert page.locator("#error-summary").is_visible()
    page.locator("#code").fill(code)
    page.locator("#title").fill("Quadro di prova del browser")
    page.locator("#issuer").fill("Regione Lombardia")
    submit(page, page.locator("main form button[type=submit]"))
    assert page.locator("h1").inner_text() == "Quadro di prova del browser"
    assert "Bozza" in page.locator("main").inner_text()

    submit(page, page.locator("main a[href*='/voci/nuova']").first)
    page.locator("#code").fill("C1")
    page.locator("#title").fill("Progettare l'inserimento lavorativo")
    submit(page, page.locator("main form button[type=submit]"))
    assert "C1" in page.locator("h1").inner_text()
    submit(page, page.locator("main a[href*='/voci/nuova?competenza=']"))
    assert page.locator("#kind").input_value() == "ability"
    page.locator("#code").fill("C1.A1")
    page.locator("#title").fill("Analizzare la mansione con il lavoratore")
    submit(page, page.locator("main form button[type=submit]"))
    assert "C1.A1" in page.locator("main table").inner_text()
    competence_path = _path(page.url)

    submit(page, page.locator("nav.breadcrumb-container a[href*='/quadri/']").last)
    submit(page, page.locator("main a[href$='/pubblica']"))
    submit(page, page.locator("main form button[type=submit]"))
    assert "Pubblicato" in page.locator("main").inner_text()
    framework_path = _path(page.url)
    log_out(page, submit)

    login(page, DEMO_ACCOUNTS["corsista1"])
    visit(page, "/quadri/")
    submit(page, page.locator(f"main a[href='{framework_path}']"))
    assert page.locator("main a[href*='/pubblica']").count() == 0
    submit(page, page.locator("main a[href*='/quadri/competenze/']").first)
    assert _path(page.url) == competence_path
    assert "Analizzare la mansione" in page.locator("main").inner_text()

    # The illustrative framework of the demo says so on every page.
    visit(page, "/quadri/")
    submit(page, page.locator("main tr:has(.bg-danger) th a").first)
    assert page.locator("main .alert-warning[role=note]").is_visible()
    submit(page, page.locator("main a[href*='/quadri/competenze/']").first)
    assert page.locator("main .alert-warning[role=note]").is_visible()

    switch_language(page, "en")
    assert "Illustrative framework." in page.locator("main").inner_text()
    page.set_viewport_size({"width": 390, "height": 844})  # a phone: no horizontal scroll
    for path in ("/quadri/", framework_path, competence_path):
        visit(page, path)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, path
    assert "Abilities" in page.locator("main").inner_text()
    log_out(page, submit)

    # The admin pages in English.
    login(page, DEMO_ACCOUNTS["admin"], locale="en")
    visit(page, "/quadri/nuovo")
    assert page.locator("h1").inner_text() == "New framework"
    visit(page, framework_path)
    submit(page, page.locator("main a[href$='/nuova-versione']"))
    submit(page, page.locator("main form button[type=submit]"))
    assert "Draft" in page.locator("main").inner_text()
    submit(page, page.locator("main a[href*='/voci/nuova']").first)
    submit(page, page.locator("main form button[type=submit]"), status=422)
