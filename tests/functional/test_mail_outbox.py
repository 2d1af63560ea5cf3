"""E-mail through the outbox (the embedded default): invitations, forgot password, notify,
and the rule that a message leaves only after its transaction commits."""

from __future__ import annotations

import re
from pathlib import Path

from flask_babel import force_locale, get_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from lms.accounts.models import PasswordLink, Role
from lms.audit.models import AuditEntry
from lms.db import db
from lms.mail.models import MailStatus, OutgoingMail
from lms.mail.services import notify
from tests.conftest import TEST_PASSWORD, login
from tests.mailbox import html_of, outbox_messages, password_link, path_of, text_of

NEW_PASSWORD = "a brand new passphrase"
CSRF = re.compile(r'name="csrf_token" value="[^"]*"')


def outbox(app):
    return outbox_messages(app.config["MAIL_OUTBOX"])


def mails() -> list[OutgoingMail]:
    db.session.expire_all()
    return db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()


def set_password_through(client, link: str, password: str = NEW_PASSWORD):
    assert link.startswith("http://127.0.0.1:5000/")  # LMS_BASE_URL, not the request's host
    page = client.get(path_of(link))
    assert page.status_code == 200
    resp = client.post(path_of(link), data={"new_password": password, "confirm": password})
    assert resp.status_code == 303
    return resp


def assert_can_log_in(app, user, password: str = NEW_PASSWORD):
    fresh = app.test_client()
    login(fresh, user, password)
    assert fresh.get("/").status_code == 200


# --- invitations ------------------------------------------------------------------------


def test_invitation_is_written_to_the_outbox_in_the_recipients_language(app, make, login_as):
    admin = make.user(Role.ADMIN, locale="en")
    person = make.user(Role.TRAINEE, password=None, locale="it", full_name="Carla D'Amico")
    client = login_as(admin)

    resp = client.post(f"/admin/utenti/{person.id}/invito")
    assert resp.status_code == 303
    page = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert f"An invitation has been sent to {person.email}." in page  # the admin's language

    [message] = outbox(app)
    assert message["To"] == person.email
    assert message["From"] == app.config["MAIL_FROM"]
    assert message["Subject"] == "Il tuo account su Rencontrer LMS: imposta la password"
    text = text_of(message)
    assert "Gentile Carla D'Amico," in text  # plain text: not HTML-escaped
    assert "Gentile Carla D&#39;Amico," in html_of(message)
    assert 'lang="it"' in html_of(message)

    [row] = mails()
    assert row.status == MailStatus.SENT and row.attempts == 1 and row.sent_at is not None
    assert row.body_text == "" and row.body_html is None  # the one-time link is not kept

    set_password_through(app.test_client(), password_link(message))
    assert_can_log_in(app, person)
    actions = db.session.scalars(
        select(AuditEntry.action).where(AuditEntry.object_id == str(person.id))
    )
    assert "user.invite" in set(actions)


def test_invitation_to_an_english_speaker_from_an_italian_admin(app, make, login_as):
    admin = make.user(Role.ADMIN, locale="it")
    person = make.user(Role.TRAINEE, password=None, locale="en")
    client = login_as(admin)
    assert client.post(f"/admin/utenti/{person.id}/invito").status_code == 303
    [message] = outbox(app)
    assert message["Subject"] == "Your account on Rencontrer LMS: set your password"
    assert "expires in 72 hours" in text_of(message)


def test_only_administrators_invite_and_not_the_deactivated(app, make, login_as):
    from lms.accounts.services import set_active

    admin = make.user(Role.ADMIN)
    person = make.user(Role.TRAINEE, password=None)
    coordinator = make.user(Role.COORDINATOR)
    client = login_as(coordinator)
    assert client.post(f"/admin/utenti/{person.id}/invito").status_code == 403
    assert client.post("/admin/utenti/inviti").status_code == 403
    assert client.get("/admin/utenti/inviti").status_code == 403
    set_active(admin, person, False)
    db.session.commit()
    client = app.test_client()
    login(client, admin)
    assert client.post(f"/admin/utenti/{person.id}/invito").status_code == 303
    assert client.post("/admin/utenti/999999/invito").status_code == 404
    assert outbox(app) == [] and mails() == []


def test_send_invitations_after_a_csv_import(app, make, login_as):
    from tests.functional.test_admin_import import CLEAN, payload_of, upload

    admin = make.user(Role.ADMIN)
    already = make.user(Role.TRAINEE)  # has a password: not invited
    org = make.organisation(name="Sempione Retail S.p.A.")
    client = login_as(admin)
    page = upload(client, CLEAN.format(org=org.name)).get_data(as_text=True)
    resp = client.post("/admin/utenti/importa/conferma", data={"payload": payload_of(page)})
    listing = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "Invia inviti" in listing

    page = client.get("/admin/utenti/inviti").get_data(as_text=True)
    assert "3 account attivi non hanno una password" in page
    assert "Invia 3 inviti" in page
    resp = client.post("/admin/utenti/inviti")
    assert resp.status_code == 303
    assert "3 inviti inviati." in client.get(resp.headers["Location"]).get_data(as_text=True)

    messages = {m["To"]: m for m in outbox(app)}
    assert set(messages) == {"giulia@example.org", "marco@example.org", "anna@example.org"}
    assert already.email not in messages
    assert messages["marco@example.org"]["Subject"].startswith("Your account")  # locale en
    assert messages["giulia@example.org"]["Subject"].startswith("Il tuo account")

    # Sending again writes to nobody: they have all been invited once.
    assert client.post("/admin/utenti/inviti").status_code == 303
    assert len(outbox(app)) == 3
    assert "Nessuno è in attesa di invito" in client.get("/admin/utenti/inviti").get_data(
        as_text=True
    )
    from lms.accounts.services import get_user_by_email

    set_password_through(app.test_client(), password_link(messages["anna@example.org"]))
    assert_can_log_in(app, get_user_by_email("anna@example.org"))


