"""Sessions that end: a copied session or remember-me cookie is refused after logout, after
"end" on the sessions page and after "log out everywhere"; idle and absolute timeouts."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select, update

from lms.accounts.models import Role, UserSession
from lms.db import db, utcnow
from tests.conftest import TEST_PASSWORD


def _log_in(app, user, remember=False):
    client = app.test_client()
    data = {"email": user.email, "password": TEST_PASSWORD}
    if remember:
        data["remember"] = "y"
    assert client.post("/accesso", data=data).status_code == 303
    return client


def _copy_of(app, client):
    """A second browser holding copies of the first one's cookies (a stolen cookie)."""
    thief = app.test_client()
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            thief.set_cookie(name, cookie.value)
    return thief


def _remember_only(app, client):
    thief = app.test_client()
    thief.set_cookie("remember_token", client.get_cookie("remember_token").value)
    return thief


@pytest.mark.parametrize("remember", [False, True])
def test_a_copied_cookie_dies_with_logout(app, make, remember):
    user = make.user(Role.TRAINEE)
    client = _log_in(app, user, remember=remember)
    thief = _copy_of(app, client)
    assert thief.get("/").status_code == 200
    if remember:
        assert _remember_only(app, client).get("/").status_code == 200
        remembered = _remember_only(app, client)
    assert client.post("/esci").status_code == 303
    assert thief.get("/").status_code == 302
    if remember:
        assert remembered.get("/").status_code == 302


def test_the_sessions_page_lists_and_ends_another_device(app, make):
    user = make.user(Role.TRAINEE)
    laptop, phone = _log_in(app, user), _log_in(app, user)
    page = laptop.get("/profilo/sessioni").get_data(as_text=True)
    assert page.count("Termina<span") == 2 and "questo dispositivo" in page
    other = db.session.scalars(
        select(UserSession).where(UserSession.user_id == user.id).order_by(UserSession.id)
    ).all()[1]
    assert laptop.post(f"/profilo/sessioni/{other.id}/termina").status_code == 303
    assert phone.get("/").status_code == 302
    assert laptop.get("/").status_code == 200


def test_log_out_everywhere_else_and_someone_elses_session_is_404(app, make):
    user, stranger = make.user(Role.TRAINEE), make.user(Role.TRAINEE)
    here, there = _log_in(app, user), _log_in(app, user)
    theirs = _log_in(app, stranger)
    their_row = db.session.scalar(select(UserSession).where(UserSession.user_id == stranger.id))
    assert here.post(f"/profilo/sessioni/{their_row.id}/termina").status_code == 404
    assert theirs.get("/").status_code == 200
    assert here.post("/profilo/sessioni/altre/termina").status_code == 303
    assert there.get("/").status_code == 302 and here.get("/").status_code == 200


def _age(user_id, **shift):
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == user_id)
        .values(**{k: utcnow() - v for k, v in shift.items()})
    )
    db.session.commit()


def test_idle_and_absolute_timeouts(app, make):
    user = make.user(Role.TRAINEE)
    client = _log_in(app, user)
    _age(user.id, last_seen_at=dt.timedelta(minutes=app.config["SESSION_IDLE_MINUTES"] + 1))
    assert client.get("/").status_code == 302
    other = make.user(Role.TRAINEE)
    client = _log_in(app, other)
    db.session.execute(
        update(UserSession)
        .where(UserSession.user_id == other.id)
        .values(expires_at=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()
    assert client.get("/").status_code == 302


def test_deactivation_and_password_change_end_sessions(app, make, login_as):
    user = make.user(Role.TRAINEE)
    elsewhere = _log_in(app, user)
    me = _log_in(app, user)
    new = "Navigli tram 19 giallo"
    resp = me.post(
        "/profilo/password",
        data={"current_password": TEST_PASSWORD, "new_password": new, "confirm": new},
    )
    assert resp.status_code == 303
    assert elsewhere.get("/").status_code == 302 and me.get("/").status_code == 200
    ended = db.session.scalars(
        select(UserSession.end_reason).where(UserSession.user_id == user.id)
    ).all()
    assert "password change" in ended
    admin = login_as(make.user(Role.ADMIN))
    assert admin.post(f"/admin/utenti/{user.id}/disattiva").status_code == 303
    assert me.get("/").status_code == 302
