"""The JSON API blueprint under /api/v1/; packages add routes from their api.py."""

from __future__ import annotations

from flask import Blueprint, current_app, request
from flask_login import current_user

from lms.extensions import csrf

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)


@blueprint.before_request
def protect_session_writes():
    """Token calls carry no cookie, so need no CSRF token; browser-session writes do."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if not current_app.config.get("WTF_CSRF_ENABLED", True):
        return
    # Reading current_user runs the bearer-token loader, which marks token calls; an
    # anonymous call has no session to abuse and gets its 401 from the route's decorator.
    if not current_user.is_authenticated or request.environ.get("lms.token_auth"):
        return
    csrf.protect()
