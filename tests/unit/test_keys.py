"""`flask lms keys create` and the loading of the training body's keys."""

from __future__ import annotations

import stat

from cryptography import x509

from lms.keys import (
    ISSUER_KEY_FILE,
    SIGNING_CERT_FILE,
    SIGNING_KEY_FILE,
    issuer_key,
    issuer_key_id,
    pdf_signing_material,
    public_jwks,
)
from tests.conftest import make_test_app


def _mode(path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_create_writes_owner_only_files_and_refuses_to_overwrite(database_url, tmp_path):
    folder = tmp_path / "k"
    app = make_test_app(database_url, tmp_path, KEYS_DIR=str(folder))
    runner = app.test_cli_runner()
    result = runner.invoke(args=["lms", "keys", "create"])
    assert result.exit_code == 0, result.output
    assert _mode(folder) == 0o700
    for name in (ISSUER_KEY_FILE, SIGNING_KEY_FILE, SIGNING_CERT_FILE):
        assert _mode(folder / name) == 0o600, name
    with app.app_context():
        first_kid = issuer_key_id(app)
    before = (folder / ISSUER_KEY_FILE).read_bytes()

    again = runner.invoke(args=["lms", "keys", "create"])
    assert again.exit_code == 1
    assert "--force" in again.output
    assert (folder / ISSUER_KEY_FILE).read_bytes() == before

    forced = runner.invoke(args=["lms", "keys", "create", "--force"])
    assert forced.exit_code == 0, forced.output
    assert (folder / ISSUER_KEY_FILE).read_bytes() != before
    with app.app_context():
        assert issuer_key_id(app) != first_kid  # the cache was dropped with the old key


def test_certificate_names_the_training_body_and_signs_documents(database_url, tmp_path):
    folder = tmp_path / "k"
    app = make_test_app(database_url, tmp_path, KEYS_DIR=str(folder), ISSUER_NAME="Ente Prova")
    assert app.test_cli_runner().invoke(args=["lms", "keys", "create"]).exit_code == 0
    material = pdf_signing_material(app)
    cert = material.certificate
    assert material.signer_name == "Ente Prova"
    assert cert.subject == cert.issuer  # self-signed
    usage = cert.extensions.get_extension_for_class(x509.KeyUsage).value
    assert usage.digital_signature and usage.content_commitment
    assert (cert.not_valid_after_utc - cert.not_valid_before_utc).days > 3 * 365


def test_public_jwks_holds_the_issuer_public_key_only(app):
    jwks = public_jwks(app)
    (jwk,) = jwks["keys"]
    assert jwk["kty"] == "OKP" and jwk["crv"] == "Ed25519" and jwk["alg"] == "EdDSA"
    assert jwk["kid"] == issuer_key_id(app)
    assert "d" not in jwk
    assert issuer_key(app) is issuer_key(app)  # loaded once per app


def test_a_configured_certificate_replaces_the_self_signed_one(database_url, tmp_path):
    made = tmp_path / "made"
    app = make_test_app(database_url, tmp_path, KEYS_DIR=str(made), ISSUER_NAME="Ente Vero")
    assert app.test_cli_runner().invoke(args=["lms", "keys", "create"]).exit_code == 0
    real = make_test_app(
        database_url,
        tmp_path,
        KEYS_DIR=str(tmp_path / "empty"),
        SIGNING_CERT=str(made / SIGNING_CERT_FILE),
        SIGNING_KEY=str(made / SIGNING_KEY_FILE),
    )
    assert pdf_signing_material(real).signer_name == "Ente Vero"


def test_demo_creates_missing_keys_once(database_url, tmp_path):
    folder = tmp_path / "demo-keys"
    app = make_test_app(database_url, tmp_path, KEYS_DIR=str(folder))
    from lms.keys import ensure_keys

    assert ensure_keys(app) is True
    assert ensure_keys(app) is False
    assert (folder / ISSUER_KEY_FILE).exists()
