"""Every route declares who may call it, and the declaration holds.

The routes are read from app.url_map, so routes that later packages add are checked too:
* each view carries @public, @login_required or @roles_required (lms.security);
* an anonymous visitor of a non-public route is sent to /accesso (HTML) or gets a 401
  JSON problem (/api/...);
* a logged-in user holding none of a route's roles gets 403 or 404;
* no user of any role gets a 5xx, with dummy ids (999999 for int converters, 'x' else).
"""

from __future__ import annotations

import traceback
import uuid
from dataclasses import dataclass

import pytest
from werkzeug.routing import AnyConverter, FloatConverter, IntegerConverter, UUIDConverter

from lms.accounts.models import Role
from lms.security import AccessRule, access_rule_of
from tests.conftest import login, make_test_app

SKIPPED_METHODS = {"HEAD", "OPTIONS"}


def is_static(endpoint: str) -> bool:
    """The static file endpoints (the app's and any blueprint's) need no access rule."""
    return endpoint == "static" or endpoint.endswith(".static")


def routes_without_rule(app) -> list[str]:
    """Endpoints whose view declares no access rule: the checker this module relies on."""
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if not is_static(rule.endpoint) and access_rule_of(app, rule.endpoint) is None
        }
    )


def dummy_value(converter):
    if isinstance(converter, IntegerConverter):
        return 999999
    if isinstance(converter, FloatConverter):
        return 999999.0
    if isinstance(converter, UUIDConverter):
        return uuid.UUID(int=999999)
    if isinstance(converter, AnyConverter):
        return next(iter(converter.items))
    return "x"


@dataclass(frozen=True)
class Call:
    endpoint: str
    method: str
    path: str
    access: AccessRule

    def __str__(self) -> str:
        return f"{self.method} {self.path} ({self.endpoint}, {self.access.describe()})"


def calls_of(app) -> list[Call]:
    """One call per route and method, with dummy values for the URL's variables."""
    calls = []
    for rule in app.url_map.iter_rules():
        if is_static(rule.endpoint):
            continue
        access = access_rule_of(app, rule.endpoint)
        if access is None:
            continue  # reported by test_every_route_declares_an_access_rule
        values = {name: dummy_value(conv) for name, conv in rule._converters.items()}
        values.update(rule.defaults or {})
        _domain, path = rule.build(values, append_unknown=False)
        for method in sorted((rule.methods or set()) - SKIPPED_METHODS):
            calls.append(Call(rule.endpoint, method, path, access))
    return sorted(calls, key=lambda c: (c.path, c.method))


def send(client, call: Call):
    """Make the call with an empty body (JSON for the API, a form elsewhere)."""
    kwargs = {}
    if call.method not in ("GET", "DELETE"):
        if call.path.startswith("/api/"):
            kwargs["json"] = {}
        else:
            kwargs["data"] = {}
    return client.open(call.path, method=call.method, **kwargs)


# --- every route has a rule ----------------------------------------------------------------


def test_every_route_declares_an_access_rule(app):
    missing = routes_without_rule(app)
    assert not missing, "Routes without @public, @login_required or @roles_required: " + ", ".join(
        missing
    )
    assert len(calls_of(app)) > 10


def test_the_checker_finds_a_route_added_without_a_rule(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)

    def forgotten():
        return "no rule here"

    app.add_url_rule("/dimenticata/<int:item_id>", "forgotten", forgotten)
    assert routes_without_rule(app) == ["forgotten"]


# --- anonymous visitors ------------------------------------------------------------------


def test_anonymous_visitors_are_refused_everywhere_but_public_routes(app):
    problems = []
    for call in calls_of(app):
        if call.access.kind == "public":
            continue
        resp = send(app.test_client(), call)
        if call.path.startswith("/api/"):
            ok = (
                resp.status_code == 401
                and resp.is_json
                and resp.json["error"]["code"] == "unauthorized"
            )
        else:
            ok = resp.status_code in (302, 303) and resp.headers["Location"].startswith("/accesso")
        if not ok:
            problems.append(f"{call} -> {resp.status_code} {resp.headers.get('Location', '')}")
    assert not problems, "Anonymous calls not refused:\n" + "\n".join(problems)


# --- logged-in users ---------------------------------------------------------------------


class RoleClients:
    """One logged-in client per role; the session cookie is restored before each call,
    so a call that logs out (or changes the language) does not affect the next one."""

    def __init__(self, app, make):
        self.app = app
        self.cookies = {}
        self.clients = {}
        for role in Role:
            user = make.user(role, email=f"{role.value}@access.example")
            client = app.test_client()
            login(client, user)
            self.clients[role] = client
            self.cookies[role] = client.get_cookie("session").value

    def send(self, role: Role, call: Call):
        client = self.clients[role]
        client.set_cookie("session", self.cookies[role])
        return send(client, call)


@pytest.fixture
def role_clients(app, make):
    return RoleClients(app, make)


def test_users_without_the_roles_get_403_or_404(app, role_clients):
    problems = []
    checked = 0
    for call in calls_of(app):
        if call.access.kind != "roles":
            continue
        for role in Role:
            if role in call.access.roles:
                continue
            resp = role_clients.send(role, call)
            checked += 1
            if resp.status_code not in (403, 404):
                problems.append(f"{call} as {role.value} -> {resp.status_code}")
    assert checked, "no role-restricted route found"
    assert not problems, "Users without the roles were let in:\n" + "\n".join(problems)


def test_no_server_error_for_any_role_with_dummy_ids(app, role_clients):
    problems = []
    for call in calls_of(app):
        for role in [None, *Role]:
            try:
                if role is None:
                    resp = send(app.test_client(), call)
                else:
                    resp = role_clients.send(role, call)
            except Exception as err:  # TESTING propagates the view's exception
                where = traceback.extract_tb(err.__traceback__)[-1]
                problems.append(
                    f"{call} as {role.value if role else 'anonymous'} -> "
                    f"{type(err).__name__}: {err} ({where.filename}:{where.lineno})"
                )
                continue
            if resp.status_code >= 500:
                problems.append(
                    f"{call} as {role.value if role else 'anonymous'} -> {resp.status_code}"
                )
    assert not problems, "Server errors:\n" + "\n".join(problems)
