"""The HTTP security baseline: headers, cookies, CSRF, size and rate limits, error pages."""

from __future__ import annotations

import re
import uuid

import pytest
from flask import jsonify, session
from flask_login import current_user

from lms.accounts.models import Role
from lms.db import db
from lms.security import login_required, public
from tests.conftest import IsolatedClient, make_test_app

API_WRITE = "/api/v1/_test/write"
BOOM = "/_test/boom"
REDIS_TEST_URL = "redis://127.0.0.1:6379/15"


def csp_directives(header: str) -> dict[str, list[str]]:
    """Parse a Content-Security-Policy header into {directive: [sources]}."""
    found = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            found[words[0]] = words[1:]
    return found


def add_test_routes(app) -> None:
    """Routes that exist only in these tests: an API write and a page that fails."""

    def api_write():
        return jsonify({"user": current_user.email})

    def boom():
        raise RuntimeError("a bug in a view")

    # An endpoint named api.* runs the API blueprint's hooks (session writes need CSRF).
    app.add_url_rule(API_WRITE, "api.test_write", login_required(api_write), methods=["POST"])
    app.add_url_rule(BOOM, "test_boom", public(boom))


@pytest.fixture
def build(database_url, tmp_path):
    """Build an app with config overrides (test routes added); pushes its app context."""
    contexts = []

    def _build(**overrides):
        app = make_test_app(database_url, tmp_path, **overrides)
        app.test_client_class = IsolatedClient
        add_test_routes(app)
        ctx = app.app_context()
        ctx.push()
        contexts.append((app, ctx))
        return app

    yield _build
    for _app, ctx in reversed(contexts):
        db.session.remove()
        db.engine.dispose()
        ctx.pop()


def csrf_token_of(client, path: str = "/accesso") -> str:
    """The CSRF token of the hidden field on a page."""
    page = client.get(path).get_data(as_text=True)
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page) or re.search(
        r'name="csrf_token" value="([^"]+)"', page
    )
    assert match, page[:500]
    return match.group(1)


def login_with_csrf(client, user, password="correct horse battery"):
    token = csrf_token_of(client)
    resp = client.post(
        "/accesso", data={"email": user.email, "password": password, "csrf_token": token}
    )
    assert resp.status_code == 303, resp.get_data(as_text=True)[:300]


# --- headers and cookies ---------------------------------------------------------------


def assert_security_headers(resp):
    csp = csp_directives(resp.headers["Content-Security-Policy"])
    assert "'unsafe-inline'" not in csp["script-src"]
    assert "'unsafe-eval'" not in csp["script-src"]
    assert "'unsafe-inline'" not in csp.get("style-src", [])
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] in {
        "same-origin",
        "strict-origin-when-cross-origin",
        "no-referrer",
    }
    assert resp.headers["X-Frame-Options"] == "DENY"


def test_headers_on_html_pages(client):
    resp = client.get("/accesso")
    assert resp.mimetype == "text/html"
    assert_security_headers(resp)
    assert resp.headers["Cache-Control"] == "no-store"


def test_headers_on_json_responses(client):
    for resp in (client.get("/api/v1/me"), client.get("/healthz")):
        assert resp.is_json
        assert_security_headers(resp)
    assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"


def test_session_cookie_is_httponly_and_lax(client, make):
    user = make.user(Role.TRAINEE)
    resp = client.post("/accesso", data={"email": user.email, "password": "correct horse battery"})
    cookie = next(c for c in resp.headers.getlist("Set-Cookie") if c.startswith("session="))
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie


