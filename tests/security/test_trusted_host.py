"""Links are built on LMS_BASE_URL, never on the request's Host header, and outside debug a
request for another host is refused (Flask's TRUSTED_HOSTS)."""

from __future__ import annotations

from flask import Flask

from lms.accounts.models import Role
from lms.config import _trust_base_url_host
from tests.conftest import make_test_app
from tests.mailbox import outbox_messages, password_link


def test_links_ignore_a_forged_host(app, make, login_as):
    """The admin's access-link page and the "forgot password" e-mail, asked for with a
    forged Host header, both link to LMS_BASE_URL."""
    admin = make.user(Role.ADMIN)
    user = make.user(Role.TRAINEE, email="corsista.host@example.org")
    client = login_as(admin)
    for name in ("session", "remember_token"):
        cookie = client.get_cookie(name)
        if cookie is not None:
            client.set_cookie(name, cookie.value, domain="evil.example")
    resp = client.post(f"/admin/utenti/{user.id}/link-accesso", headers={"Host": "evil.example"})
    page = resp.get_data(as_text=True)
    assert resp.status_code == 200, resp.headers.get("Location")
    assert "http://127.0.0.1:5000/password/imposta/" in page
    assert "evil.example" not in page
    anonymous = app.test_client()
    resp = anonymous.post(
        "/password/dimenticata", data={"email": user.email}, headers={"Host": "evil.example"}
    )
    assert resp.status_code == 303
    [message] = outbox_messages(app.config["MAIL_OUTBOX"])
    assert password_link(message).startswith("http://127.0.0.1:5000/password/imposta/")
    assert "evil.example" not in message.as_string()


def test_requests_for_another_host_are_refused(database_url, tmp_path):
    app = make_test_app(
        database_url, tmp_path, TRUSTED_HOSTS=["lms.example.org"], PROPAGATE_EXCEPTIONS=False
    )
    client = app.test_client()
    assert client.get("/healthz", headers={"Host": "lms.example.org"}).status_code == 200
    assert client.get("/healthz", headers={"Host": "evil.example"}).status_code == 400
    resp = client.get("/accesso", headers={"Host": "evil.example"})
    assert resp.status_code == 400 and "evil.example" not in resp.get_data(as_text=True)
    assert resp.headers["X-Content-Type-Options"] == "nosniff"


def _bare(debug=False, testing=False, **config) -> Flask:
    app = Flask(__name__)
    app.debug, app.testing = debug, testing
    app.config.update(config)
    return app


def test_the_trusted_host_comes_from_the_base_url_outside_debug():
    app = _bare(BASE_URL="https://formazione.example.org/lms")
    _trust_base_url_host(app)
    assert app.config["TRUSTED_HOSTS"] == ["formazione.example.org"]
    local = _bare(BASE_URL="http://127.0.0.1:5000")
    _trust_base_url_host(local)
    assert "localhost" in local.config["TRUSTED_HOSTS"]
    explicit = _bare(BASE_URL="https://a.example", TRUSTED_HOSTS=["b.example"])
    _trust_base_url_host(explicit)
    assert explicit.config["TRUSTED_HOSTS"] == ["b.example"]
    debug = _bare(debug=True, BASE_URL="https://a.example")
    _trust_base_url_host(debug)
    assert not debug.config.get("TRUSTED_HOSTS")
