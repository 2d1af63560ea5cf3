"""Every route declares who may call it (lms.security: @public, @login_required,
@roles_required or @allowed_if), so that no view is reachable by accident.

Whether the declarations and the views' scope checks are right is not read from the
decorators: tests/access/ holds a written access table and a sweep that calls every route
with every method as every role and as the anonymous visitor, on objects inside and outside
the role's scope and on missing ids (no 5xx, 401 or the login page for anonymous visitors,
403/404 for the others, no write on refusal).
"""

from __future__ import annotations

from lms.security import access_rule_of
from tests.conftest import make_test_app


def is_static(endpoint: str) -> bool:
    """The static file endpoints (the app's and any blueprint's) need no access rule."""
    return endpoint == "static" or endpoint.endswith(".static")


def routes_without_rule(app) -> list[str]:
    """Endpoints whose view declares no access rule."""
    return sorted(
        {
            rule.endpoint
            for rule in app.url_map.iter_rules()
            if not is_static(rule.endpoint) and access_rule_of(app, rule.endpoint) is None
        }
    )


def test_every_route_declares_an_access_rule(app):
    missing = routes_without_rule(app)
    assert not missing, "Routes without @public, @login_required, @roles_required or " + (
        "@allowed_if: " + ", ".join(missing)
    )
    assert len(list(app.url_map.iter_rules())) > 10


def test_the_checker_finds_a_route_added_without_a_rule(database_url, tmp_path):
    app = make_test_app(database_url, tmp_path)

    def forgotten():
        return "no rule here"

    app.add_url_rule("/dimenticata/<int:item_id>", "forgotten", forgotten)
    assert routes_without_rule(app) == ["forgotten"]
