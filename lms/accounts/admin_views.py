"""Admin pages for user accounts."""

from __future__ import annotations

from flask import Blueprint

bp = Blueprint("users", __name__, url_prefix="/admin/utenti")
