"""Forgot password, in Italian, end to end: the page, the e-mail in the outbox, the link,
the new password, the login. axe checks every page, and the HTML of the e-mail too."""

from __future__ import annotations

import re
import secrets

from tests.e2e.support import check_page, new_page
from tests.mailbox import html_of, outbox_messages, password_link, path_of, text_of

NEW_PASSWORD = "una nuova frase segreta"


def make_account(live_server) -> str:
    """A fresh account of the live server's database, so no demo login changes."""
    from lms.accounts.models import Role
    from lms.accounts.services import create_user, system_actor
    from lms.db import db

    email = f"recupero.{secrets.token_hex(4)}@example.org"
    with live_server.app.app_context():
        create_user(
            system_actor(),
            email=email,
            full_name="Rosa Dell'Acqua",
            roles={Role.TRAINEE},
            password=live_server.password,
            locale="it",
        )
        db.session.commit()
    return email


def messages_to(live_server, email: str):
    return [m for m in outbox_messages(live_server.app.config["MAIL_OUTBOX"]) if m["To"] == email]


def test_forgot_password_then_log_in_with_the_new_one(
    page, visit, submit, login, live_server, browser
):
    email = make_account(live_server)

    visit(page, "/accesso")
    submit(page, page.locator("main a[href$='/password/dimenticata']"))
    assert page.locator("h1").inner_text() == "Password dimenticata?"
    assert page.locator("html").get_attribute("lang") == "it"

    # An empty form: the error summary, in Italian, and no message.
    submit(page, page.locator("main form button[type=submit]"), status=422)
    assert page.locator("#error-summary").is_visible()

    page.locator("#email").fill(email.upper())
    submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/password/dimenticata/inviata")
    assert page.locator("h1").inner_text() == "Controlla la posta elettronica"
    answer = page.locator("main").inner_text()

    [message] = messages_to(live_server, email)
    assert message["Subject"] == "Nuova password per Rencontrer LMS"
    assert "Gentile Rosa Dell'Acqua," in text_of(message)
    link = password_link(message)
    assert link.startswith(live_server.url + "/password/imposta/")

    # An unknown address gets the very same answer, and no message is written.
    visit(page, "/password/dimenticata")
    page.locator("#email").fill("nessuno." + email)
    submit(page, page.locator("main form button[type=submit]"))
    assert page.locator("main").inner_text() == answer
    assert messages_to(live_server, "nessuno." + email) == []

    visit(page, path_of(link))
    assert page.locator("h1").inner_text() == "Imposta la tua password"
    page.locator("#new_password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    submit(page, page.locator("main form button[type=submit]"))
    assert page.url.endswith("/accesso")
    assert "Ora puoi accedere" in page.locator("#flash-messages").inner_text()

    login(page, email, NEW_PASSWORD)
    assert page.locator("h1").inner_text().startswith("Benvenuto")
    submit(page, page.locator("header form[action$='/esci'] button"))

    # The link worked once: it is refused now.
    visit(page, path_of(link), status=404)

    # The HTML part of the message passes the same check, in a blank tab (as a mail program
    # shows it: without the site's Content-Security-Policy, which forbids inline styles).
    reader = new_page(browser, live_server)
    try:
        reader.set_content(html_of(message))
        assert reader.locator("html").get_attribute("lang") == "it"
        check_page(reader)
    finally:
        reader.context.close()


def test_admin_sends_invitations_and_the_link_works(page, visit, submit, login, live_server):
    """The admin pages of invitations, checked by axe; the invited person sets a password."""
    from lms.accounts.models import Role
    from lms.accounts.services import create_user, system_actor
    from lms.db import db

    email = f"invitata.{secrets.token_hex(4)}@example.org"
    with live_server.app.app_context():
        person = create_user(
            system_actor(),
            email=email,
            full_name="Ines Invitata",
            roles={Role.TRAINEE},
            locale="en",
        )
        db.session.commit()
        person_id = person.id

    login(page, "admin@demo.example")
    visit(page, "/admin/utenti/?access=pending")
    submit(page, page.locator("main a[href$='/admin/utenti/inviti']"))
    assert page.locator("h1").inner_text() == "Invia inviti"
    assert email in page.locator("main ul").inner_text()
    submit(page, page.locator("main form button[type=submit]"))
    assert re.search(r"\d+ invit[oi] inviat[oi]\.", page.locator("#flash-messages").inner_text())
    [message] = messages_to(live_server, email)
    assert message["Subject"] == "Your account on Rencontrer LMS: set your password"

    # Invited again from the person's page: a second message with a new link.
    visit(page, f"/admin/utenti/{person_id}")
    submit(page, page.locator("main form[action$='/invito'] button"))
    assert f"È stato inviato un invito a {email}." in page.locator("#flash-messages").inner_text()
    first, second = messages_to(live_server, email)
    assert password_link(first) != password_link(second)
    submit(page, page.locator("header form[action$='/esci'] button"))

    visit(page, path_of(password_link(second)))
    page.locator("#new_password").fill(NEW_PASSWORD)
    page.locator("#confirm").fill(NEW_PASSWORD)
    submit(page, page.locator("main form button[type=submit]"))
    login(page, email, NEW_PASSWORD, locale=None)
    assert page.locator("html").get_attribute("lang") == "en"  # the person's own language
