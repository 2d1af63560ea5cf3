"""The certificates package: its blueprint, registered by lms.create_app."""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint(
    "certificates",
    __name__,
    template_folder="templates",
    static_folder="static",
    static_url_path="/static/certificates",
)


def init_app(app: Flask) -> None:
    """Register the blueprint, the API routes, the predicates for templates and navigation."""
    from certificates import api as _api  # noqa: F401 - routes on the api blueprint
    from certificates import audit_labels, permissions
    from certificates import models as _models  # noqa: F401 - tables in metadata
    from certificates import views as _views  # noqa: F401 - routes on bp
    from certificates.demo import load_demo, load_issued_demo
    from certificates.navigation import register
    from lms.navigation import add_demo_step
    from lms.permissions import expose

    app.register_blueprint(bp)
    audit_labels.init_app(app)
    expose(app, permissions)
    from certificates.services import batch_issuing

    batch_issuing.register(app)  # the background job that issues a course's dossiers
    add_demo_step(app, load_demo, order=40)  # after courses (20) and assessments (30)
    add_demo_step(app, load_issued_demo, order=45)  # issue 9: issued documents
    register(app)
    from certificates import standards_usages  # what points at framework items

    standards_usages.register(app)
    # --- verification and revocation (verify) ---
    from certificates.verification import api as _verification_api  # noqa: F401
    from certificates.verification.views import bp as verification_bp

    app.register_blueprint(verification_bp)
    from certificates.demo_documents import load_demo_documents

    add_demo_step(app, load_demo_documents, order=47)  # after the issuing demo step (issue)
    # --- credentials (creds) ---
    from certificates.credentials import init_app as init_credentials

    init_credentials(app)
    # --- end credentials (creds) ---
