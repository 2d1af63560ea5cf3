"""JSON API of the certificates package, under /api/v1/: importing this package registers the
routes on lms's api blueprint (frameworks.py, dossiers.py). Same rules as the pages: scoped
loaders (404), the services check again with the acting user, schemas in and out."""

from certificates.api import documents, dossiers, frameworks, revocation  # noqa: F401
