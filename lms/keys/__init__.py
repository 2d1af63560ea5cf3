"""The training body's keys: an Ed25519 key that signs Open Badges credentials and a
certificate with its private key that signs issued PDFs (PAdES).

They live in files outside the database and the repository, in `KEYS_DIR` (env
`LMS_KEYS_DIR`, default `<instance>/keys`), readable by the owner only. `flask lms keys create`
writes them (a self-signed certificate, fine for the demo); a real certificate is configured
with `LMS_SIGNING_CERT`, `LMS_SIGNING_KEY` and `LMS_SIGNING_KEY_PASSWORD`. Loaded once per app.
"""

from __future__ import annotations

from lms.keys.files import (
    ISSUER_KEY_FILE,
    SIGNING_CERT_FILE,
    SIGNING_KEY_FILE,
    KeysExist,
    KeysMissing,
    create_keys,
    ensure_keys,
    keys_dir,
)
from lms.keys.loading import (
    SigningMaterial,
    issuer_key,
    issuer_key_id,
    issuer_name,
    pdf_signing_material,
    public_jwks,
)

__all__ = [
    "ISSUER_KEY_FILE",
    "SIGNING_CERT_FILE",
    "SIGNING_KEY_FILE",
    "KeysExist",
    "KeysMissing",
    "SigningMaterial",
    "create_keys",
    "ensure_keys",
    "issuer_key",
    "issuer_key_id",
    "issuer_name",
    "keys_dir",
    "pdf_signing_material",
    "public_jwks",
]
