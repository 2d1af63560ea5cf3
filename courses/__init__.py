"""The courses package: its blueprint, registered by lms.create_app."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint(
    "courses",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/courses",
)


def init_app(app: Flask) -> None:
    """Register the blueprint, the API routes, navigation, dashboard panels and the demo step."""
    from courses import api as _api  # noqa: F401 - routes on the api blueprint
    from courses import audit_labels, permissions
    from courses import models as _models  # noqa: F401
    from courses import views as _views  # noqa: F401 - routes on bp
    from courses.navigation import register
    from lms.permissions import expose
    from lms.standards import models as _standards_models  # noqa: F401 - tables in metadata

    app.register_blueprint(bp)
    audit_labels.init_app(app)
    expose(app, permissions)
    register(app)
    from courses import standards_usages  # what points at framework items

    standards_usages.register(app)
