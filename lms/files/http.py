"""Serve a stored file, after the calling view has checked who may see it."""

from __future__ import annotations

import io

from flask import send_file

from lms.files.models import StoredFile
from lms.files.services import key_of
from lms.storage import storage


def send_stored(stored: StoredFile):
    """Send a stored file as an attachment under its original name."""
    backend, key = storage(), key_of(stored)
    # A local file is sent from disk; an object store's bytes pass through this process, so
    # the answer keeps its headers (attachment, sandbox) and needs no public bucket.
    source = backend.local_path(key) or io.BytesIO(backend.get(key))
    resp = send_file(
        source,
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.original_name,
        etag=stored.sha256,
        max_age=0,
    )
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
