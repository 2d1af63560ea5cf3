"""Open Badges 3.0 credentials: one signed `OpenBadgeCredential` per certified competence of a
certificate, the issuer profile with its public key, and the revocation status lists.

Rooms: `build` (the credential JSON, pure), `jwt` (VC-JWT signing with the issuer key),
`status` (Bitstring Status List), `services` (issuing, reading, the public documents),
`views` (public routes and the holder's downloads) and `api`.
"""

from __future__ import annotations

from flask import Blueprint, Flask

bp = Blueprint("credentials", __name__)


def init_app(app: Flask) -> None:
    """Register the public routes, the holder's pages and the API route."""
    from certificates.credentials import api as _api  # noqa: F401 - routes on the api blueprint
    from certificates.credentials import views as _views  # noqa: F401 - routes on bp
    from certificates.credentials.demo import load_demo_credentials
    from lms.navigation import add_demo_step

    app.register_blueprint(bp)
    add_demo_step(app, load_demo_credentials, order=90)  # after the documents are issued
