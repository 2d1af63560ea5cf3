"""Access rules declared on every route, and the HTTP security baseline."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from flask import Flask, abort, redirect, request, url_for
from flask_login import current_user

from lms.accounts.models import Role


@dataclass(frozen=True)
class AccessRule:
    """What a route needs: nobody (public), any logged-in user, one of some roles, or a
    permissions.py predicate of the user."""

    kind: str
    roles: frozenset[Role] = frozenset()
    predicate: str = ""

    def describe(self) -> str:
        if self.kind == "predicate":
            return "predicate:" + self.predicate
        if self.kind == "roles":
            return "roles:" + ",".join(sorted(r.value for r in self.roles))
        return self.kind


def _deny_anonymous():
    if request.path.startswith("/api/"):
        abort(401)
    return redirect(url_for("accounts.login", next=request.full_path.rstrip("?")))


def _mark(view: Callable, rule: AccessRule) -> Callable:
    view.access_rule = rule
    return view


def public(view: Callable) -> Callable:
    """Anyone may call this route."""
    return _mark(view, AccessRule("public"))


def login_required(view: Callable) -> Callable:
    """Any logged-in, active user; the view checks the object's scope."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return _deny_anonymous()
        return view(*args, **kwargs)

    return _mark(wrapped, AccessRule("authenticated"))


def roles_required(*roles: Role) -> Callable[[Callable], Callable]:
    """Logged-in users holding at least one of the roles; others get 403."""
    wanted = frozenset(roles)

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _deny_anonymous()
            if not current_user.has_role(*wanted):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, AccessRule("roles", wanted))

    return decorator


def allowed_if(predicate: Callable[[object], bool]) -> Callable[[Callable], Callable]:
    """Logged-in users for whom a permissions.py predicate ``predicate(user)`` holds; others
    get 403. The rule stays in permissions.py; the route only names it."""

    def decorator(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                return _deny_anonymous()
            if not predicate(current_user._get_current_object()):
                abort(403)
            return view(*args, **kwargs)

        return _mark(wrapped, AccessRule("predicate", predicate=predicate.__name__))

    return decorator


def access_rule_of(app: Flask, endpoint: str) -> AccessRule | None:
    """The rule declared on an endpoint's view function, if any."""
    view = app.view_functions.get(endpoint)
    return getattr(view, "access_rule", None)


# font-src allows data: for the icon font that Bootstrap Italia's CSS embeds (video.js).
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self' data:; connect-src 'self'; form-action 'self'; base-uri 'self'; "
    "object-src 'none'; frame-ancestors 'none'"
)


def register_security_headers(app: Flask) -> None:
    """Add the security headers to every response."""

    @app.after_request
    def add_headers(response):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        response.headers.setdefault(
            "Permissions-Policy", "camera=(self), microphone=(), geolocation=()"
        )
        if app.config.get("SESSION_COOKIE_SECURE"):
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        if request.path.startswith("/api/") or response.mimetype == "text/html":
            response.headers.setdefault("Cache-Control", "no-store")
        return response
