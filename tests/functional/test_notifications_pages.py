"""The notifications page, its API and the unread count in the header."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from flask_babel import lazy_gettext as _l
from sqlalchemy import event

from lms.accounts.models import Role
from lms.db import db
from lms.notifications import services
from tests.mailbox import LocalSmtpServer, outbox_messages, text_of

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _notices(user, n, link=None):
    rows = [
        services.notify_in_app(
            user,
            "test.notice",
            _l("Dossier %(number)d submitted for assessment", number=i),
            _l("Comments: %(comment)s", comment=f"commento {i}"),
            link_endpoint=link,
            link_args={},
            email=False,
            now=NOW + dt.timedelta(minutes=i),
        )
        for i in range(1, n + 1)
    ]
    db.session.commit()
    return rows


@contextlib.contextmanager
def statements():
    seen: list[str] = []

    def before(conn, cursor, statement, parameters, context, executemany):
        seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", before)
    try:
        yield seen
    finally:
        event.remove(db.engine, "before_cursor_execute", before)


def test_the_header_shows_the_unread_count_as_an_accessible_link(app, make, login_as):
    me = make.user(Role.TRAINEE, locale="it")
    _notices(me, 3)
    page = login_as(me).get("/").get_data(as_text=True)
    assert 'href="/notifiche"' in page
    assert ">3</span>" in page and "(3 non lette)" in page


def test_the_page_lists_own_notifications_and_marks_them_read(app, make, login_as):
    me, other = make.user(Role.ASSESSOR, locale="it"), make.user(Role.ASSESSOR)
    mine = _notices(me, 2, link="notifications.index")
    theirs = _notices(other, 1)[0]
    client = login_as(me)
    page = client.get("/notifiche").get_data(as_text=True)
    assert "Dossier 2 inviato per la valutazione" in page
    assert "Osservazioni: commento 1" in page
    assert "commento" in page and f"/notifiche/{mine[0].id}/letta" in page
    assert f"/notifiche/{theirs.id}/letta" not in page
    resp = client.post(f"/notifiche/{mine[0].id}/letta")
    assert resp.status_code == 303
    assert services.unread_count(me) == 1
    assert "(1 non letta)" in client.get("/notifiche").get_data(as_text=True)
    assert client.post(f"/notifiche/{theirs.id}/letta").status_code == 404
    db.session.refresh(theirs)
    assert theirs.read_at is None
    assert client.post("/notifiche/lette").status_code == 303
    assert services.unread_count(me) == 0
    assert "non lett" not in client.get("/").get_data(as_text=True)


def test_marking_read_needs_the_csrf_token(app, make, login_as):
    me = make.user(Role.TRAINEE)
    row = _notices(me, 1)[0]
    client = login_as(me)
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        assert client.post(f"/notifiche/{row.id}/letta").status_code == 400
    finally:
        app.config["WTF_CSRF_ENABLED"] = False
    assert services.unread_count(me) == 1


def test_the_api_lists_and_marks_only_the_callers_notifications(app, make, login_as):
    me, other = make.user(Role.TRAINER, locale="en"), make.user(Role.TRAINER)
    mine = _notices(me, 3)
    theirs = _notices(other, 1)[0]
    client = login_as(me)
    body = client.get("/api/v1/notifications?per_page=2").get_json()
    assert body["total"] == 3 and body["pages"] == 2 and len(body["items"]) == 2
    first = body["items"][0]
    assert first["id"] == mine[-1].id
    assert first["title"] == "Dossier 3 submitted for assessment"
    assert first["read_at"] is None and first["url"] is None
    resp = client.post(f"/api/v1/notifications/{mine[0].id}/read")
    assert resp.status_code == 200 and resp.get_json()["read_at"] is not None
    unread = client.get("/api/v1/notifications?unread=true").get_json()
    assert unread["total"] == 2
    assert client.post(f"/api/v1/notifications/{theirs.id}/read").status_code == 404
    assert client.post("/api/v1/notifications/999999/read").status_code == 404
    assert app.test_client().get("/api/v1/notifications").status_code == 401


@pytest.mark.parametrize("size", [3, 30])
def test_the_header_count_is_one_query_whatever_the_number(app, make, login_as, size):
    me = make.user(Role.TRAINEE)
    _notices(me, size)
    client = login_as(me)
    with statements() as seen:
        assert client.get("/").status_code == 200
    on_table = [s for s in seen if "notifications" in s]
    assert len(on_table) == 1, on_table


@pytest.fixture
def smtp(app, tmp_path):
    """A real SMTP server (STARTTLS and a login) started by the test."""
    server = LocalSmtpServer(tls="starttls", folder=tmp_path).start()
    app.config["MAIL_URL"] = server.url
    yield server
    server.stop()


def test_a_submission_notice_reaches_the_experts_by_smtp_after_the_commit(app, make, smtp):
    from certificates.models import DossierState
    from certificates.services import dossiers
    from lms.accounts.models import User

    dossier = make.dossier(state=DossierState.IDENTIFICATION)
    db.session.commit()
    candidate = db.session.get(User, dossier.candidate_id)
    experts = {db.session.get(User, i).email for i in dossier.expert_ids}
    dossiers.submit(candidate, dossier)  # the service notifies the experts
    assert smtp.sink.received == []  # inside the transaction nothing leaves
    db.session.commit()
    received = smtp.sink.received
    assert {r.rcpt_tos[0] for r in received} == experts
    assert all(
        r.message["Subject"] == f"Dossier {dossier.id} inviato per la valutazione" for r in received
    )
    assert candidate.full_name in text_of(received[0].message)
    assert outbox_messages(app.config["MAIL_OUTBOX"]) == []  # SMTP replaces the outbox
