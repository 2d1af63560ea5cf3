"""An administrator creates an account through the admin pages, with CSRF on."""

from __future__ import annotations

import secrets


def test_admin_creates_a_referent(page, login, visit, submit, live_server):
    login(page, "admin@demo.example")
    visit(page, "/admin/utenti/")
    submit(page, page.locator("main a[href$='/admin/utenti/nuovo']").first)
    assert page.url.endswith("/admin/utenti/nuovo")

    # Nothing filled in: the form comes back with a summary that takes the focus.
    submit(page, page.locator("main form button[type=submit]"), status=422)
    assert page.locator("#error-summary").is_visible()
    assert page.evaluate("() => document.activeElement && document.activeElement.id") == (
        "error-summary"
    )
    assert page.locator("#email").get_attribute("aria-invalid") == "true"

    email = f"nuova.referente.{secrets.token_hex(4)}@example.org"
    page.locator("#email").fill(email)
    page.locator("#full_name").fill("Ornella Brivio")
    # Bootstrap Italia draws the checkbox on its label, which is what people click.
    referent = page.locator("input[name=roles][value=referent]")
    page.locator(f"label[for='{referent.get_attribute('id')}']").click()
    assert referent.is_checked()
    page.locator("#locale").select_option("it")
    # A referent without an organisation is refused by the service; the data typed stays.
    submit(page, page.locator("main form button[type=submit]"), status=422)
    assert page.locator("#email").input_value() == email
    assert page.locator("#full_name").input_value() == "Ornella Brivio"
    assert page.locator("input[name=roles][value=referent]").is_checked()

    page.locator("#organisation_id").select_option(label="Navigli Logistica S.r.l.")
    submit(page, page.locator("main form button[type=submit]"))
    assert "/admin/utenti/" in page.url
    assert page.locator("h1").inner_text() == "Ornella Brivio"
    assert page.locator("#flash-messages .alert-success").count() == 1
    detail = page.locator("main").inner_text()
    assert email in detail
    assert "Navigli Logistica S.r.l." in detail

    visit(page, f"/admin/utenti/?q={email}")
    assert page.locator("main table").inner_text().count(email) == 1