def test_session_cookie_is_secure_in_production(monkeypatch, database_url, tmp_path):
    from lms import create_app

    monkeypatch.delenv("LMS_CONFIG", raising=False)
    app = create_app(
        {
            "SECRET_KEY": "a-long-production-secret-key-for-tests",
            "SQLALCHEMY_DATABASE_URI": database_url,
            "UPLOAD_FOLDER": str(tmp_path / "uploads"),
        }
    )
    assert not app.testing
    with app.test_request_context("/"):
        session["probe"] = 1
        resp = app.make_response("")
        app.session_interface.save_session(app, session, resp)
    cookie = resp.headers["Set-Cookie"]
    assert "Secure" in cookie
    assert "HttpOnly" in cookie
    assert "SameSite=Lax" in cookie
    assert app.config["REMEMBER_COOKIE_SECURE"] is True


# --- CSRF ------------------------------------------------------------------------------


def test_form_post_without_csrf_token_is_refused(build, make):
    app = build(WTF_CSRF_ENABLED=True)
    user = make.user(Role.TRAINEE)
    client = app.test_client()
    resp = client.post("/accesso", data={"email": user.email, "password": "correct horse battery"})
    assert resp.status_code == 400
    assert client.get("/").status_code == 302  # not logged in
    login_with_csrf(client, user)  # the same form with its token works
    assert client.get("/").status_code == 200


def test_api_post_with_bearer_token_needs_no_csrf_token(build, make):
    from lms.accounts.services import create_api_token

    app = build(WTF_CSRF_ENABLED=True)
    user = make.user(Role.TRAINER)
    _token, raw = create_api_token(user, "test")
    db.session.commit()
    resp = app.test_client().post(API_WRITE, json={}, headers={"Authorization": f"Bearer {raw}"})
    assert resp.status_code == 200, resp.get_data(as_text=True)
    assert resp.json == {"user": user.email}


def test_api_post_with_session_cookie_needs_csrf_header(build, make):
    app = build(WTF_CSRF_ENABLED=True)
    user = make.user(Role.TRAINER)
    client = app.test_client()
    login_with_csrf(client, user)
    refused = client.post(API_WRITE, json={})
    assert refused.status_code == 400
    assert refused.json["error"]["code"] == "bad_request"
    token = csrf_token_of(client, "/profilo/token")
    allowed = client.post(API_WRITE, json={}, headers={"X-CSRFToken": token})
    assert allowed.status_code == 200
    assert allowed.json == {"user": user.email}


def test_anonymous_api_post_gets_401_not_a_csrf_error(build):
    app = build(WTF_CSRF_ENABLED=True)
    resp = app.test_client().post(API_WRITE, json={})
    assert resp.status_code == 401
    assert resp.json["error"]["code"] == "unauthorized"


# --- limits ----------------------------------------------------------------------------


def test_request_over_max_content_length_gets_413_page(build):
    app = build(MAX_CONTENT_LENGTH=1024)
    resp = app.test_client().post("/accesso", data={"email": "x" * 4000, "password": "y"})
    assert resp.status_code == 413
    page = resp.get_data(as_text=True)
    assert "Il file o il modulo inviato è troppo grande." in page


def assert_login_rate_limited(app, make):
    user = make.user(Role.TRAINEE)
    client = app.test_client()
    limit = int(app.config["RATELIMIT_LOGIN"].split()[0])
    for _ in range(limit):
        resp = client.post("/accesso", data={"email": user.email, "password": "wrong password"})
        assert resp.status_code == 200
    resp = client.post("/accesso", data={"email": user.email, "password": "correct horse battery"})
    assert resp.status_code == 429
    page = resp.get_data(as_text=True)
    assert "Troppi tentativi. Attendi un minuto e riprova." in page
    assert user.email not in page  # generic: says nothing about the account
    assert client.get("/accesso").status_code == 200  # reading the form is not limited


def test_login_rate_limit(build, make):
    app = build(RATELIMIT_ENABLED=True)
    assert_login_rate_limited(app, make)


def redis_answers() -> bool:
    try:
        import redis

        return bool(redis.Redis.from_url(REDIS_TEST_URL, socket_timeout=1).ping())
    except Exception:
        return False


