"""The assessments package: its blueprint, registered by lms.create_app."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint(
    "assessments",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/assessments",
)


def init_app(app: Flask) -> None:
    """Register the blueprint, the API routes, the permission predicates for templates,
    navigation, dashboard panels and the demo step."""
    from assessments import api as _api  # noqa: F401 - routes on the api blueprint
    from assessments import audit_labels, permissions
    from assessments import models as _models  # noqa: F401
    from assessments import views as _views  # noqa: F401 - routes on bp
    from assessments.navigation import register
    from lms.files import models as _files_models  # noqa: F401 - stored_files in metadata
    from lms.permissions import expose

    app.register_blueprint(bp)
    audit_labels.init_app(app)
    expose(app, permissions)
    register(app)
    from assessments import standards_usages  # what points at framework items

    standards_usages.register(app)
