"""API tokens expire, are revoked by a password change unless kept, and their "last used" is
saved on read requests too (at most once a minute, in its own transaction)."""

from __future__ import annotations

import datetime as dt

import pytest

from lms.accounts import services
from lms.accounts.models import ApiToken, Role
from lms.db import db
from lms.errors import ValidationFailed
from tests.conftest import TEST_PASSWORD

NOW = dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC)


def _me(client, raw):
    return client.get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"})


def test_a_token_works_until_it_expires(app, make):
    user = make.user(Role.TRAINEE)
    token, raw = services.create_api_token(user, "script", days=30, now=NOW)
    db.session.commit()
    assert token.expires_at == NOW + dt.timedelta(days=30)
    assert services.user_for_api_token(raw, now=NOW + dt.timedelta(days=29)) == user
    assert services.user_for_api_token(raw, now=NOW + dt.timedelta(days=30)) is None


def test_an_expired_token_gets_401(app, make):
    user = make.user(Role.TRAINEE)
    _token, raw = services.create_api_token(
        user, "vecchio", days=30, now=NOW - dt.timedelta(days=400)
    )
    db.session.commit()
    assert _me(app.test_client(), raw).status_code == 401


@pytest.mark.parametrize("days", [0, 7, 366, -1])
def test_only_the_offered_lifetimes(app, make, days):
    user = make.user(Role.TRAINEE)
    with pytest.raises(ValidationFailed):
        services.create_api_token(user, "x", days=days)


def test_the_token_page_offers_the_lifetime(login_as, make):
    user = make.user(Role.TRAINEE)
    client = login_as(user)
    assert 'name="days"' in client.get("/profilo/token").get_data(as_text=True)
    resp = client.post("/profilo/token", data={"name": "report", "days": "180"})
    assert resp.status_code == 200
    token = db.session.query(ApiToken).filter_by(user_id=user.id).one()
    assert (token.expires_at - token.created_at).days == 180


@pytest.mark.parametrize("keep", [False, True])
def test_a_password_change_revokes_tokens_unless_kept(login_as, make, app, keep):
    user = make.user(Role.TRAINEE)
    _token, raw = services.create_api_token(user, "script")
    db.session.commit()
    client = login_as(user)
    new = "Navigli tram 19 giallo"
    data = {"current_password": TEST_PASSWORD, "new_password": new, "confirm": new}
    if keep:
        data["keep_tokens"] = "y"
    assert client.post("/profilo/password", data=data).status_code == 303
    assert _me(app.test_client(), raw).status_code == (200 if keep else 401)


def test_last_used_is_saved_by_read_requests_once_a_minute(app, make):
    user = make.user(Role.TRAINEE)
    token, raw = services.create_api_token(user, "script")
    db.session.commit()
    token_id = token.id
    client = app.test_client()
    assert _me(client, raw).status_code == 200
    db.session.expire_all()
    first = db.session.get(ApiToken, token_id).last_used_at
    assert first is not None
    assert _me(client, raw).status_code == 200
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).last_used_at == first  # not again within a minute
    later = first + dt.timedelta(minutes=2)
    assert services.user_for_api_token(raw, now=later) is not None
    db.session.expire_all()
    assert db.session.get(ApiToken, token_id).last_used_at == later
