"""Store uploads safely: size limit, content sniffed against an allow-list, random names.

A file written during a transaction that rolls back is deleted again, so a refused or failed
operation leaves no file behind.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import unicodedata
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import event
from sqlalchemy.orm import Session

from lms.db import db
from lms.errors import ValidationFailed
from lms.files.models import StoredFile
from lms.files.sniff import KINDS, sniff
from lms.storage import storage
from lms.validation import text_problem

log = logging.getLogger(__name__)

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
RISKY_EXTENSIONS = {
    ".exe",
    ".bat",
    ".cmd",
    ".com",
    ".sh",
    ".js",
    ".mjs",
    ".php",
    ".py",
    ".pl",
    ".rb",
    ".jar",
    ".html",
    ".htm",
    ".svg",
    ".xml",
    ".msi",
    ".vbs",
    ".ps1",
    ".scr",
    ".dll",
    ".zip",
    ".gz",
    ".pdf",
    ".odt",
    ".docx",
    ".doc",
    ".png",
    ".jpg",
    ".jpeg",
    ".gif",
    ".csv",
    ".xlsx",
}


def upload_root() -> Path:
    """The folder uploads live in (outside static/) with the local backend."""
    return Path(current_app.config["UPLOAD_FOLDER"])


def key_of(stored: StoredFile) -> str:
    """The storage key of a stored file's bytes (`ab/cd/abcd...`, today's folder layout)."""
    name = stored.storage_name
    return f"{name[:2]}/{name[2:4]}/{name}"


def path_of(stored: StoredFile) -> Path:
    """Where a stored file's bytes are on disk (local backend only)."""
    path = storage().local_path(key_of(stored))
    if path is None:
        raise RuntimeError("the configured storage keeps no files on this machine")
    return path


def exists(stored: StoredFile) -> bool:
    """Whether the stored file's bytes are in the storage."""
    return storage().exists(key_of(stored))


def _invalid(message: str) -> ValidationFailed:
    return ValidationFailed(message, {"file": [message]})


def clean_name(filename: str) -> str:
    """Check an uploaded file name and return it normalised; refuse paths and double extensions."""
    name = unicodedata.normalize("NFC", (filename or "").strip())
    if not name:
        raise _invalid(_("The file has no name."))
    if "/" in name or "\\" in name or name.startswith(".") or ".." in name or "\x00" in name:
        raise _invalid(_("The file name must not contain a folder path."))
    if text_problem(name, name_like=True) or len(name) > 200:  # controls, bidi overrides
        raise _invalid(_("The file name is not valid."))
    stem = os.path.splitext(name)[0]
    inner = os.path.splitext(stem)[1].lower()
    if inner and inner in RISKY_EXTENSIONS:
        raise _invalid(_("File names with two extensions (such as .pdf.exe) are not accepted."))
    return name


def store_upload(
    actor,
    filename: str,
    data: bytes,
    allowed: frozenset[str] | set[str],
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> StoredFile:
    """Check and store an uploaded file; raises ValidationFailed with a message for the user."""
    name = clean_name(filename)
    if not data:
        raise _invalid(_("The file is empty."))
    if len(data) > max_bytes:
        raise _invalid(
            _("The file is too large: the limit is %(mb)s MB.", mb=round(max_bytes / 1048576, 1))
        )
    kind = sniff(data)
    ext = os.path.splitext(name)[1].lower()
    allowed_names = ", ".join(sorted(e for k in allowed for e in KINDS[k][1]))
    if kind is None or kind not in allowed:
        raise _invalid(
            _("This type of file is not accepted. Accepted types: %(types)s.", types=allowed_names)
        )
    if ext not in KINDS[kind][1]:
        raise _invalid(
            _("The file's extension does not match its content (%(kind)s).", kind=kind.upper())
        )
    stored = StoredFile(
        storage_name=secrets.token_hex(16),
        original_name=name,
        content_type=KINDS[kind][0],
        kind=kind,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by_id=getattr(actor, "id", None),
    )
    return _write(stored, data)


def store_generated(
    actor, filename: str, data: bytes, content_type: str = "application/pdf", kind: str = "pdf"
) -> StoredFile:
    """Store bytes the application made (an issued PDF, an export), like an upload but
    without the upload checks; the file goes with a rollback."""
    if not data:
        raise ValueError("nothing to store")
    return _write(
        StoredFile(
            storage_name=secrets.token_hex(16),
            original_name=clean_name(filename),
            content_type=content_type,
            kind=kind,
            size=len(data),
            sha256=hashlib.sha256(data).hexdigest(),
            uploaded_by_id=getattr(actor, "id", None),
        ),
        data,
    )


def _write(stored: StoredFile, data: bytes) -> StoredFile:
    backend, key = storage(), key_of(stored)
    backend.put(key, data, stored.content_type)
    db.session.info.setdefault("lms_new_files", []).append((backend, key))
    db.session.add(stored)
    db.session.flush()
    return stored


def read_bytes(stored: StoredFile) -> bytes:
    """The bytes of a stored file, checked against its SHA-256."""
    data = storage().get(key_of(stored))
    if hashlib.sha256(data).hexdigest() != stored.sha256:
        raise OSError(f"stored file {stored.id} does not match its checksum")
    return data


def discard_stored(stored: StoredFile) -> None:
    """Delete a stored file's record; its bytes go once the transaction commits (a rollback
    keeps them, with the record)."""
    db.session.info.setdefault("lms_discarded_files", []).append((storage(), key_of(stored)))
    db.session.delete(stored)
    db.session.flush()


def _delete_all(entries) -> None:
    # The record is already gone or never was: a file left behind is only wasted space.
    for backend, key in entries:
        try:
            backend.delete(key)
        except OSError:
            log.warning("could not delete stored file %s from %r", key, backend, exc_info=True)


@event.listens_for(Session, "after_commit")
def _keep_files(session):
    session.info.pop("lms_new_files", None)
    _delete_all(session.info.pop("lms_discarded_files", []))


@event.listens_for(Session, "after_rollback")
def _drop_files(session):
    session.info.pop("lms_discarded_files", None)
    _delete_all(session.info.pop("lms_new_files", []))
