"""The JSON API blueprint under /api/v1/; packages add routes from their api.py."""

from __future__ import annotations

from flask import Blueprint, request

from lms.extensions import csrf

blueprint = Blueprint("api", __name__, url_prefix="/api/v1")
csrf.exempt(blueprint)


@blueprint.before_request
def protect_session_writes():
    """Token calls carry no cookie, so need no CSRF token; browser-session writes do."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    if request.environ.get("lms.token_auth"):
        return
    csrf.protect()