@pytest.mark.skipif(not redis_answers(), reason="Redis does not answer on 127.0.0.1:6379")
def test_login_rate_limit_with_redis_storage(build, make):
    from lms.extensions import limiter

    app = build(RATELIMIT_ENABLED=True, REDIS_URL=REDIS_TEST_URL)
    assert app.config["RATELIMIT_STORAGE_URI"] == REDIS_TEST_URL
    limiter.reset()
    try:
        assert_login_rate_limited(app, make)
        import redis

        assert redis.Redis.from_url(REDIS_TEST_URL).keys("LIMITS:*")  # counted in Redis
    finally:
        limiter.reset()


# --- error pages -----------------------------------------------------------------------

ERROR_TITLES = {
    "it": {
        403: "Accesso negato",
        404: "Pagina non trovata",
        413: "Troppo grande",
        429: "Troppi tentativi",
        500: "Errore del server",
    },
    "en": {
        403: "Access denied",
        404: "Page not found",
        413: "Too large",
        429: "Too many attempts",
        500: "Server error",
    },
}


@pytest.fixture
def error_app(build):
    return build(
        RATELIMIT_ENABLED=True,
        MAX_CONTENT_LENGTH=2048,
        PROPAGATE_TEST_ERRORS=False,
        PROPAGATE_EXCEPTIONS=False,
    )


def provoke(app, make, status: int, locale: str):
    """Make a request that ends with the given status, for a visitor using locale."""
    client = app.test_client()
    if status == 403:
        user = make.user(Role.TRAINEE, locale=locale)
        client.post("/accesso", data={"email": user.email, "password": "correct horse battery"})
        return client.get("/admin/utenti/")
    client.post("/lingua", data={"locale": locale, "next": "/accesso"})
    if status == 404:
        return client.get("/non-esiste")
    if status == 413:
        return client.post("/accesso", data={"email": "x" * 5000})
    if status == 429:
        resp = None
        for _ in range(int(app.config["RATELIMIT_LOGIN"].split()[0]) + 1):
            resp = client.post("/accesso", data={"email": "a@example.org", "password": "nope"})
        return resp
    if status == 500:
        return client.get(BOOM)
    raise AssertionError(status)


@pytest.mark.parametrize("locale", ["it", "en"])
@pytest.mark.parametrize("status", [403, 404, 413, 429, 500])
def test_error_pages_in_both_languages(error_app, make, status, locale):
    resp = provoke(error_app, make, status, locale)
    assert resp.status_code == status
    assert resp.mimetype == "text/html"
    page = resp.get_data(as_text=True)
    assert f'<html lang="{locale}">' in page
    assert f"<h1>{ERROR_TITLES[locale][status]}</h1>" in page
    assert 'id="main"' in page  # the shared layout, with its skip link target
    assert "Traceback" not in page and "RuntimeError" not in page
    assert_security_headers(resp)


def test_500_is_logged(error_app, caplog):
    resp = error_app.test_client().get(BOOM)
    assert resp.status_code == 500
    assert any("Unhandled error" in r.getMessage() for r in caplog.records)


# --- JSON errors -----------------------------------------------------------------------


def assert_problem(resp, status: int, code: str):
    assert resp.status_code == status
    assert resp.is_json
    body = resp.json
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    assert body["error"]["fields"] == {}


def test_api_errors_are_json_problems(client):
    assert_problem(client.get("/api/v1/me"), 401, "unauthorized")
    assert_problem(client.get(f"/api/v1/non-esiste-{uuid.uuid4().hex}"), 404, "not_found")
    resp = client.delete("/api/v1/me")
    assert_problem(resp, 405, "method_not_allowed")
    assert "GET" in resp.headers["Allow"]


def test_api_error_messages_follow_accept_language(client):
    it = client.get("/api/v1/me", headers={"Accept-Language": "it"}).json["error"]["message"]
    en = client.get("/api/v1/me", headers={"Accept-Language": "en"}).json["error"]["message"]
    assert en == "You need to log in to continue."
    assert it != en
