"""HTML pages of competence frameworks: browsing (everyone logged in) and the admin pages.

Registered by lms.create_app through init_app; importing the modules puts the routes on bp.
"""

from __future__ import annotations

from flask import Blueprint, Flask
from flask_babel import lazy_gettext as _l

bp = Blueprint("standards", __name__, url_prefix="/quadri")


def init_app(app: Flask) -> None:
    from lms.navigation import NavItem, add_nav
    from lms.standards.permissions import can_view_standards
    from lms.standards.views import admin as _admin  # noqa: F401 - routes on bp
    from lms.standards.views import browse as _browse  # noqa: F401 - routes on bp

    app.register_blueprint(bp)
    add_nav(
        app,
        NavItem(
            "standards.index",
            lambda: str(_l("Competence frameworks")),
            can_view_standards,
            order=45,
        ),
    )
