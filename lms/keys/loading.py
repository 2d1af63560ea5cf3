"""Reading the key files, once per app: the issuer key and its public JWKS, and the PDF
signing material (the configured certificate, else the one `flask lms keys create` wrote)."""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from lms.keys.files import (
    ISSUER_KEY_FILE,
    SIGNING_CERT_FILE,
    SIGNING_KEY_FILE,
    KeysMissing,
    keys_dir,
)

DEFAULT_ISSUER_NAME = "Rencontrer — ente di formazione (demo)"
_CACHE = "lms_keys"


@dataclass(frozen=True)
class SigningMaterial:
    """What signs a PDF: the certificate and private key files, the key's password (None when
    the key is not encrypted) and the certificate itself."""

    cert_path: Path
    key_path: Path
    password: bytes | None
    certificate: x509.Certificate

    @property
    def signer_name(self) -> str:
        names = self.certificate.subject.get_attributes_for_oid(x509.NameOID.COMMON_NAME)
        return str(names[0].value) if names else self.certificate.subject.rfc4514_string()


def issuer_name(app) -> str:
    """The training body's name as issuer (ISSUER_NAME, else the demo name)."""
    return app.config.get("ISSUER_NAME") or DEFAULT_ISSUER_NAME


def _cache(app) -> dict:
    return app.extensions.setdefault(_CACHE, {})


def forget_keys(app) -> None:
    """Drop the cached keys (after new ones were written)."""
    app.extensions.pop(_CACHE, None)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        raise KeysMissing(f"{path} is missing: run `flask lms keys create`.") from None


def issuer_key(app) -> ed25519.Ed25519PrivateKey:
    """The Ed25519 key that signs the credentials."""
    cache = _cache(app)
    if "issuer" not in cache:
        key = serialization.load_pem_private_key(
            _read(keys_dir(app) / ISSUER_KEY_FILE), password=None
        )
        if not isinstance(key, ed25519.Ed25519PrivateKey):
            raise KeysMissing(f"{keys_dir(app) / ISSUER_KEY_FILE} is not an Ed25519 key.")
        cache["issuer"] = key
    return cache["issuer"]


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def _public_jwk_members(app) -> dict:
    raw = (
        issuer_key(app)
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return {"crv": "Ed25519", "kty": "OKP", "x": _b64url(raw)}


def issuer_key_id(app) -> str:
    """The key id: the RFC 7638 thumbprint of the public key, so a new key has a new id."""
    members = _public_jwk_members(app)
    canonical = json.dumps(members, separators=(",", ":"), sort_keys=True).encode("ascii")
    return _b64url(hashlib.sha256(canonical).digest())


def public_jwks(app) -> dict:
    """The JWKS that publishes the issuer's public key."""
    jwk = {**_public_jwk_members(app), "kid": issuer_key_id(app), "alg": "EdDSA", "use": "sig"}
    return {"keys": [jwk]}


def pdf_signing_material(app) -> SigningMaterial:
    """The certificate and key that sign PDFs: SIGNING_CERT/SIGNING_KEY when configured,
    else the self-signed pair in keys_dir(app)."""
    cache = _cache(app)
    if "pdf" not in cache:
        cert_path = app.config.get("SIGNING_CERT")
        key_path = app.config.get("SIGNING_KEY")
        if cert_path and key_path:
            cert_file, key_file = Path(cert_path), Path(key_path)
            password = app.config.get("SIGNING_KEY_PASSWORD") or None
        else:
            cert_file = keys_dir(app) / SIGNING_CERT_FILE
            key_file = keys_dir(app) / SIGNING_KEY_FILE
            password = None
        raw = _read(cert_file)
        _read(key_file)
        cert = (
            x509.load_pem_x509_certificate(raw)
            if raw.lstrip().startswith(b"-----")
            else x509.load_der_x509_certificate(raw)
        )
        cache["pdf"] = SigningMaterial(
            cert_path=cert_file,
            key_path=key_file,
            password=password.encode("utf-8") if isinstance(password, str) else password,
            certificate=cert,
        )
    return cache["pdf"]
