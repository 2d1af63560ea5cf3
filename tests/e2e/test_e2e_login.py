"""Logging in through the real form, with CSRF on."""

from __future__ import annotations


def test_wrong_password_then_success(page, visit, submit, live_server):
    visit(page, "/accesso")
    page.locator("#email").fill("corsista1@demo.example")
    page.locator("#password").fill("not-the-password")
    submit(page, page.locator("main form button[type=submit]"))
    flash = page.locator("#flash-messages")
    assert "Email o password non corretti" in flash.inner_text()
    assert page.locator("header form[action$='/esci']").count() == 0
    # The email typed is kept; the password is not.
    assert page.locator("#email").input_value() == "corsista1@demo.example"
    assert page.locator("#password").input_value() == ""

    page.locator("#password").fill(live_server.password)
    submit(page, page.locator("main form button[type=submit]"))
    assert page.url == live_server.url + "/"
    assert page.locator("html").get_attribute("lang") == "it"
    assert page.locator("h1").inner_text().startswith("Benvenuto")
    assert page.locator("header form[action$='/esci']").count() == 1


def test_anonymous_visitor_is_sent_to_login(page, visit, live_server):
    visit(page, "/")
    assert page.url.startswith(live_server.url + "/accesso")
    assert page.locator("h1").inner_text() == "Accedi"


def test_logout(page, login, submit):
    login(page, "docente1@demo.example")
    submit(page, page.locator("header form[action$='/esci'] button"))
    assert "/accesso" in page.url
    assert page.locator("header form[action$='/esci']").count() == 0
