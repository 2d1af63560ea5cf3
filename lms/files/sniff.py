"""Recognise a file's real type from its content, for an allow-list of kinds."""

from __future__ import annotations

import io
import zipfile

KINDS = {
    "pdf": ("application/pdf", {".pdf"}),
    "png": ("image/png", {".png"}),
    "jpeg": ("image/jpeg", {".jpg", ".jpeg"}),
    "odt": ("application/vnd.oasis.opendocument.text", {".odt"}),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        {".docx"},
    ),
    "csv": ("text/csv", {".csv"}),
}

DOCUMENT_KINDS = frozenset({"pdf", "odt", "docx", "jpeg", "png"})


def _zip_kind(data: bytes) -> str | None:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
            if "mimetype" in names:
                info = zf.getinfo("mimetype")
                if info.file_size < 200:
                    mimetype = zf.read("mimetype").decode("ascii", "replace").strip()
                    if mimetype == KINDS["odt"][0]:
                        return "odt"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "docx"
    except (zipfile.BadZipFile, KeyError, ValueError, OSError):
        return None
    return None


def sniff(data: bytes) -> str | None:
    """The kind of file the bytes really are, or None when not one we accept."""
    if data.startswith(b"%PDF-"):
        return "pdf"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "png"
    if data.startswith(b"\xff\xd8\xff"):
        return "jpeg"
    if data.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    return None
