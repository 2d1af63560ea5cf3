"""The courses package: its blueprint, registered by lms.create_app."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("courses", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """Register this package's blueprint."""
    app.register_blueprint(bp)