# --- forgot password --------------------------------------------------------------------


def test_login_page_links_to_forgot_password(client):
    page = client.get("/accesso").get_data(as_text=True)
    assert 'href="/password/dimenticata"' in page
    assert "Password dimenticata?" in page


def test_forgot_password_answers_the_same_for_known_and_unknown_addresses(app, make):
    person = make.user(Role.TRAINER, email="docente@example.org", locale="en")
    answers = []
    for address in ("DOCENTE@example.org", "nobody@example.org"):
        client = app.test_client()
        resp = client.post("/password/dimenticata", data={"email": address})
        assert resp.status_code == 303
        page = client.get(resp.headers["Location"]).get_data(as_text=True)
        answers.append((resp.headers["Location"], CSRF.sub("", page)))
    assert answers[0] == answers[1]  # byte for byte, but for each visitor's CSRF token
    assert "Controlla la posta elettronica" in answers[0][1]

    [message] = outbox(app)  # one message, for the known address only
    assert message["To"] == person.email
    assert message["Subject"] == "A new password for Rencontrer LMS"  # the account's language
    set_password_through(app.test_client(), password_link(message))
    assert_can_log_in(app, person)
    # The old password no longer works.
    resp = app.test_client().post(
        "/accesso", data={"email": person.email, "password": TEST_PASSWORD}
    )
    assert resp.status_code == 200


def test_forgot_password_sends_nothing_to_deactivated_accounts_or_twice_in_a_row(app, make):
    from lms.accounts.services import set_active

    admin = make.user(Role.ADMIN)
    gone = make.user(Role.TRAINEE)
    person = make.user(Role.TRAINEE)
    set_active(admin, gone, False)
    db.session.commit()
    client = app.test_client()
    for address in (gone.email, person.email, person.email):
        assert client.post("/password/dimenticata", data={"email": address}).status_code == 303
    assert [m["To"] for m in outbox(app)] == [person.email]
    links = db.session.scalar(select(func.count()).where(PasswordLink.user_id == person.id))
    assert links == 1


def test_forgot_password_form_errors(client):
    resp = client.post("/password/dimenticata", data={"email": ""})
    assert resp.status_code == 422
    assert client.get("/password/dimenticata").status_code == 200


def test_forgot_password_is_rate_limited(database_url, tmp_path, make):
    from lms.extensions import limiter
    from tests.conftest import IsolatedClient, make_test_app

    app = make_test_app(
        database_url, tmp_path, RATELIMIT_ENABLED=True, RATELIMIT_PASSWORD_RESET="3 per minute"
    )
    app.test_client_class = IsolatedClient
    with app.app_context():
        limiter.reset()
        person = make.user(Role.TRAINEE)
        client = app.test_client()
        for address in (person.email, "nobody@example.org", person.email):
            assert client.post("/password/dimenticata", data={"email": address}).status_code == 303
        resp = client.post("/password/dimenticata", data={"email": "other@example.org"})
        assert resp.status_code == 429
        assert "Troppi tentativi" in resp.get_data(as_text=True)
        assert client.get("/password/dimenticata").status_code == 200  # reading is not limited
        assert len(outbox(app)) == 1
        db.session.remove()
        db.engine.dispose()


# --- after the commit, never inside the transaction ------------------------------------


def test_a_message_leaves_only_after_its_transaction_commits(app, make):
    person = make.user(Role.TRAINEE, locale="en")
    context = {"heading": _l("Forgot your password?"), "paragraphs": [_l("Login page")]}
    notify(person, "notice", context)
    assert outbox(app) == []  # queued, not sent: the transaction is still open
    db.session.rollback()
    assert outbox(app) == [] and mails() == []  # rolled back: nothing is ever sent

    notify(person, "notice", context)
    assert outbox(app) == []
    db.session.commit()
    [message] = outbox(app)
    assert message["Subject"] == "Forgot your password?"
    assert "Login page" in text_of(message)
    assert mails()[0].body_text  # not sensitive: the body is kept


def test_notify_uses_the_recipients_language_not_the_requests(app, make):
    italian = make.user(Role.TRAINEE, locale="it")
    english = make.user(Role.TRAINEE, locale="en")
    context = {"heading": _l("Forgot your password?"), "action_url": "http://x.example/a"}
    with app.test_request_context("/", headers={"Accept-Language": "en"}), force_locale("en"):
        notify(italian, "notice", context)
        assert str(get_locale()) == "en"  # the request's language is left as it was
    with app.test_request_context("/"), force_locale("it"):
        notify(english, "notice", context)
    db.session.commit()
    subjects = {m["To"]: m["Subject"] for m in outbox(app)}
    assert subjects == {
        italian.email: "Password dimenticata?",
        english.email: "Forgot your password?",
    }
    assert "Apri la pagina: http://x.example/a" in text_of(outbox(app)[0])
    assert Path(app.config["MAIL_OUTBOX"]).parent == Path(app.config["UPLOAD_FOLDER"]).parent


def test_links_use_the_configured_base_url(app):
    from lms.mail.services import absolute_url

    app.config["BASE_URL"] = "https://lms.example.org/formazione/"
    with app.test_request_context("/", base_url="http://evil.example"):
        link = absolute_url("accounts.set_password", token="abc")
    assert link == "https://lms.example.org/formazione/password/imposta/abc"
