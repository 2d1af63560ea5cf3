"""Serve a stored file, after the calling view has checked who may see it."""

from __future__ import annotations

import io

from flask import send_file

from lms.files.models import StoredFile
from lms.files.services import key_of
from lms.storage import storage

# Kinds a page may show in place (sniffed at upload, so the content is what the kind says).
INLINE_KINDS = frozenset({"pdf", "png", "jpeg"})
SANDBOX_CSP = "default-src 'none'; sandbox"


def shows_inline(stored: StoredFile) -> bool:
    """Whether a page may show the file in place (a PDF viewer or an image)."""
    return stored.kind in INLINE_KINDS


def send_stored(stored: StoredFile, *, inline: bool = False):
    """Send a stored file as an attachment under its original name; with inline, a PDF or
    an image is sent to be shown in place (only this app's own pages may frame it), any
    other kind still as an attachment. nosniff and the sandbox stay in both cases."""
    backend, key = storage(), key_of(stored)
    in_place = inline and shows_inline(stored)
    # A local file is sent from disk; an object store's bytes pass through this process, so
    # the answer keeps its headers (attachment, sandbox) and needs no public bucket.
    source = backend.local_path(key) or io.BytesIO(backend.get(key))
    resp = send_file(
        source,
        mimetype=stored.content_type,
        as_attachment=not in_place,
        download_name=stored.original_name,
        etag=stored.sha256,
        max_age=0,
    )
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    if in_place:
        resp.headers["Content-Security-Policy"] = SANDBOX_CSP + "; frame-ancestors 'self'"
        resp.headers["X-Frame-Options"] = "SAMEORIGIN"
    else:
        resp.headers["Content-Security-Policy"] = SANDBOX_CSP
    return resp
