"""One small storage interface for the bytes of stored files (uploads, materials, evidence,
issued PDFs), so that several app servers and workers share them.

`LMS_STORAGE_URL` chooses the backend: unset or `file:///srv/lms/uploads` keeps the files in a
local folder (by default `UPLOAD_FOLDER`, today's layout); `s3://bucket/prefix` keeps them in an
S3-compatible object store (`LMS_STORAGE_S3_ENDPOINT_URL` for MinIO, Ceph, Garage...;
credentials and region come from the standard AWS variables or instance roles, never from the
app's config). Keys are relative names such as `ab/cd/abcd...`; the training body's keys
(`KEYS_DIR`) are never stored here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol
from urllib.parse import unquote, urlsplit

from flask import Flask, current_app


class StorageError(OSError):
    """The backend could not store, read or delete a key."""


class Storage(Protocol):
    """Bytes under keys; every backend offers the same few operations."""

    def put(self, key: str, data: bytes, content_type: str = "application/octet-stream") -> None:
        """Store the bytes under the key (whole or not at all)."""

    def get(self, key: str) -> bytes:
        """The bytes under the key; FileNotFoundError when there are none."""

    def delete(self, key: str) -> None:
        """Remove the key; nothing happens when it is already gone."""

    def exists(self, key: str) -> bool:
        """Whether bytes are stored under the key."""

    def keys(self) -> list[str]:
        """Every key stored (for checks and tests; not for request paths)."""

    def local_path(self, key: str) -> Path | None:
        """The file on this machine's disk holding the key, or None for a remote backend."""

    def ping(self) -> None:
        """Raise when the store cannot be reached (the health check)."""


def build_storage(url: str | None, upload_folder: str, endpoint_url: str | None = None) -> Storage:
    """The backend a storage URL names (None: the local upload folder)."""
    from lms.storage.local import LocalStorage

    if not url:
        return LocalStorage(Path(upload_folder))
    parts = urlsplit(url)
    if parts.scheme == "file":
        return LocalStorage(Path(unquote(parts.path)))
    if parts.scheme == "s3":
        from lms.storage.s3 import S3Storage

        if not parts.netloc:
            raise ValueError("LMS_STORAGE_URL s3://bucket/prefix needs a bucket")
        return S3Storage(parts.netloc, parts.path.strip("/"), endpoint_url=endpoint_url)
    raise ValueError(f"LMS_STORAGE_URL: unknown scheme {parts.scheme!r} (file:// or s3://)")


def storage_url_problem(url: str | None) -> str | None:
    """A message when the storage URL cannot work, for `flask lms check` and the start-up."""
    if not url:
        return None
    parts = urlsplit(url)
    if parts.scheme == "file" and parts.path.startswith("/"):
        return None
    if parts.scheme == "s3" and parts.netloc:
        return None
    return "LMS_STORAGE_URL must be file:///absolute/folder or s3://bucket/prefix."


def init_app(app: Flask) -> None:
    """Build the configured backend once per app (a bad URL is in CONFIG_ERRORS: only
    `flask lms check` gets this far with one, and it gets the local folder)."""
    url = app.config.get("STORAGE_URL")
    app.extensions["lms_storage"] = build_storage(
        None if storage_url_problem(url) else url,
        app.config["UPLOAD_FOLDER"],
        app.config.get("STORAGE_S3_ENDPOINT_URL"),
    )


def storage(app: Flask | None = None) -> Storage:
    """The app's storage backend."""
    return (app or current_app).extensions["lms_storage"]
