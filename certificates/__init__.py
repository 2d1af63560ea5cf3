"""The certificates package: its blueprint, registered by lms.create_app."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("certificates", __name__, template_folder="templates")


def init_app(app: Flask) -> None:
    """Register this package's blueprint, its models and its predicates."""
    from certificates import models as _models  # noqa: F401 - tables in metadata
    from certificates import permissions
    from certificates.demo import load_demo
    from lms.navigation import add_demo_step
    from lms.permissions import expose

    app.register_blueprint(bp)
    expose(app, permissions)
    add_demo_step(app, load_demo, order=40)  # after courses (20) and assessments (30)
