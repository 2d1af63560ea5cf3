"""HTML pages of the certificates package; importing this module registers the routes on bp."""

from certificates.views import assessment, documents, dossiers, evidence, revocation  # noqa: F401
