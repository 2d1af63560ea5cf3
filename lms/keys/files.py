"""Writing the key files: an Ed25519 issuer key, an RSA signing key and its self-signed
certificate, in a directory only the owner can read (0700, files 0600)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

ISSUER_KEY_FILE = "issuer-ed25519.pem"
SIGNING_KEY_FILE = "pdf-signing-key.pem"
SIGNING_CERT_FILE = "pdf-signing-cert.pem"
KEY_FILES = (ISSUER_KEY_FILE, SIGNING_KEY_FILE, SIGNING_CERT_FILE)
CERT_YEARS = 5
# RFC 9336 id-kp-documentSigning; cryptography names it from version 42 on.
DOCUMENT_SIGNING = x509.ObjectIdentifier("1.3.6.1.5.5.7.3.36")


class KeysExist(Exception):
    """The key files are there already: replacing them needs --force."""


class KeysMissing(Exception):
    """No key files: `flask lms keys create` has not been run."""


def keys_dir(app) -> Path:
    """The directory of the key files: KEYS_DIR, else <instance>/keys."""
    configured = app.config.get("KEYS_DIR")
    return Path(configured) if configured else Path(app.instance_path) / "keys"


def _write_private(path: Path, data: bytes) -> None:
    """Write a file that is never, even for an instant, readable by anyone but the owner."""
    tmp = path.with_name(path.name + ".tmp")
    tmp.unlink(missing_ok=True)
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(data)
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)


def self_signed_certificate(
    key: rsa.RSAPrivateKey, subject_name: str, now: dt.datetime
) -> x509.Certificate:
    """A self-signed certificate for document signing, named after the training body."""
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, subject_name[:64]),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, subject_name[:64]),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "IT"),
        ]
    )
    public = key.public_key()
    return (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(public)
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=365 * CERT_YEARS))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,  # non-repudiation: the body stands by the document
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .add_extension(
            x509.ExtendedKeyUsage([DOCUMENT_SIGNING, ExtendedKeyUsageOID.EMAIL_PROTECTION]),
            critical=False,
        )
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public), critical=False)
        .sign(key, hashes.SHA256())
    )


def create_keys(app, *, force: bool = False, now: dt.datetime | None = None) -> list[Path]:
    """Write new key files in keys_dir(app); refuse to replace existing ones without force."""
    from lms.keys.loading import forget_keys, issuer_name

    folder = keys_dir(app)
    existing = [folder / f for f in KEY_FILES if (folder / f).exists()]
    if existing and not force:
        raise KeysExist(", ".join(str(p) for p in existing))
    now = now or dt.datetime.now(dt.UTC)
    folder.mkdir(parents=True, exist_ok=True)
    os.chmod(folder, 0o700)
    no_password = serialization.NoEncryption()
    pem, pkcs8 = serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8
    issuer = ed25519.Ed25519PrivateKey.generate()
    signing = rsa.generate_private_key(public_exponent=65537, key_size=3072)
    cert = self_signed_certificate(signing, issuer_name(app), now)
    written = []
    for filename, data in (
        (ISSUER_KEY_FILE, issuer.private_bytes(pem, pkcs8, no_password)),
        (SIGNING_KEY_FILE, signing.private_bytes(pem, pkcs8, no_password)),
        (SIGNING_CERT_FILE, cert.public_bytes(pem)),
    ):
        _write_private(folder / filename, data)
        written.append(folder / filename)
    forget_keys(app)
    return written


def ensure_keys(app) -> bool:
    """Create the key files when there are none (the demo); True when it created them."""
    folder = keys_dir(app)
    present = [f for f in KEY_FILES if (folder / f).exists()]
    if len(present) == len(KEY_FILES):
        return False
    if present:  # never replace half a set silently: issued credentials name these keys
        raise KeysExist(", ".join(str(folder / f) for f in present))
    create_keys(app)
    return True
