"""Serve a stored file, after the calling view has checked who may see it."""

from __future__ import annotations

from flask import send_file

from lms.files.models import StoredFile
from lms.files.services import path_of


def send_stored(stored: StoredFile):
    """Send a stored file as an attachment under its original name."""
    resp = send_file(
        path_of(stored),
        mimetype=stored.content_type,
        as_attachment=True,
        download_name=stored.original_name,
        etag=stored.sha256,
        max_age=0,
    )
    resp.headers["Cache-Control"] = "private, no-store"
    resp.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return resp
