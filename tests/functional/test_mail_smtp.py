"""E-mail through a real SMTP server started by the test (aiosmtpd on 127.0.0.1): delivery,
login, a server that is down (the change stays, the message waits), and the retries."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from lms.accounts.models import PasswordLink, Role
from lms.accounts.services import get_user_by_email
from lms.db import db, utcnow
from lms.mail.models import MailStatus, OutgoingMail
from lms.mail.sending import backoff, send_pending
from lms.mail.transport import OutboxTransport, SmtpTransport, transport_for
from tests.conftest import login
from tests.mailbox import LocalSmtpServer, outbox_messages, password_link, path_of, text_of

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture(params=["starttls", "ssl"])
def smtp(app, request, tmp_path):
    """A real SMTP server with TLS (STARTTLS, then implicit TLS) and a login."""
    server = LocalSmtpServer(tls=request.param, folder=tmp_path).start()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


def mails() -> list[OutgoingMail]:
    db.session.expire_all()
    return db.session.scalars(select(OutgoingMail).order_by(OutgoingMail.id)).all()


def follow_link_and_log_in(app, message, user):
    link = password_link(message)
    client = app.test_client()
    assert client.get(path_of(link)).status_code == 200
    data = {"new_password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
    assert client.post(path_of(link), data=data).status_code == 303
    login(app.test_client(), user, NEW_PASSWORD)


def test_forgot_password_through_a_real_smtp_server(app, make, smtp):
    person = make.user(Role.TRAINEE, locale="it")
    resp = app.test_client().post("/password/dimenticata", data={"email": person.email})
    assert resp.status_code == 303

    [received] = smtp.sink.received
    assert smtp.sink.logins == [("lms", "s3cret pass")]  # after TLS, as the URL says
    assert received.rcpt_tos == [person.email]
    assert received.mail_from == "no-reply@localhost"
    assert received.message["Subject"] == "Nuova password per Rencontrer LMS"
    assert "Gentile " in text_of(received.message)
    assert outbox_messages(app.config["MAIL_OUTBOX"]) == []  # SMTP replaces the outbox
    follow_link_and_log_in(app, received.message, person)


def test_invitation_through_a_real_smtp_server(app, make, smtp):
    admin = make.user(Role.ADMIN, locale="it")
    person = make.user(Role.TRAINEE, password=None, locale="en")
    client = app.test_client()
    login(client, admin)
    resp = client.post(f"/admin/utenti/{person.id}/invito")
    assert resp.status_code == 303
    assert "È stato inviato un invito" in client.get(resp.headers["Location"]).get_data(
        as_text=True
    )
    [received] = smtp.sink.received
    assert len(smtp.sink.logins) == 1
    assert received.message["Subject"] == "Your account on Rencontrer LMS: set your password"
    follow_link_and_log_in(app, received.message, person)


def test_smtp_down_keeps_the_change_and_send_pending_delivers_later(app, make):
    """The server is down: the import and the invitations stay, the messages wait; once the
    server is up, `flask lms mail send-pending` delivers them."""
    from tests.functional.test_admin_import import CLEAN, payload_of, upload

    down = LocalSmtpServer()  # its port is free: nothing listens there yet
    app.config["MAIL_URL"] = down.url
    admin = make.user(Role.ADMIN)
    org = make.organisation(name="Sempione Retail S.p.A.")
    client = app.test_client()
    login(client, admin)
    page = upload(client, CLEAN.format(org=org.name)).get_data(as_text=True)
    client.post("/admin/utenti/importa/conferma", data={"payload": payload_of(page)})
    resp = client.post("/admin/utenti/inviti")
    assert resp.status_code == 303
    flashed = client.get(resp.headers["Location"]).get_data(as_text=True)
    assert "3 inviti sono in coda" in flashed

    anna = get_user_by_email("anna@example.org")
    assert anna is not None  # the import was committed
    assert db.session.scalar(select(func.count()).where(PasswordLink.user_id == anna.id)) == 1
    rows = mails()
    assert len(rows) == 3
    for row in rows:
        assert row.status == MailStatus.QUEUED
        assert row.attempts == 1
        assert "Connection" in row.last_error or "refused" in row.last_error.lower()
        assert row.next_attempt_at > utcnow()  # backoff: not before a minute
        assert row.body_text  # kept until it is sent

    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "mail", "send-pending"])
    assert "Sent: 0." in result.output  # still in their backoff

    down.start()
    try:
        # A minute and more later (the wait of the first retry has passed).
        db.session.execute(
            update(OutgoingMail).values(next_attempt_at=utcnow() - dt.timedelta(seconds=1))
        )
        db.session.commit()
        result = runner.invoke(args=["lms", "mail", "send-pending"])
        assert result.exit_code == 0, result.output
        assert "Sent: 3." in result.output
        assert sorted(r.rcpt_tos[0] for r in down.sink.received) == [
            "anna@example.org",
            "giulia@example.org",
            "marco@example.org",
        ]
        assert {r.status for r in mails()} == {MailStatus.SENT}
        assert runner.invoke(args=["lms", "mail", "send-pending"]).output.startswith("Sent: 0.")
        status = runner.invoke(args=["lms", "mail", "status"]).output
        assert "sent: 3" in status and "queued: 0" in status
        anna_mail = next(r for r in down.sink.received if r.rcpt_tos == ["anna@example.org"])
        follow_link_and_log_in(app, anna_mail.message, anna)
    finally:
        down.stop()


def test_retries_back_off_then_give_up(app, make):
    from lms.mail.services import queue

    app.config["MAIL_URL"] = LocalSmtpServer().url  # nobody listens
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    person = make.user(Role.TRAINEE)
    start = utcnow()
    queue(person.email, "Oggetto", "Testo", user_id=person.id, sensitive=True, now=start)
    db.session.commit()  # first attempt, after the commit: fails
    [row] = mails()
    assert (row.status, row.attempts) == (MailStatus.QUEUED, 1)

    assert send_pending(now=row.next_attempt_at - dt.timedelta(seconds=1)) == (0, 0)
    assert send_pending(now=row.next_attempt_at) == (0, 1)  # second attempt fails
    [row] = mails()
    assert row.attempts == 2
    third = row.next_attempt_at
    assert send_pending(now=third) == (0, 1)
    [row] = mails()
    assert (row.status, row.attempts) == (MailStatus.FAILED, 3)  # given up, kept for review
    assert row.body_text == "" and "Connection" in row.last_error  # its link is not kept
    assert send_pending(now=third + dt.timedelta(days=1)) == (0, 0)


def test_backoff_doubles_up_to_six_hours():
    assert [backoff(n).total_seconds() / 60 for n in (1, 2, 3, 4)] == [1, 2, 4, 8]
    assert backoff(30) == dt.timedelta(hours=6)


def test_a_row_is_sent_once_even_when_two_senders_race(app, make):
    from lms.mail.sending import dispatch
    from lms.mail.services import queue

    person = make.user(Role.TRAINEE)
    row = queue(person.email, "Oggetto", "Testo")
    mail_id = row.id
    db.session.info.clear()  # keep it from the after-commit dispatch
    db.session.commit()
    assert dispatch([mail_id]) == 1
    assert dispatch([mail_id]) == 0  # already claimed and sent
    assert send_pending(now=utcnow() + dt.timedelta(days=1)) == (0, 0)
    assert len(outbox_messages(app.config["MAIL_OUTBOX"])) == 1


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("smtp://mail.example.org", ("mail.example.org", 25, False, False, None, None)),
        (
            "smtp://u%40x:p%3Aw@mail.example.org:587?starttls=1",
            ("mail.example.org", 587, False, True, "u@x", "p:w"),
        ),
        ("smtp://h?starttls=true", ("h", 587, False, True, None, None)),
        ("smtps://u:p@h", ("h", 465, True, False, "u", "p")),
        ("smtp://h:2465?ssl=1", ("h", 2465, True, False, None, None)),
    ],
)
def test_smtp_url(url, expected):
    t = SmtpTransport(url)
    assert (t.host, t.port, t.use_ssl, t.starttls, t.username, t.password) == expected


def test_transport_choice_and_bad_url(tmp_path):
    assert isinstance(transport_for({"MAIL_URL": None, "MAIL_OUTBOX": tmp_path}), OutboxTransport)
    assert isinstance(
        transport_for({"MAIL_URL": "smtp://h", "MAIL_OUTBOX": tmp_path}), SmtpTransport
    )
    with pytest.raises(ValueError, match="LMS_MAIL_URL"):
        SmtpTransport("http://h")
