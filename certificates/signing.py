"""PAdES signatures of issued PDFs (pyHanko), and embedded files signed with them.

The training body signs each issued PDF with the certificate of `lms.keys` (PAdES baseline
B-B: a CMS signature over the whole file with the signing certificate among the signed
attributes; no time stamp here). Files meant to travel inside the PDF (the Open Badges
credentials of a certificate) are embedded first, so that the signature covers them too.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime as dt
import io

from flask import current_app
from pyhanko.pdf_utils import embed
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.sign import fields, signers
from pyhanko.sign.signers.pdf_signer import PdfSigner

from lms.keys import issuer_name, pdf_signing_material

SIGNATURE_FIELD = "FirmaEnte"
_SIGNER_CACHE = "certificates_pdf_signer"


class _SignerAt(PdfSigner):
    """A PdfSigner whose signing time is the one given (pyHanko reads the clock otherwise)."""

    def __init__(self, *args, now: dt.datetime, **kwargs):
        super().__init__(*args, **kwargs)
        self._now = now

    def init_signing_session(self, pdf_out, existing_fields_only=False):
        session = super().init_signing_session(pdf_out, existing_fields_only=existing_fields_only)
        session.system_time = self._now
        return session


def _signer(app) -> tuple[signers.SimpleSigner, str]:
    """The pyHanko signer for the configured material, loaded once per app and material."""
    material = pdf_signing_material(app)
    cached = app.extensions.get(_SIGNER_CACHE)
    if cached is None or cached[0] is not material:
        signer = signers.SimpleSigner.load(
            str(material.key_path), str(material.cert_path), key_passphrase=material.password
        )
        if signer is None:  # pyHanko logs the reason and returns None
            raise ValueError(f"Cannot load the PDF signing key {material.key_path}.")
        cached = (material, signer)
        app.extensions[_SIGNER_CACHE] = cached
    return cached[1], material.signer_name


def sign_pdf(
    pdf: bytes, *, now: dt.datetime | None = None, reason: str | None = None, app=None
) -> bytes:
    """The PDF with the training body's PAdES signature (an invisible signature field)."""
    app = app or current_app
    signer, signer_name = _signer(app)
    now = now or dt.datetime.now(dt.UTC)
    meta = signers.PdfSignatureMetadata(
        field_name=SIGNATURE_FIELD,
        name=signer_name,
        reason=reason or f"Documento emesso da {issuer_name(app)}",
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
    )

    def sign() -> bytes:
        writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
        return _SignerAt(meta, signer=signer, now=now).sign_pdf(writer).getvalue()

    if _loop_running():
        # pyHanko signs through asyncio.run(), which refuses to start inside a running event
        # loop (an async server, a browser driver in the same thread): sign in a thread then.
        with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
            return pool.submit(sign).result()
    return sign()


def _loop_running() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def embed_files(pdf: bytes, files: list[tuple[str, bytes, str, str]]) -> bytes:
    """The PDF with files embedded as attachments: (name, data, MIME type, description).

    Call it before sign_pdf: the signature then covers the embedded files."""
    if not files:
        return pdf
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf), strict=False)
    for name, data, mime, description in files:
        stream = embed.EmbeddedFileObject.from_file_data(
            writer, data=data, mime_type=mime, params=embed.EmbeddedFileParams()
        )
        spec = embed.FileSpec(
            file_spec_string=name,
            file_name=name,
            embedded_data=stream,
            description=description,
        )
        embed.embed_file(writer, spec)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
