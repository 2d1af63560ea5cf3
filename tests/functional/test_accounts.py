"""Login, logout, passwords, one-time links, tokens and the /me API."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from lms.accounts import services
from lms.accounts.models import Role
from lms.audit.models import AuditEntry
from lms.db import db
from tests.conftest import TEST_PASSWORD


def test_login_with_email_in_other_case(client, make):
    user = make.user(Role.TRAINEE, email="mario.rossi@example.org")
    resp = client.post(
        "/accesso", data={"email": "Mario.Rossi@Example.ORG", "password": TEST_PASSWORD}
    )
    assert resp.status_code == 303
    assert client.get("/").status_code == 200
    assert user.last_login_at is not None


def test_wrong_password_gives_generic_message(client, make):
    user = make.user(Role.TRAINEE)
    resp = client.post("/accesso", data={"email": user.email, "password": "wrong-password"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200
    assert "Email o password non corretti" in page
    unknown = client.post("/accesso", data={"email": "nobody@example.org", "password": "x" * 12})
    assert "Email o password non corretti" in unknown.get_data(as_text=True)


def test_inactive_user_cannot_log_in(client, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    services.set_active(admin, user, False)
    db.session.commit()
    resp = client.post("/accesso", data={"email": user.email, "password": TEST_PASSWORD})
    assert resp.status_code == 200


def test_open_redirect_refused(client, make):
    user = make.user(Role.TRAINEE)
    resp = client.post(
        "/accesso",
        data={"email": user.email, "password": TEST_PASSWORD, "next": "https://evil.example/"},
    )
    assert resp.headers["Location"] == "/"


def test_change_password_ends_other_sessions(app, make):
    user = make.user(Role.TRAINEE)
    first, second = app.test_client(), app.test_client()
    for c in (first, second):
        c.post("/accesso", data={"email": user.email, "password": TEST_PASSWORD})
    resp = first.post(
        "/profilo/password",
        data={
            "current_password": TEST_PASSWORD,
            "new_password": "a-new-password-123",
            "confirm": "a-new-password-123",
        },
    )
    assert resp.status_code == 303
    assert first.get("/").status_code == 200
    assert second.get("/").status_code == 302  # the other device is logged out


def test_change_password_wrong_current_keeps_form(login_as, make):
    user = make.user(Role.TRAINEE)
    client = login_as(user)
    resp = client.post(
        "/profilo/password",
        data={
            "current_password": "nope-nope-nope",
            "new_password": "another-password-1",
            "confirm": "another-password-1",
        },
    )
    assert resp.status_code == 422
    assert "La password attuale non è corretta" in resp.get_data(as_text=True)


def test_password_link_is_one_time_and_expires(app, client, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE)
    raw = services.create_password_link(admin, user)
    db.session.commit()
    assert client.get(f"/password/imposta/{raw}").status_code == 200
    resp = client.post(
        f"/password/imposta/{raw}",
        data={"new_password": "brand-new-pass-1", "confirm": "brand-new-pass-1"},
    )
    assert resp.status_code == 303
    assert client.get(f"/password/imposta/{raw}").status_code == 404
    assert services.authenticate(user.email, "brand-new-pass-1") is not None

    raw2 = services.create_password_link(admin, user)
    link = services.find_password_link(raw2)
    db.session.commit()
    # Expired links are refused: move the clock by editing the expiry, as time would.
    link.expires_at = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
    db.session.commit()
    assert client.get(f"/password/imposta/{raw2}").status_code == 404


def test_api_me_by_session_and_by_token(client, make, login_as):
    user = make.user(Role.TRAINER, Role.ASSESSOR)
    assert client.get("/api/v1/me").status_code == 401
    token, raw = services.create_api_token(user, "script")
    db.session.commit()
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 200
    assert resp.json["email"] == user.email
    assert resp.json["roles"] == ["assessor", "trainer"]
    services.revoke_api_token(user, token)
    db.session.commit()
    resp = client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "unauthorized"


def test_token_page_creates_and_revokes(login_as, make):
    user = make.user(Role.TRAINEE)
    client = login_as(user)
    resp = client.post("/profilo/token", data={"name": "report script"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200 and "lms_" in page
    token_id = db.session.scalar(
        select(AuditEntry.object_id).where(AuditEntry.action == "api_token.create")
    )
    other = make.user(Role.TRAINEE)
    other_client = client.application.test_client()
    other_client.post("/accesso", data={"email": other.email, "password": TEST_PASSWORD})
    assert other_client.post(f"/profilo/token/{token_id}/revoca").status_code == 404
    assert client.post(f"/profilo/token/{token_id}/revoca").status_code == 303


def test_language_switch_is_stored_on_account(login_as, make):
    user = make.user(Role.TRAINEE)
    client = login_as(user)
    client.post("/lingua", data={"locale": "en", "next": "/"})
    assert user.locale == "en"
    assert "Log out" in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize(
    ("new", "message"),
    [
        ("password1234", "troppo comune"),
        ("1234567890", "12 caratteri"),
        (TEST_PASSWORD, "diversa da quella attuale"),
    ],
)
def test_weak_or_reused_passwords_are_refused_and_nothing_changes(login_as, make, new, message):
    user = make.user(Role.TRAINEE)
    before = user.password_hash
    client = login_as(user)
    resp = client.post(
        "/profilo/password",
        data={"current_password": TEST_PASSWORD, "new_password": new, "confirm": new},
    )
    assert resp.status_code == 422
    assert message in resp.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(type(user), user.id).password_hash == before


def test_a_password_link_refuses_a_password_with_the_name(app, client, make):
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE, full_name="Ottavia Brambilla")
    raw = services.create_password_link(admin, user)
    db.session.commit()
    weak = "brambilla-navigli-2026"
    resp = client.post(f"/password/imposta/{raw}", data={"new_password": weak, "confirm": weak})
    assert resp.status_code == 422
    assert "il tuo nome" in resp.get_data(as_text=True)
    assert client.get(f"/password/imposta/{raw}").status_code == 200  # the link still works
