"""Rencontrer LMS platform: the application factory."""

from __future__ import annotations

import logging
from pathlib import Path

from flask import Flask, g, request
from flask_babel import get_locale
from flask_login import current_user

PACKAGE_ROOT = Path(__file__).resolve().parent
PROJECT_ROOT = PACKAGE_ROOT.parent
FEATURE_PACKAGES = ("courses", "assessments", "certificates")


LMS_PERMISSION_MODULES = (
    "lms.accounts.permissions",
    "lms.organisations.permissions",
    "lms.audit.permissions",
    "lms.standards.permissions",
    "lms.dashboard.permissions",
)


def _expose_permissions(app: Flask) -> None:
    """Make the platform's predicates Jinja globals, so templates ask the same rules."""
    import importlib

    from lms.permissions import expose

    for name in LMS_PERMISSION_MODULES:
        expose(app, importlib.import_module(name))


def create_app(config: dict | str | None = None) -> Flask:
    """Build the Flask application; config is a config name or a mapping of overrides."""
    import importlib

    from lms import cli, navigation
    from lms.accounts import auth
    from lms.api import blueprint as api_blueprint
    from lms.audit.context import client_address
    from lms.config import load_config
    from lms.config_checks import fatal_problems
    from lms.errors import register_error_handlers
    from lms.extensions import babel, csrf, db, limiter, login_manager, migrate
    from lms.i18n import select_locale, translation_directories
    from lms.security import register_security_headers

    app = Flask(__name__, instance_relative_config=True)
    load_config(app, config)
    fatal = fatal_problems(app)
    if fatal:
        raise RuntimeError("Refusing to start: " + " ".join(fatal))

    if app.config.get("PROXY_HOPS"):
        from werkzeug.middleware.proxy_fix import ProxyFix

        hops = app.config["PROXY_HOPS"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)  # type: ignore[method-assign]
    from lms import storage

    storage.init_app(app)
    db.init_app(app)
    migrate.init_app(app, db, directory=str(PROJECT_ROOT / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    app.config["BABEL_TRANSLATION_DIRECTORIES"] = translation_directories()
    babel.init_app(app, locale_selector=select_locale)
    app.config.setdefault("RATELIMIT_STORAGE_URI", "memory://")
    limiter.init_app(app)
    auth.init_login_manager(login_manager)

    from lms import routing

    routing.init_app(app)
    register_error_handlers(app)
    register_security_headers(app)
    navigation.init_app(app)

    from lms import mail
    from lms.accounts import invitation_views as _invitation_views  # noqa: F401 - routes on users
    from lms.accounts import recovery_views as _recovery  # noqa: F401 - routes on accounts
    from lms.accounts.admin_views import bp as users_bp
    from lms.accounts.views import bp as accounts_bp
    from lms.audit.views import bp as audit_bp
    from lms.organisations.views import bp as organisations_bp
    from lms.standards.exchange.views import bp as standards_import_bp
    from lms.views import bp as core_bp

    app.register_blueprint(core_bp)
    app.register_blueprint(accounts_bp)
    app.register_blueprint(users_bp)
    app.register_blueprint(organisations_bp)
    app.register_blueprint(audit_bp)
    app.register_blueprint(standards_import_bp)
    mail.init_app(app)
    from lms.notifications import views as notifications_views

    notifications_views.init_app(app)
    from lms import jobs

    jobs.init_app(app)

    from lms import audit_labels, panels
    from lms.accounts import api as _accounts_api  # noqa: F401 - registers routes
    from lms.api import openapi as _openapi  # noqa: F401 - GET /api/v1/openapi.json
    from lms.audit import api as _audit_api  # noqa: F401
    from lms.organisations import api as _organisations_api  # noqa: F401
    from lms.standards import api as _standards_api  # noqa: F401 - framework editing
    from lms.standards import views as standards_views
    from lms.standards.exchange import api as _exchange_api  # noqa: F401
    from lms.standards.exchange import case_api

    standards_views.init_app(app)
    case_api.init_app(app)

    panels.init_app(app)
    _expose_permissions(app)
    audit_labels.init_app(app)

    for name in FEATURE_PACKAGES:
        module = importlib.import_module(name)
        init = getattr(module, "init_app", None)
        if init is not None:
            init(app)

    # Registered last: the feature packages add their API routes to it first.
    app.register_blueprint(api_blueprint)
    cli.init_app(app)

    @app.before_request
    def remember_client():
        g.client_token = client_address.set(request.remote_addr)
        # Choose the language now, while the session is sound: messages built later (a lost
        # race's StaleEdit, say, while the session awaits its rollback) must not query.
        get_locale()

    @app.teardown_request
    def forget_client(exc=None):
        token = g.pop("client_token", None)
        if token is not None:
            client_address.reset(token)

    from lms.accounts.labels import role_label, role_labels

    app.jinja_env.globals["role_label"] = role_label
    app.jinja_env.globals["role_labels"] = role_labels

    @app.context_processor
    def inject_globals():
        return {"current_locale": str(get_locale()), "languages": app.config["LANGUAGES"]}

    if not app.debug and not app.testing:
        logging.basicConfig(level=logging.INFO)
    _ = current_user  # keep the import: templates rely on Flask-Login's context processor
    return app
