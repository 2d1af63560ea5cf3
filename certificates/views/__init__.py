"""HTML pages of the certificates package; importing this module registers the routes on bp."""

from certificates.views import (  # noqa: F401
    assessment,
    batch,
    documents,
    dossiers,
    evidence,
    revocation,
)
