"""PAdES signatures of issued PDFs: pyHanko's validator, poppler's pdfsig, embedded files."""

from __future__ import annotations

import datetime as dt
import io
import shutil
import subprocess

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives.serialization import Encoding
from pyhanko.keys import load_cert_from_pemder
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext
from pypdf import PdfReader

from certificates.signing import SIGNATURE_FIELD, embed_files, sign_pdf
from lms.keys import pdf_signing_material
from lms.pdf import render_pdf


@pytest.fixture
def moment(app):
    """A signing time inside the certificate's validity, whatever today's date."""
    return pdf_signing_material(app).certificate.not_valid_before_utc + dt.timedelta(days=3)


def _pdf() -> bytes:
    return render_pdf("<html><body><h1>Certificato</h1><p>Competenze certificate</p></body></html>")


def _status(app, data: bytes, moment):
    material = pdf_signing_material(app)
    root = asn1_x509.Certificate.load(material.certificate.public_bytes(Encoding.DER))
    context = ValidationContext(trust_roots=[root], moment=moment, allow_fetching=False)
    (signature,) = PdfFileReader(io.BytesIO(data), strict=False).embedded_signatures
    return signature, validate_pdf_signature(signature, context)


def test_signed_pdf_validates_with_the_training_body_as_trust_root(app, moment):
    signed = sign_pdf(_pdf(), now=moment)
    signature, status = _status(app, signed, moment)
    assert signature.field_name == SIGNATURE_FIELD
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert status.signing_cert.subject.native["common_name"] == (
        pdf_signing_material(app).signer_name
    )
    assert signature.sig_object["/SubFilter"] == "/ETSI.CAdES.detached"  # PAdES
    assert signature.self_reported_timestamp == moment
    assert "Documento emesso da" in str(signature.sig_object["/Reason"])


def test_changing_one_signed_byte_breaks_the_signature(app, moment):
    signed = bytearray(sign_pdf(_pdf(), now=moment))
    at = signed.index(b"/Producer (") + len(b"/Producer (")
    signed[at] = ord("X") if signed[at] != ord("X") else ord("Y")
    _, status = _status(app, bytes(signed), moment)
    assert not status.intact
    assert not status.bottom_line


def test_an_untrusted_root_is_reported(app, moment, tmp_path):
    signed = sign_pdf(_pdf(), now=moment)
    other = load_cert_from_pemder(str(_other_cert(tmp_path)))
    context = ValidationContext(trust_roots=[other], moment=moment, allow_fetching=False)
    (signature,) = PdfFileReader(io.BytesIO(signed), strict=False).embedded_signatures
    status = validate_pdf_signature(signature, context)
    assert status.intact and not status.trusted


def _other_cert(tmp_path):
    from cryptography.hazmat.primitives.asymmetric import rsa

    from lms.keys.files import self_signed_certificate

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = self_signed_certificate(key, "Altro ente", dt.datetime(2026, 1, 1, tzinfo=dt.UTC))
    path = tmp_path / "other.pem"
    path.write_bytes(cert.public_bytes(Encoding.PEM))
    return path


def test_embedded_files_are_listed_and_covered_by_the_signature(app, moment, tmp_path):
    token = b"eyJhbGciOiJFZERTQSJ9.e30.c2ln"
    with_files = embed_files(
        _pdf(),
        [
            ("credenziale-1.jwt", token, "application/vc+jwt", "Open Badges 3.0 credential"),
            ("credenziale-2.json", b'{"a": 1}', "application/json", "decoded credential"),
        ],
    )
    signed = sign_pdf(with_files, now=moment)
    _, status = _status(app, signed, moment)
    assert status.intact and status.valid
    attachments = PdfReader(io.BytesIO(signed)).attachments
    assert attachments["credenziale-1.jwt"] == [token]
    assert attachments["credenziale-2.json"] == [b'{"a": 1}']
    assert status.coverage.name == "ENTIRE_FILE"  # the attachments included
    if shutil.which("pdfdetach"):
        path = tmp_path / "signed.pdf"
        path.write_bytes(signed)
        listed = subprocess.run(
            ["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True
        ).stdout
        assert "2 embedded files" in listed and "credenziale-1.jwt" in listed


@pytest.mark.skipif(shutil.which("pdfsig") is None, reason="poppler-utils not installed")
def test_pdfsig_shows_the_signature_as_valid(app, moment, tmp_path):
    path = tmp_path / "signed.pdf"
    path.write_bytes(sign_pdf(_pdf(), now=moment))
    out = subprocess.run(["pdfsig", str(path)], capture_output=True, text=True).stdout
    assert "Signature is Valid" in out, out
    assert pdf_signing_material(app).signer_name in out


def test_a_configured_certificate_with_an_encrypted_key_signs(database_url, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    from lms.keys.files import self_signed_certificate
    from tests.conftest import make_test_app

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    when = dt.datetime(2026, 6, 1, tzinfo=dt.UTC)
    cert = self_signed_certificate(key, "Ente Accreditato", when)
    (tmp_path / "cert.pem").write_bytes(cert.public_bytes(Encoding.PEM))
    (tmp_path / "key.pem").write_bytes(
        key.private_bytes(
            Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.BestAvailableEncryption(b"segreta"),
        )
    )
    app = make_test_app(
        database_url,
        tmp_path,
        SIGNING_CERT=str(tmp_path / "cert.pem"),
        SIGNING_KEY=str(tmp_path / "key.pem"),
        SIGNING_KEY_PASSWORD="segreta",
    )
    with app.app_context():
        signed = sign_pdf(_pdf(), now=when)
        _, status = _status(app, signed, when)
    assert status.intact and status.trusted
    assert status.signing_cert.subject.native["common_name"] == "Ente Accreditato"


def test_signing_works_inside_a_running_event_loop(app):
    """A browser driver or an async server in the same thread must not break issuing."""
    import asyncio

    from certificates.signing import sign_pdf
    from lms.pdf import render_pdf

    pdf = render_pdf("<html><body><p>Prova</p></body></html>")

    async def inside():
        return sign_pdf(pdf)

    signed = asyncio.run(inside())
    assert signed.startswith(b"%PDF") and len(signed) > len(pdf)
